"""Lab 17: score data in bulk with a batch endpoint (SDK v2)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "17"  # the `lab` fixture (tests/labs/conftest.py) drives this lab
SMALL_MINI_BATCHES = '''
from azure.ai.ml.constants import BatchDeploymentOutputAction
from azure.ai.ml.entities import ModelBatchDeployment, ModelBatchDeploymentSettings

ml_client.batch_deployments.begin_create_or_update(ModelBatchDeployment(
    name="classifier-diabetes", endpoint_name=endpoint_name, compute="aml-cluster",
    model=ml_client.models.get(name="diabetes-mlflow", version="1"),
    settings=ModelBatchDeploymentSettings(instance_count=2, max_concurrency_per_instance=2, mini_batch_size=10,
                                          output_action=BatchDeploymentOutputAction.APPEND_ROW,
                                          output_file_name="predictions.csv"))).result()
'''


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_a_mini_batch_of_the_wrong_size_is_named(lab):
    lab.solve(upto="endpoint")
    lab.run(SMALL_MINI_BATCHES)
    assert "differs from what the lab asks in: mini_batch_size" in lab.failure("deployment")


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)
