"""MLflow's artifact proxy as the service serves it: upload, download and list through MLflow's own routes, the
workspace's artifact areas and nothing else, a size limit, and `azureml://` artifact URIs instead of host paths.

The route tests answer in this process (the same application as the service's); the client tests run MLflow's own
client against the service process, with the workspace's state hidden from the test as it is from a sandbox."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest

from sim.cloud import workspaces
from sim.service import channel, mlflow_api, mlflow_artifacts

SUB = "00000000-0000-0000-0000-000000000000"
BASE = (f"https://eastus.api.azureml.ms/mlflow/v1.0/subscriptions/{SUB}/resourceGroups/rg-art/providers/"
        "Microsoft.MachineLearningServices/workspaces/mlw-art")
ROUTE = BASE + "/api/2.0/mlflow-artifacts/artifacts"


@pytest.fixture
def record():
    return workspaces.create(SUB, "rg-art", "mlw-art", location="eastus")


def _send(method: str, url: str, body: bytes = b"", content_type: str = "application/octet-stream"):
    status, _, answer = channel.send(method, url, {"Content-Type": content_type}, body)
    return status, answer


def _json(method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    status, answer = _send(method, BASE + path, json.dumps(body).encode() if body is not None else b"",
                           "application/json")
    return status, json.loads(answer)


# ---- the routes: upload, download, list ---------------------------------------------------------------------
def test_an_upload_lands_in_the_workspaces_artifact_root_and_downloads_the_same(record):
    status, _ = _send("PUT", ROUTE + "/mlartifacts/exp1/run1/artifacts/notes/hello.txt", b"hello")
    assert status == 200
    assert (record.artifact_root / "exp1/run1/artifacts/notes/hello.txt").read_bytes() == b"hello"
    status, body = _send("GET", ROUTE + "/mlartifacts/exp1/run1/artifacts/notes/hello.txt")
    assert (status, body) == (200, b"hello")


def test_a_listing_names_what_a_folder_holds_and_the_root_names_the_areas(record):
    _send("PUT", ROUTE + "/mlartifacts/exp1/run1/artifacts/model/MLmodel", b"flavors: {}\n")
    _send("PUT", ROUTE + "/mlartifacts/exp1/run1/artifacts/model/model.pkl", b"12345")
    status, listing = _send("GET", ROUTE + "?path=mlartifacts/exp1/run1/artifacts/model")
    files = {f["path"]: f for f in json.loads(listing)["files"]}
    assert status == 200 and set(files) == {"MLmodel", "model.pkl"}
    assert int(files["model.pkl"]["file_size"]) == 5 and not files["model.pkl"]["is_dir"]
    _, root = _send("GET", ROUTE)
    assert {f["path"] for f in json.loads(root)["files"]} == {"mlartifacts", "ExperimentRun", "models"}


def test_a_jobs_files_are_served_from_azures_own_place_for_them(record):
    from sim.cloud.command_jobs import artifacts

    folder = artifacts.run_folder(record, "job_1")
    (folder / "outputs").mkdir()
    (folder / "outputs" / "model.pkl").write_bytes(b"pickled")
    status, body = _send("GET", ROUTE + "/ExperimentRun/dcid.job_1/outputs/model.pkl")
    assert (status, body) == (200, b"pickled")


# ---- confinement: the areas and nothing else ----------------------------------------------------------------
@pytest.mark.parametrize("path", ["state.db", "keyvault/secret", "mlartifacts/../state.db",
                                  "mlartifacts/%2E%2E/state.db", "ExperimentRun/..%2F..%2Fstate.db"])
def test_a_path_outside_the_areas_is_refused_with_a_400(record, path):
    status, body = _send("GET", f"{ROUTE}/{path}")
    assert status == 400 and json.loads(body)["error_code"] == "INVALID_PARAMETER_VALUE"
    status, _ = _send("PUT", f"{ROUTE}/{path}", b"forged")
    assert status == 400
    status, _ = _send("GET", f"{ROUTE}?path={path}")
    assert status == 400


def test_an_unknown_area_is_named_in_the_refusal(record):
    status, body = _send("GET", ROUTE + "/keyvault/secret")
    message = json.loads(body)["message"]
    assert status == 400 and "keyvault/secret" in message and "mlartifacts, ExperimentRun, models" in message


def test_a_link_inside_an_area_does_not_lead_out_of_it(record):
    record.artifact_root.mkdir(parents=True, exist_ok=True)
    (record.artifact_root / "escape").symlink_to(record.folder)
    status, _ = _send("GET", ROUTE + "/mlartifacts/escape/state.db")
    assert status == 400
    status, _ = _send("PUT", ROUTE + "/mlartifacts/escape/planted.txt", b"x")
    assert status == 400 and not (record.folder / "planted.txt").exists()


def test_registered_model_files_are_read_only_and_nothing_is_deleted(record):
    from sim.cloud.models import assets_dir

    (assets_dir(record) / "abc" / "model").mkdir(parents=True)
    (assets_dir(record) / "abc" / "model" / "MLmodel").write_text("flavors: {}\n")
    assert _send("GET", ROUTE + "/models/abc/model/MLmodel") == (200, b"flavors: {}\n")
    status, body = _send("PUT", ROUTE + "/models/abc/model/MLmodel", b"forged")
    assert status == 403 and "register a new version" in json.loads(body)["message"]
    assert (assets_dir(record) / "abc" / "model" / "MLmodel").read_text() == "flavors: {}\n"
    status, body = _send("DELETE", ROUTE + "/models/abc/model/MLmodel")
    assert status == 403 and "not simulated" in json.loads(body)["message"]
    assert (assets_dir(record) / "abc" / "model" / "MLmodel").exists()


def test_a_folder_is_listed_not_downloaded(record):
    _send("PUT", ROUTE + "/mlartifacts/exp1/run1/artifacts/model/MLmodel", b"x")
    status, body = _send("GET", ROUTE + "/mlartifacts/exp1/run1/artifacts/model")
    assert status == 400 and "is a folder" in json.loads(body)["message"]


# ---- the size limit ---------------------------------------------------------------------------------------
def test_a_body_over_the_limit_gets_a_413_and_writes_nothing(record, monkeypatch):
    monkeypatch.setattr(mlflow_artifacts, "MAX_BODY_BYTES", 1000)
    status, body = _send("PUT", ROUTE + "/mlartifacts/exp1/big.bin", b"x" * 1001)
    assert status == 413 and "1000-byte limit" in json.loads(body)["message"]
    assert not (record.artifact_root / "exp1" / "big.bin").exists()
    assert _send("PUT", ROUTE + "/mlartifacts/exp1/small.bin", b"x" * 1000)[0] == 200


def test_a_chunked_body_is_measured_as_it_is_read(record, monkeypatch):
    monkeypatch.setattr(mlflow_artifacts, "MAX_BODY_BYTES", 1000)
    found = mlflow_api.match("/mlflow/v1.0/subscriptions/" + BASE.split("/subscriptions/", 1)[1] +
                             "/api/2.0/mlflow-artifacts/artifacts/mlartifacts/exp1/big.bin")

    def answer(data: bytes) -> str:
        environ = {"REQUEST_METHOD": "PUT", "PATH_INFO": "", "SCRIPT_NAME": "", "SERVER_NAME": "x",
                   "SERVER_PORT": "443", "wsgi.url_scheme": "https", "wsgi.input": io.BytesIO(data),
                   "wsgi.input_terminated": True, "wsgi.errors": io.StringIO(), "HTTP_HOST": "eastus.api.azureml.ms"}
        statuses = []
        b"".join(mlflow_api.application(environ, lambda s, h, e=None: statuses.append(s), found))
        return statuses[0]

    assert answer(b"x" * 5000).startswith("413")
    assert not (record.artifact_root / "exp1" / "big.bin").exists()
    assert answer(b"x" * 10).startswith("200")
    assert (record.artifact_root / "exp1" / "big.bin").read_bytes() == b"x" * 10


# ---- URIs: azureml:// out, host paths in ----------------------------------------------------------------------
def test_runs_and_experiments_report_azureml_artifact_uris_never_host_paths(record):
    _, created = _json("POST", "/api/2.0/mlflow/experiments/create", {"name": "uris"})
    status, run = _json("POST", "/api/2.0/mlflow/runs/create", {"experiment_id": created["experiment_id"]})
    uri = run["run"]["info"]["artifact_uri"]
    assert status == 200 and uri.startswith("azureml://eastus.api.azureml.ms/mlflow/v2.0/subscriptions/")
    assert uri.endswith(f"/workspaces/mlw-art/artifacts/mlartifacts/{created['experiment_id']}/"
                        f"{run['run']['info']['run_id']}/artifacts")
    _, experiment = _json("GET", f"/api/2.0/mlflow/experiments/get?experiment_id={created['experiment_id']}")
    _, found = _json("POST", "/api/2.0/mlflow/runs/search", {"experiment_ids": [created["experiment_id"]]})
    for answer in (experiment, found):
        assert str(record.folder) not in json.dumps(answer) and "azureml://" in json.dumps(answer)


def test_a_model_version_source_given_as_an_azureml_uri_is_stored_as_the_host_path(record):
    _, created = _json("POST", "/api/2.0/mlflow/experiments/create", {"name": "sources"})
    _, run = _json("POST", "/api/2.0/mlflow/runs/create", {"experiment_id": created["experiment_id"]})
    info = run["run"]["info"]
    _json("POST", "/api/2.0/mlflow/registered-models/create", {"name": "by-uri"})
    status, version = _json("POST", "/api/2.0/mlflow/model-versions/create",
                            {"name": "by-uri", "source": info["artifact_uri"] + "/model", "run_id": info["run_id"]})
    assert status == 200 and version["model_version"]["source"] == info["artifact_uri"] + "/model"
    with sqlite3.connect(record.mlflow_db) as conn:
        stored = conn.execute("SELECT source FROM model_versions WHERE name = 'by-uri'").fetchone()[0]
    assert stored == (record.artifact_root / created["experiment_id"] / info["run_id"] / "artifacts/model").as_uri()


def test_an_azureml_uri_leaving_the_areas_is_refused_in_a_request(record):
    _, created = _json("POST", "/api/2.0/mlflow/experiments/create", {"name": "escape"})
    _, run = _json("POST", "/api/2.0/mlflow/runs/create", {"experiment_id": created["experiment_id"]})
    info = run["run"]["info"]
    _json("POST", "/api/2.0/mlflow/registered-models/create", {"name": "escape"})
    for source in (info["artifact_uri"].split("/artifacts/")[0] + "/artifacts/mlartifacts/../state.db",
                   info["artifact_uri"].split("/artifacts/")[0] + "/artifacts/keyvault"):
        status, answer = _json("POST", "/api/2.0/mlflow/model-versions/create",
                               {"name": "escape", "source": source, "run_id": info["run_id"]})
        assert status == 400 and answer["error_code"] == "INVALID_PARAMETER_VALUE"


def test_an_experiment_location_chosen_by_the_caller_is_refused(record):
    status, answer = _json("POST", "/api/2.0/mlflow/experiments/create",
                           {"name": "mine", "artifact_location": f"file://{record.folder}"})
    assert status == 400 and "without artifact_location" in answer["message"]


# ---- MLflow's own client, against the service process, the state hidden ------------------------------------
@pytest.fixture
def hidden_client(process_mode, monkeypatch):
    """MLflow on the workspace's tracking URI through the service, with the state hidden from this process."""
    import mlflow

    from sim.cloud.command_jobs.artifacts import tracking_uri
    from sim.service import launcher

    record = workspaces.create(SUB, "rg-art", "mlw-art", location="eastus")
    launcher.ensure_running()  # started before the state is hidden here: the service itself sees it
    monkeypatch.setenv("DP100_STATE_HIDDEN", "1")
    mlflow.set_tracking_uri(tracking_uri(record))
    yield mlflow
    mlflow.set_tracking_uri(None)
    monkeypatch.delenv("DP100_STATE_HIDDEN")  # before the service is stopped, which reads its home


