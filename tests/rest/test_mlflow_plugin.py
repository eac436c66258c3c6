"""MLflow's azureml:// scheme: a workspace's tracking URI opens that workspace's store, in any process."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.rest.conftest import RG, SUB, WS


@pytest.fixture
def tracking(workspace):
    """MLflow pointed at the workspace's azureml:// URI for one test."""
    import mlflow

    from sim.cloud.command_jobs.artifacts import tracking_uri

    mlflow.set_tracking_uri(tracking_uri(workspace))
    yield tracking_uri(workspace)
    mlflow.set_tracking_uri(None)
    mlflow.tracking.fluent._active_experiment_id = None  # set_experiment's choice outlives the workspace


def test_the_workspace_uri_is_what_the_sdk_reports(ml_client, workspace, tracking):
    assert ml_client.workspaces.get(WS).mlflow_tracking_uri == tracking


def test_runs_logged_through_the_uri_land_in_the_workspace_store(workspace, tracking):
    import mlflow

    mlflow.set_experiment("notebook-experiment")
    with mlflow.start_run() as run:
        mlflow.log_param("reg_rate", 0.1)
        mlflow.log_metric("AUC", 0.9)
    stored = mlflow.MlflowClient(workspace.mlflow_uri).get_run(run.info.run_id)
    assert stored.data.metrics == {"AUC": 0.9} and stored.data.params == {"reg_rate": "0.1"}
    assert stored.info.artifact_uri.startswith(workspace.artifact_root.as_uri())
    found = mlflow.search_runs(experiment_names=["notebook-experiment"], filter_string="metrics.AUC > 0.8")
    assert list(found["run_id"]) == [run.info.run_id]


def test_the_model_registry_is_the_workspaces(workspace, tracking):
    import mlflow

    mlflow.MlflowClient().create_registered_model("diabetes-model", description="from the notebook")
    names = [m.name for m in mlflow.MlflowClient(registry_uri=workspace.mlflow_uri).search_registered_models()]
    assert names == ["diabetes-model"]


def test_mlflow_tracking_uri_works_in_a_fresh_process_without_the_simulator(workspace, tracking):
    import mlflow

    script = ("import mlflow\nmlflow.set_experiment('from-a-process')\n"
              "with mlflow.start_run():\n    mlflow.log_metric('answer', 42)\n")
    env = {**__import__("os").environ, "MLFLOW_TRACKING_URI": tracking}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    client = mlflow.MlflowClient(workspace.mlflow_uri)
    runs = client.search_runs([client.get_experiment_by_name("from-a-process").experiment_id])
    assert [r.data.metrics for r in runs] == [{"answer": 42.0}]


def test_a_uri_naming_no_workspace_or_no_workspace_at_all_is_refused(workspace):
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    missing = f"azureml://eastus.api.azureml.ms/mlflow/v1.0/subscriptions/{SUB}/resourceGroups/{RG}/providers/" \
              "Microsoft.MachineLearningServices/workspaces/nowhere"
    with pytest.raises(MlflowException, match="'nowhere'.*does not exist"):
        MlflowClient(missing).search_experiments()
    with pytest.raises(MlflowException, match="is not a workspace tracking URI"):
        MlflowClient("azureml://eastus.api.azureml.ms/something/else").search_experiments()


def test_a_workspace_created_again_under_its_name_gets_its_new_store(workspace, tracking):
    import mlflow

    from sim.cloud import workspaces

    mlflow.set_experiment("before")
    workspaces.delete(workspace)
    again = workspaces.create(SUB, RG, WS, location="eastus")
    assert [e.name for e in mlflow.search_experiments()] == ["Default"]
    mlflow.set_experiment("after")
    assert mlflow.MlflowClient(again.mlflow_uri).get_experiment_by_name("after") is not None
