"""Models through the real azure-ai-ml: local folders, MLflow models, job outputs, versions, archive, v1 sees v2."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from tests.rest.conftest import RG, SUB, WS


@pytest.fixture(scope="module")
def sklearn_model():
    """A tiny fitted classifier (two features, two classes)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    features = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1]])
    return LogisticRegression().fit(features, [0, 1, 0, 1])


@pytest.fixture(scope="module")
def mlflow_folder(tmp_path_factory, sklearn_model):
    """An MLflow model folder (MLmodel, model.pkl, ...) saved with mlflow.sklearn.save_model."""
    import mlflow.sklearn

    folder = tmp_path_factory.mktemp("mlflow") / "model"
    mlflow.sklearn.save_model(sklearn_model, str(folder), pip_requirements=["scikit-learn"])  # no slow inference
    return folder


@pytest.fixture
def custom_folder(tmp_path):
    """A plain model folder with one file."""
    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "model.pkl").write_bytes(b"not really a pickle")
    return folder


def _model(path, name="diabetes-model", **kwargs):
    from azure.ai.ml.constants import AssetTypes
    from azure.ai.ml.entities import Model

    return Model(path=str(path), name=name, type=kwargs.pop("type", AssetTypes.CUSTOM_MODEL), **kwargs)


def test_a_local_folder_registers_as_version_1_of_a_custom_model(ml_client, custom_folder):
    created = ml_client.models.create_or_update(_model(custom_folder, description="first", tags={"k": "v"}))
    assert (created.name, created.version, created.type) == ("diabetes-model", "1", "custom_model")
    assert "/datastores/workspaceblobstore/paths/LocalUpload/" in created.path
    got = ml_client.models.get("diabetes-model", version="1")
    assert (got.description, got.tags, got.path) == ("first", {"k": "v"}, created.path)


def test_versions_count_up_and_latest_is_the_newest(ml_client, custom_folder):
    for _ in range(2):
        ml_client.models.create_or_update(_model(custom_folder))
    assert ml_client.models.get("diabetes-model", label="latest").version == "2"
    assert [m.version for m in ml_client.models.list(name="diabetes-model")] == ["2", "1"]
    assert [m.name for m in ml_client.models.list()] == ["diabetes-model"]


def test_an_mlflow_model_folder_keeps_its_flavors(ml_client, mlflow_folder):
    from azure.ai.ml.constants import AssetTypes

    created = ml_client.models.create_or_update(_model(mlflow_folder, name="mlflow-diabetes",
                                                       type=AssetTypes.MLFLOW_MODEL))
    assert created.type == "mlflow_model"
    assert {"python_function", "sklearn"} <= set(created.flavors)
    assert created.flavors["python_function"]["loader_module"] == "mlflow.sklearn"


def test_a_missing_model_or_version_is_resource_not_found(ml_client, custom_folder):
    with pytest.raises(ResourceNotFoundError, match="nope"):
        ml_client.models.get("nope", version="1")
    ml_client.models.create_or_update(_model(custom_folder))
    with pytest.raises(ResourceNotFoundError, match="version '7'"):
        ml_client.models.get("diabetes-model", version="7")


def test_a_version_ahead_of_the_next_one_is_refused(ml_client, custom_folder):
    with pytest.raises(HttpResponseError, match="next version of this model is 1") as caught:
        ml_client.models.create_or_update(_model(custom_folder, version="5"))
    assert caught.value.status_code == 400


def test_an_existing_version_updates_its_description_but_not_its_files(ml_client, custom_folder, tmp_path):
    ml_client.models.create_or_update(_model(custom_folder, version="1"))
    updated = ml_client.models.create_or_update(_model(custom_folder, version="1", description="better"))
    assert (updated.version, updated.description) == ("1", "better")
    other = tmp_path / "other"
    other.mkdir()
    (other / "model.pkl").write_bytes(b"different bytes")
    with pytest.raises(Exception, match="cannot be updated|already linked"):
        ml_client.models.create_or_update(_model(other, version="1"))


