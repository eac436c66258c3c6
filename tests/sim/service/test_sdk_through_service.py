"""The real azure-ai-ml and MLflow clients, answered by the service process (DP100_SERVICE=process)."""

from __future__ import annotations

import os
import signal
import time
import urllib.request

import pytest

from sim import service
from sim.cloud import workspaces
from sim.service import launcher, locations

SUB = "00000000-0000-0000-0000-000000000000"
RG = "rg-dp100"
WS = "mlw-dp100"
TERMINAL = ("Completed", "Failed", "Canceled")


pytestmark = pytest.mark.usefixtures("sim_active")  # tests/sim/conftest.py: the simulator's hooks


@pytest.fixture
def ml_client(process_mode):
    """An MLClient built as lab code builds it, for a fresh workspace, in process mode."""
    from azure.ai.ml import MLClient
    from azure.identity import DefaultAzureCredential

    workspaces.create(SUB, RG, WS, location="eastus")
    return MLClient(DefaultAzureCredential(), SUB, RG, WS)


def _served() -> int:
    return launcher.status()["requests"]


def test_workspaces_get_is_answered_by_the_service(ml_client):
    assert launcher.running_record() is None  # nothing started yet: the first call starts it
    workspace = ml_client.workspaces.get(WS)
    assert (workspace.name, workspace.location) == (WS, "eastus")
    assert workspace.mlflow_tracking_uri.startswith("azureml://eastus.api.azureml.ms/mlflow/v1.0/subscriptions/")
    assert _served() >= 1


def test_a_command_job_runs_from_the_service(ml_client, tmp_path):
    from azure.ai.ml import command

    src = tmp_path / "src"
    src.mkdir()
    (src / "hello.py").write_text("import mlflow\nmlflow.log_metric('answer', 42)\nprint('hello from the job')\n")
    job = ml_client.jobs.create_or_update(command(code=str(src), command="python hello.py",
                                                  environment="AzureML-sklearn-1.5@latest",
                                                  experiment_name="service-jobs"))
    deadline = time.monotonic() + 120
    while job.status not in TERMINAL and time.monotonic() < deadline:
        time.sleep(0.2)
        job = ml_client.jobs.get(job.name)
    assert job.status == "Completed"
    record = workspaces.get(SUB, RG, WS)
    from mlflow.tracking import MlflowClient

    assert MlflowClient(record.mlflow_uri).get_run(job.name).data.metrics == {"answer": 42.0}


def test_the_sdk_carries_on_after_the_service_is_killed(ml_client):
    assert ml_client.workspaces.get(WS).name == WS
    first = launcher.running_record()["pid"]
    os.kill(first, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while launcher.pid_alive(first) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ml_client.workspaces.get(WS).name == WS  # the next call starts a new service
    assert launcher.running_record()["pid"] != first


def test_blob_metadata_with_underscores_reaches_the_service(ml_client):
    from azure.storage.blob import BlobServiceClient

    from sim.cloud import datastores

    props = datastores.get(workspaces.get(SUB, RG, WS), "workspaceblobstore").properties
    blobs = BlobServiceClient(f"https://{props['account_name']}.blob.core.windows.net", credential="c2lt")
    container = blobs.get_container_client(props["container_name"])
    container.upload_blob("code/hello.py", b"print(1)", metadata={"upload_status": "completed"})
    assert container.get_blob_client("code/hello.py").get_blob_properties().metadata == {"upload_status": "completed"}
    assert _served() >= 2


def test_a_missing_resource_raises_the_sdks_own_error(ml_client):
    from azure.core.exceptions import ResourceNotFoundError

    with pytest.raises(ResourceNotFoundError):
        ml_client.compute.get("no-such-cluster")


def test_mlflow_logs_through_the_service_into_the_workspace_store(process_mode, monkeypatch):
    import mlflow
    from mlflow.tracking import MlflowClient

    record = workspaces.create(SUB, RG, WS, location="eastus")
    for name, value in service.mlflow_env(record).items():
        monkeypatch.setenv(name, value)
    assert os.environ["MLFLOW_TRACKING_URI"].startswith("http://127.0.0.1:")
    mlflow.set_tracking_uri(os.environ["MLFLOW_TRACKING_URI"])
    try:
        mlflow.set_experiment("through-the-service")
        with mlflow.start_run() as run:
            mlflow.log_metric("accuracy", 0.91)
            mlflow.log_param("C", "0.1")
    finally:
        mlflow.set_tracking_uri(None)
    stored = MlflowClient(record.mlflow_uri).get_run(run.info.run_id)  # the store itself, not the service
    assert stored.data.metrics == {"accuracy": 0.91} and stored.data.params == {"C": "0.1"}
    assert MlflowClient(record.mlflow_uri).get_experiment_by_name("through-the-service") is not None


def test_the_workspace_azureml_uri_logs_through_the_service_in_process_mode(ml_client):
    import mlflow
    from mlflow.store.tracking.rest_store import RestStore
    from mlflow.tracking import MlflowClient

    uri = ml_client.workspaces.get(WS).mlflow_tracking_uri
    before = _served()
    mlflow.set_tracking_uri(uri)
    try:
        assert isinstance(MlflowClient()._tracking_client.store, RestStore)
        mlflow.set_experiment("azureml-uri")
        with mlflow.start_run() as run:
            mlflow.log_metrics({"rmse": 3.5, "r2": 0.75})
        found = mlflow.search_runs(experiment_names=["azureml-uri"])
    finally:
        mlflow.set_tracking_uri(None)
    assert found["metrics.rmse"].tolist() == [3.5]
    assert _served() >= before + 4  # experiment, run, metrics, search: each a request to the service
    record = workspaces.get(SUB, RG, WS)
    assert MlflowClient(record.mlflow_uri).get_run(run.info.run_id).data.metrics == {"rmse": 3.5, "r2": 0.75}


def test_mlflow_errors_are_mlflows_own(process_mode, monkeypatch):
    from mlflow.exceptions import MlflowException
    from mlflow.tracking import MlflowClient

    record = workspaces.create(SUB, RG, WS, location="eastus")
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", locations.token())
    client = MlflowClient(service.mlflow_tracking_uri(record))
    with pytest.raises(MlflowException, match="RESOURCE_DOES_NOT_EXIST|not found"):
        client.get_run("0" * 32)
    gone = MlflowClient(service.mlflow_tracking_uri(record).replace(WS, "mlw-missing"))
    with pytest.raises(MlflowException, match="mlw-missing"):
        gone.search_experiments()


def test_tcp_requests_without_the_token_are_refused(process_mode):
    port = service.ensure_running()["port"]
    request = urllib.request.Request(f"http://127.0.0.1:{port}/_sim/status")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 401
    request.add_header(locations.TOKEN_HEADER, locations.token())
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200


def test_tcp_only_service_answers_the_sdk_with_its_token(ml_client, monkeypatch):
    monkeypatch.setenv("DP100_SERVICE_LISTEN", "tcp")
    assert ml_client.workspaces.get(WS).name == WS
    record = launcher.running_record()
    assert record["socket"] is None and record["port"] > 0
