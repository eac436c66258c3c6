"""Lab 13: log and register models with MLflow (SDK v2)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "13"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_a_model_saved_in_the_notebook_is_not_the_jobs_model(lab):
    # Same algorithm, same data, registered as an MLflow model: but no job logged it.
    lab.run('import mlflow.sklearn\nimport pandas as pd\nfrom azure.ai.ml import MLClient\n'
            'from azure.ai.ml.constants import AssetTypes\nfrom azure.ai.ml.entities import Model\n'
            'from azure.identity import DefaultAzureCredential\nfrom sklearn.linear_model import LogisticRegression\n'
            'df = pd.read_csv("src/diabetes.csv")\n'
            'local = LogisticRegression(C=100, solver="liblinear").fit(df.iloc[:, 1:9], df["Diabetic"])\n'
            'mlflow.sklearn.save_model(local, "local-model", pip_requirements=["scikit-learn"])\n'
            'MLClient.from_config(credential=DefaultAzureCredential()).models.create_or_update('
            'Model(path="local-model", name="diabetes-mlflow", type=AssetTypes.MLFLOW_MODEL))')
    assert "holds the model of the train-signature job" in lab.failure("register")


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)
