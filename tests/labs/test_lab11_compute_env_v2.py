"""Lab 11: compute and environments (SDK v2)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "11"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_conda_file_without_pandas_is_named(lab):
    lab.run('import os\nfrom azure.ai.ml.entities import Environment\nos.makedirs("env", exist_ok=True)\n'
            'open("env/no-pandas.yml", "w").write("name: x\\ndependencies:\\n  - python=3.11\\n  - scikit-learn\\n")\n'
            'ml_client.environments.create_or_update(Environment(name="diabetes-env", '
            'image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04", conda_file="env/no-pandas.yml"))')
    assert "lacks pandas" in lab.failure("conda-env")


def test_mistake_job_without_a_cluster_is_named(lab):
    # The newest completed job in the curated environment is the one judged: here, one on serverless compute.
    lab.run('from azure.ai.ml import command\njob = command(code="./src", command="python train.py --reg-rate 0.1", '
            'environment="AzureML-sklearn-1.5@latest", experiment_name="diabetes-training")\n'
            'ml_client.jobs.stream(ml_client.create_or_update(job).name)')
    assert "did not run on 'aml-cluster'" in lab.failure("curated-job")