def test_archive_hides_a_version_and_restore_brings_it_back(ml_client, custom_folder):
    from azure.ai.ml.constants import ListViewType

    for _ in range(2):
        ml_client.models.create_or_update(_model(custom_folder))
    ml_client.models.archive("diabetes-model", version="2")
    assert [m.version for m in ml_client.models.list(name="diabetes-model")] == ["1"]
    assert ml_client.models.get("diabetes-model", label="latest").version == "1"
    archived = ml_client.models.list(name="diabetes-model", list_view_type=ListViewType.ARCHIVED_ONLY)
    assert [m.version for m in archived] == ["2"]
    ml_client.models.restore("diabetes-model", version="2")
    assert ml_client.models.get("diabetes-model", label="latest").version == "2"


def test_archiving_a_model_hides_it_from_the_list(ml_client, custom_folder):
    ml_client.models.create_or_update(_model(custom_folder))
    ml_client.models.archive("diabetes-model")
    assert list(ml_client.models.list()) == []
    ml_client.models.restore("diabetes-model")
    assert [m.name for m in ml_client.models.list()] == ["diabetes-model"]


def test_download_writes_the_registered_files(ml_client, custom_folder, tmp_path):
    ml_client.models.create_or_update(_model(custom_folder))
    ml_client.models.download("diabetes-model", version="1", download_path=str(tmp_path / "out"))
    assert (tmp_path / "out" / "diabetes-model" / "custom" / "model.pkl").read_bytes() == b"not really a pickle"


def test_v1_sees_a_v2_model_and_v2_sees_a_v1_model(ml_client, workspace, custom_folder):
    from sim.azureml.core import Model as V1Model
    from sim.azureml.core import Workspace

    ml_client.models.create_or_update(_model(custom_folder, tags={"stage": "dev"}))
    ws = Workspace.get(WS, subscription_id=SUB, resource_group=RG)
    found = V1Model.list(ws, name="diabetes-model")
    assert [(m.name, m.version, m.tags) for m in found] == [("diabetes-model", 1, {"stage": "dev"})]
    V1Model.register(ws, model_path=str(custom_folder), model_name="v1-model")
    seen = ml_client.models.get("v1-model", version="1")
    assert (seen.type, seen.path.startswith("aml://asset/")) == ("custom_model", True)


def _log_run_model(record, sklearn_model) -> str:
    """A finished MLflow run (what a job is) that logged `model` with MLflow 3's log_model; its id."""
    import mlflow
    import mlflow.sklearn

    from sim.cloud import experiments

    experiment = experiments.get_or_create(record, "diabetes-training")
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(record.mlflow_uri)
    try:
        with mlflow.start_run(experiment_id=experiment.id) as run:
            mlflow.sklearn.log_model(sklearn_model, name="model", pip_requirements=["scikit-learn"])
    finally:
        mlflow.set_tracking_uri(previous)
    return run.info.run_id


def test_a_jobs_logged_model_registers_from_its_output_path(ml_client, workspace, sklearn_model, tmp_path):
    from azure.ai.ml.constants import AssetTypes

    job = _log_run_model(workspace, sklearn_model)
    output = f"azureml://jobs/{job}/outputs/artifacts/paths/model/"
    created = ml_client.models.create_or_update(_model(output, name="mlflow-diabetes", type=AssetTypes.MLFLOW_MODEL))
    assert (created.version, created.type, created.job_name) == ("1", "mlflow_model", job)
    assert "sklearn" in created.flavors
    assert created.path.endswith(f"/datastores/workspaceartifactstore/paths/ExperimentRun/dcid.{job}/model")
    again = ml_client.models.create_or_update(_model(output, name="mlflow-diabetes", version="1", description="x",
                                                     type=AssetTypes.MLFLOW_MODEL))
    assert (again.version, again.description) == ("1", "x")
    ml_client.models.download("mlflow-diabetes", version="1", download_path=str(tmp_path))
    assert (tmp_path / "mlflow-diabetes" / "model" / "MLmodel").is_file()
    from_runs = ml_client.models.create_or_update(_model(f"runs:/{job}/model", name="mlflow-diabetes",
                                                         type=AssetTypes.MLFLOW_MODEL))
    assert from_runs.version == "2"