def test_mlflow_logs_loads_and_registers_models_through_the_service(hidden_client, tmp_path):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    mlflow = hidden_client
    client = mlflow.MlflowClient()
    experiment_id = client.create_experiment("through-service")
    (tmp_path / "notes.txt").write_text("logged")
    with mlflow.start_run(experiment_id=experiment_id) as run:
        mlflow.log_artifact(str(tmp_path / "notes.txt"), "notes")
        model = LogisticRegression().fit(np.array([[0.0], [1.0], [2.0], [3.0]]), [0, 0, 1, 1])
        info = mlflow.sklearn.log_model(model, name="model", registered_model_name="through-service",
                                        pip_requirements=["scikit-learn"])
    run_id = run.info.run_id
    assert mlflow.get_run(run_id).info.artifact_uri.startswith("azureml://")
    assert info.artifact_path.startswith("azureml://")
    assert [f.path for f in client.list_artifacts(run_id, "notes")] == ["notes/notes.txt"]
    downloaded = client.download_artifacts(run_id, "notes/notes.txt", str(tmp_path))
    assert open(downloaded).read() == "logged"
    assert list(mlflow.sklearn.load_model(info.model_uri).predict([[3.0]])) == [1]
    assert list(mlflow.pyfunc.load_model("models:/through-service/1").predict(np.array([[0.0]]))) == [0]
    assert mlflow.models.get_model_info(f"runs:/{run_id}/model").flavors.keys() >= {"sklearn", "python_function"}


def test_the_client_refuses_an_azureml_uri_that_names_no_workspace_artifacts():
    from mlflow.exceptions import MlflowException

    from sim.service import mlflow_client

    with pytest.raises(MlflowException, match="not an artifact URI of a simulated workspace"):
        mlflow_client.artifact_repository("azureml://datastores/workspaceblobstore/paths/data")
