"""The storage ceiling of the simulated Azure (`sim.cloud.storage_ceiling`): what a caller makes the service store
counts against DP100_STORAGE_QUOTA_MB, and a write that would pass it is refused whole, in the caller's own error
shape, one test per entry point (MLflow artifacts, the call proxy's datastore and run-file uploads, blob PUTs).

The ceilings here are a few MB: a fresh workspace holds about 2 MB, so a 12 MB write cannot fit and a 100 KB one
always does."""

from __future__ import annotations

import json

import pytest

from sim.cloud import storage_ceiling, workspaces
from sim.cloud.errors import StorageFull

SUB = "00000000-0000-0000-0000-000000000000"
CEILING_MB = 8
BIG = 12 * 1024 * 1024  # bytes: over the ceiling on its own
SMALL = 100 * 1024


@pytest.fixture
def ceiling(monkeypatch):
    """A ceiling of CEILING_MB for this test (set before any service starts, so the service has it too)."""
    monkeypatch.setenv(storage_ceiling.QUOTA_ENV, str(CEILING_MB))
    storage_ceiling.forget()
    yield CEILING_MB
    storage_ceiling.forget()


# ---- the setting and the count -------------------------------------------------------------------------------
def test_the_setting_defaults_to_5_gb_and_says_what_is_wrong_with_a_bad_value():
    assert storage_ceiling.quota_mb({}) == 5120
    assert storage_ceiling.quota_mb({storage_ceiling.QUOTA_ENV: "0"}) == 0
    with pytest.raises(ValueError, match="DP100_STORAGE_QUOTA_MB must be a whole number of megabytes"):
        storage_ceiling.quota_mb({storage_ceiling.QUOTA_ENV: "lots"})


def test_a_service_with_a_bad_ceiling_setting_does_not_start_and_says_why(process_mode, monkeypatch):
    from sim import service

    monkeypatch.setenv(storage_ceiling.QUOTA_ENV, "5GB")
    with pytest.raises(service.ServiceStartError, match="DP100_STORAGE_QUOTA_MB must be a whole number"):
        service.ensure_running()


def test_accepted_writes_add_up_without_walking_the_store_again(ceiling, dp100_home, monkeypatch):
    workspaces.create(SUB, "rg-quota", "mlw-quota", location="eastus")
    walks = []
    real = storage_ceiling.disk_use
    monkeypatch.setattr(storage_ceiling, "disk_use", lambda folder: walks.append(folder) or real(folder))
    for _ in range(3):
        with storage_ceiling.accepting(SMALL, "a test write", "run"):
            pass
    assert len(walks) == 1  # measured once, then counted
    with pytest.raises(StorageFull, match=r"ceiling of 8 MB .* nothing was written.*dp100 reset --yes"):
        with storage_ceiling.accepting(BIG, "a test write", "run"):
            raise AssertionError("a refused write must not start")


def test_a_refused_write_releases_what_it_reserved_and_a_failed_one_too(ceiling, dp100_home):
    workspaces.create(SUB, "rg-quota", "mlw-quota", location="eastus")
    room = CEILING_MB * storage_ceiling.MB - storage_ceiling.disk_use(dp100_home / "cloud") - SMALL
    with pytest.raises(OSError):
        with storage_ceiling.accepting(room, "a write that fails", "run"):
            raise OSError("disk went away")
    with storage_ceiling.accepting(room, "the same write again", "run"):
        pass  # fits: the failed one was not kept


# ---- the call proxy: datastore uploads and run files (in process and through the service) ---------------------
def test_a_datastore_upload_over_the_ceiling_writes_none_of_its_files(ceiling, tmp_path):
    from sim.cloud import datastores

    record = workspaces.create(SUB, "rg-quota", "mlw-quota", location="eastus")
    (tmp_path / "small.txt").write_bytes(b"s" * SMALL)
    (tmp_path / "big.bin").write_bytes(b"b" * BIG)
    pairs = [(tmp_path / "small.txt", "up/small.txt"), (tmp_path / "big.bin", "up/big.bin")]
    with pytest.raises(StorageFull, match="files into datastore 'workspaceblobstore'"):
        datastores.upload(record, "workspaceblobstore", pairs)
    assert datastores.list_files(record, "workspaceblobstore", "up") == []
    assert datastores.upload(record, "workspaceblobstore", pairs[:1]) == 1