def test_a_job_path_naming_nothing_is_a_400(ml_client, workspace, sklearn_model):
    from azure.ai.ml.constants import AssetTypes

    with pytest.raises(HttpResponseError, match="job 'no-such-job' .* was not found") as caught:
        ml_client.models.create_or_update(_model("azureml://jobs/no-such-job/outputs/artifacts/paths/model/",
                                                 type=AssetTypes.MLFLOW_MODEL))
    assert caught.value.status_code == 400
    job = _log_run_model(workspace, sklearn_model)
    with pytest.raises(HttpResponseError, match="has no output 'weights'"):
        ml_client.models.create_or_update(_model(f"azureml://jobs/{job}/outputs/artifacts/paths/weights/"))


def test_a_failed_jobs_missing_output_says_the_job_failed(ml_client, workspace):
    from sim.cloud import experiments
    from sim.cloud.runs.tracking import client

    job = client(workspace).create_run(experiments.get_or_create(workspace, "diabetes-training").id).info.run_id
    client(workspace).set_terminated(job, status="FAILED")
    with pytest.raises(HttpResponseError, match=f"job '{job}' ended Failed without an output 'model'"):
        ml_client.models.create_or_update(_model(f"azureml://jobs/{job}/outputs/artifacts/paths/model/"))


def test_an_mlflow_model_version_loads_from_the_mlflow_registry(ml_client, workspace, mlflow_folder, sklearn_model):
    """The registry is MLflow's too: models:/<name>/<version> loads the registered MLflow model folder."""
    import mlflow.pyfunc
    import numpy as np
    from azure.ai.ml.constants import AssetTypes

    ml_client.models.create_or_update(_model(mlflow_folder, name="mlflow-diabetes", type=AssetTypes.MLFLOW_MODEL))
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(workspace.mlflow_uri)
    try:
        loaded = mlflow.pyfunc.load_model("models:/mlflow-diabetes/1")
    finally:
        mlflow.set_tracking_uri(previous)
    features = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert list(loaded.predict(features)) == list(sklearn_model.predict(features))


def test_a_model_logged_with_no_active_run_belongs_to_the_job_whose_script_logged_it(ml_client, workspace,
                                                                                     sklearn_model, monkeypatch):
    """MLflow 3 logs a model without a source run when the script never started one (lab 10's scripts)."""
    import sys

    import mlflow
    import mlflow.sklearn
    import yaml
    from azure.ai.ml.constants import AssetTypes

    from sim.cloud import experiments
    from sim.cloud.models import assets
    from sim.cloud.runs.jobs import job_folder
    from sim.cloud.runs.tracking import client

    experiment = experiments.get_or_create(workspace, "diabetes-training")
    job = client(workspace).create_run(experiment.id).info.run_id
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(workspace.mlflow_uri)
    monkeypatch.setenv("MLFLOW_EXPERIMENT_ID", experiment.id)  # as a job's environment names its experiment
    logged = {}
    try:
        for who, script in (("job", job_folder(workspace, job) / "wd" / "train.py"), ("other", "/elsewhere.py")):
            monkeypatch.setattr(sys, "argv", [str(script)])  # MLflow tags the model with the script that ran
            logged[who] = mlflow.sklearn.log_model(sklearn_model, name="model", pip_requirements=["scikit-learn"])
    finally:
        mlflow.set_tracking_uri(previous)
    client(workspace).set_terminated(job)
    created = ml_client.models.create_or_update(_model(
        f"azureml://jobs/{job}/outputs/artifacts/paths/model/", name="mlflow-diabetes", type=AssetTypes.MLFLOW_MODEL))
    assert created.job_name == job
    files = assets.get(workspace, "mlflow-diabetes", 1).version.path
    assert yaml.safe_load((files / "MLmodel").read_text())["model_id"] == logged["job"].model_id
