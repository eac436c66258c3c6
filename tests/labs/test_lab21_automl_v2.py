"""Lab 21: find the best classification model with an AutoML job (SDK v2)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "21"  # the `lab` fixture (tests/labs/conftest.py) drives this lab
REGISTER_THE_WORST = '''
import mlflow
scores = {t.name: mlflow.get_run(t.name).data.metrics["accuracy"]
          for t in ml_client.jobs.list(parent_job_name=returned_job.name)}
worst = min(scores, key=scores.get)
ml_client.models.create_or_update(Model(path=f"azureml://jobs/{worst}/outputs/artifacts/paths/outputs/mlflow-model/",
                                        name="diabetes-automl", type=AssetTypes.MLFLOW_MODEL))
'''


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_registering_a_trial_that_is_not_the_best_is_caught(lab):
    lab.solve(upto="automl-job")
    lab.run("from azure.ai.ml.entities import Model\n" + REGISTER_THE_WORST)
    assert "must come from the trial with the highest accuracy" in lab.failure("best-model")


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)