@pytest.mark.usefixtures("sim_active")
def test_v1_uploads_through_the_service_are_refused_with_the_sdks_exception(ceiling, process_mode, tmp_path):
    from azureml.core import Experiment, Workspace
    from azureml.exceptions import UserErrorException

    ws = Workspace.create("mlw-quota", subscription_id=SUB, resource_group="rg-quota", create_resource_group=True,
                          location="eastus")
    (tmp_path / "big.bin").write_bytes(b"b" * BIG)
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "big.bin").write_bytes(b"b" * BIG)
    store = ws.get_default_datastore()
    with pytest.raises(UserErrorException, match="storage is full"):
        store.upload_files([str(tmp_path / "big.bin")], target_path="data", show_progress=False)
    run = Experiment(ws, "quota").start_logging()
    with pytest.raises(UserErrorException, match="storage is full: storing the run file 'outputs/big.bin'"):
        run.upload_file("outputs/big.bin", str(tmp_path / "big.bin"))
    with pytest.raises(UserErrorException, match="storing the folder 'outputs/f'"):
        run.upload_folder("outputs/f", str(tmp_path / "folder"))
    run.upload_file("outputs/small.txt", _small(tmp_path))
    run.complete()
    assert run.get_file_names() == ["outputs/small.txt"]
    assert store.upload_files([_small(tmp_path)], target_path="data", show_progress=False) is not None


@pytest.mark.usefixtures("sim_active")
def test_registering_a_model_through_the_service_counts_its_files(ceiling, process_mode, tmp_path):
    from azureml.core import Model, Workspace
    from azureml.exceptions import WebserviceException

    ws = Workspace.create("mlw-quota", subscription_id=SUB, resource_group="rg-quota", create_resource_group=True,
                          location="eastus")
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "weights.bin").write_bytes(b"w" * BIG)
    with pytest.raises(WebserviceException, match="storing the files of model 'huge'"):
        Model.register(ws, model_path=str(tmp_path / "model"), model_name="huge")
    assert Model.list(ws) == []
    assert Model.register(ws, model_path=_small(tmp_path), model_name="small").version == 1


def _small(folder) -> str:
    path = folder / "small.txt"
    path.write_bytes(b"s" * SMALL)
    return str(path)


# ---- MLflow's artifact route, through the service with the state hidden --------------------------------------
@pytest.fixture
def hidden_mlflow(ceiling, process_mode, monkeypatch):
    import mlflow

    from sim.cloud.command_jobs.artifacts import tracking_uri
    from sim.service import launcher

    record = workspaces.create(SUB, "rg-quota", "mlw-quota", location="eastus")
    launcher.ensure_running()
    monkeypatch.setenv("DP100_STATE_HIDDEN", "1")
    mlflow.set_tracking_uri(tracking_uri(record))
    yield mlflow, record
    mlflow.set_tracking_uri(None)
    monkeypatch.delenv("DP100_STATE_HIDDEN", raising=False)  # before the service is stopped, which reads its home


def test_a_loop_of_mlflow_log_text_stops_at_the_ceiling_with_mlflows_error(hidden_mlflow, monkeypatch):
    mlflow, record = hidden_mlflow
    logged, refusal = [], None
    mlflow.set_experiment("ceiling")  # not an experiment id an earlier test left active in MLflow's fluent API
    with mlflow.start_run() as run:
        for i in range(10):  # 3 MB each: 80 MB without a ceiling
            try:
                mlflow.log_text("x" * (3 * 1024 * 1024), f"a{i}.txt")
                logged.append(f"a{i}.txt")
            except Exception as exc:  # noqa: BLE001 - the refusal MLflow's client raises is what is checked
                refusal = str(exc)
                break
    assert 1 <= len(logged) <= 2, logged
    assert refusal and "507" in refusal and "RESOURCE_EXHAUSTED" in refusal and "ceiling of 8 MB" in refusal
    monkeypatch.delenv("DP100_STATE_HIDDEN")  # to look at the store itself
    on_disk = sorted(p.name for p in record.artifact_root.rglob("a*.txt"))
    assert on_disk == logged  # the refused one left nothing behind
    assert mlflow.get_run(run.info.run_id).info.status == "FINISHED"


