"""MLflow's REST API as the service serves it, answered in this process (the same application as the service's)."""

from __future__ import annotations

import json

from sim.cloud import workspaces
from sim.service import channel, mlflow_api, mlflow_client

SUB = "00000000-0000-0000-0000-000000000000"
BASE = ("https://eastus.api.azureml.ms/mlflow/v1.0/subscriptions/{sub}/resourceGroups/rg-api/providers/"
        "Microsoft.MachineLearningServices/workspaces/{ws}")


def _call(method: str, url: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else b""
    status, _, answer = channel.send(method, url, {"Content-Type": "application/json"}, data)
    return status, json.loads(answer)


def test_mlflows_own_handlers_write_the_workspace_store():
    record = workspaces.create(SUB, "rg-api", "mlw-api", location="eastus")
    base = BASE.format(sub=SUB, ws="mlw-api")
    status, created = _call("POST", f"{base}/api/2.0/mlflow/experiments/create", {"name": "by-rest"})
    assert status == 200
    from mlflow.tracking import MlflowClient

    assert MlflowClient(record.mlflow_uri).get_experiment(created["experiment_id"]).name == "by-rest"


def test_mlflow_errors_keep_mlflows_shape():
    workspaces.create(SUB, "rg-api", "mlw-api", location="eastus")
    status, answer = _call("GET", BASE.format(sub=SUB, ws="mlw-api") +
                           "/api/2.0/mlflow/experiments/get-by-name?experiment_name=nothing")
    assert status == 404 and answer["error_code"] == "RESOURCE_DOES_NOT_EXIST"
    status, answer = _call("GET", BASE.format(sub=SUB, ws="mlw-none") + "/api/2.0/mlflow/experiments/search")
    assert status == 404 and answer["error_code"] == "RESOURCE_DOES_NOT_EXIST" and "mlw-none" in answer["message"]


def test_a_jobs_own_calls_are_marked_so_its_searches_never_wait(monkeypatch):
    uri = BASE.format(sub=SUB, ws="mlw-api").replace("https://", "azureml://")
    assert not mlflow_client.rest_host(uri).endswith(mlflow_client.JOB_SEGMENT)
    monkeypatch.setenv("MLFLOW_RUN_ID", "a" * 32)
    marked = mlflow_client.rest_host(uri)
    assert marked.endswith("/workspaces/mlw-api" + mlflow_client.JOB_SEGMENT)
    found = mlflow_api.match(marked.split("azureml.ms", 1)[1] + "/api/2.0/mlflow/runs/search")
    assert (found["ws"], found["job"], found["rest"]) == ("mlw-api", "/_sim-job", "/api/2.0/mlflow/runs/search")


def test_other_paths_are_not_mlflows():
    assert mlflow_api.match("/mlflow/v1.0/subscriptions/s/resourceGroups/r/providers/"
                            "Microsoft.MachineLearningServices/workspaces/w/experiments") is None
    assert mlflow_api.match("/subscriptions/s/resourceGroups/r") is None