# ---- blob storage as azure-storage-blob (and azure-ai-ml's uploads) use it ------------------------------------
@pytest.fixture
def container(ceiling, sim_active):
    from azure.storage.blob import BlobServiceClient

    from sim.cloud import datastores

    record = workspaces.create(SUB, "rg-quota", "mlw-quota", location="eastus")
    props = datastores.get(record, "workspaceblobstore").properties
    url = f"https://{props['account_name']}.blob.core.windows.net"
    small_blocks = BlobServiceClient(url, credential="c2ltdWxhdGVkLWtleQ==", max_single_put_size=1024 * 1024,
                                     max_block_size=1024 * 1024)
    return small_blocks.get_container_client(props["container_name"]), record


def test_a_put_blob_over_the_ceiling_is_a_403_from_azure_storage_and_stores_nothing(container):
    from azure.core.exceptions import HttpResponseError

    client, record = container
    with pytest.raises(HttpResponseError) as caught:
        client.upload_blob("big.bin", b"b" * BIG, max_concurrency=1)
    assert caught.value.status_code == 403 and caught.value.error_code == "ShareSizeLimitReached"
    assert "storage is full" in str(caught.value)
    assert [b.name for b in client.list_blobs()] == []
    blocks = record.folder / "blob-blocks"
    assert not blocks.exists() or not any(p.is_file() for p in blocks.rglob("*"))  # no staged block left either
    client.upload_blob("small.bin", b"s" * SMALL)
    assert client.download_blob("small.bin").readall() == b"s" * SMALL


def test_the_ceiling_answer_is_json_in_mlflows_shape(hidden_mlflow):
    from sim.service import channel

    _, record = hidden_mlflow
    route = (f"https://eastus.api.azureml.ms/mlflow/v1.0{record.arm_id}/api/2.0/mlflow-artifacts/artifacts/"
             "mlartifacts/0/x/artifacts/big.bin")
    status, _, body = channel.send("PUT", route, {"Content-Type": "application/octet-stream"}, b"b" * BIG)
    answer = json.loads(body)
    assert status == 507 and answer["error_code"] == "RESOURCE_EXHAUSTED"
    assert "the artifact 'mlartifacts/0/x/artifacts/big.bin'" in answer["message"]


def test_the_real_sdk_v2s_data_upload_stops_at_the_ceiling_and_registers_nothing(ceiling, sim_active, tmp_path):
    from azure.ai.ml import MLClient
    from azure.ai.ml.entities import Data
    from azure.core.exceptions import HttpResponseError
    from azure.identity import DefaultAzureCredential

    workspaces.create(SUB, "rg-quota", "mlw-quota", location="eastus")
    ml_client = MLClient(DefaultAzureCredential(), SUB, "rg-quota", "mlw-quota")
    (tmp_path / "big.csv").write_bytes(b"a\n" + b"1\n" * (BIG // 2))
    with pytest.raises(HttpResponseError, match=r"storage is full: storing the blob 'LocalUpload/.*big.csv'"):
        ml_client.data.create_or_update(Data(name="big", path=str(tmp_path / "big.csv"), type="uri_file"))
    assert [d.name for d in ml_client.data.list()] == []


@pytest.mark.usefixtures("sim_active")
def test_a_script_runs_snapshot_counts_and_a_refused_one_fails_the_run_with_the_sentence(ceiling, tmp_path):
    from azureml.core import Experiment, ScriptRunConfig, Workspace
    from azureml.exceptions import ExperimentExecutionException

    ws = Workspace.create("mlw-quota", subscription_id=SUB, resource_group="rg-quota", create_resource_group=True,
                          location="eastus")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("print('trained')\n")
    (tmp_path / "src" / "data.bin").write_bytes(b"d" * BIG)
    experiment = Experiment(ws, "snapshots")
    with pytest.raises(ExperimentExecutionException, match="storage is full: storing the snapshot of"):
        experiment.submit(ScriptRunConfig(source_directory=str(tmp_path / "src"), script="train.py"))
    (tmp_path / "src" / "data.bin").unlink()
    run = experiment.submit(ScriptRunConfig(source_directory=str(tmp_path / "src"), script="train.py"))
    assert run.wait_for_completion()["status"] == "Completed"
    assert [r.get_status() for r in experiment.get_runs()] == ["Completed", "Failed"]
