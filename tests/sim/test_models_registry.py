"""Registered models through the facade: register, get, list, change, download, delete, MLflow mirror."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.sim._models_helpers import LabFolder


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = LabFolder(tmp_path_factory, "models")
    yield folder
    folder.close()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    return lab.home


@pytest.fixture()
def Model():
    from azureml.core import Model

    return Model


def _file(name: str, text: str = "weights") -> str:
    Path(name).write_text(text)
    return name


def test_register_versions_and_getters(lab, Model, capsys):
    first = Model.register(workspace=lab.ws, model_path=_file("m.pkl", "v1"), model_name="reg-basic",
                           tags={"area": "diabetes"}, properties={"AUC": 0.91}, description="first")
    assert "Registering model reg-basic" in capsys.readouterr().out
    second = Model.register(lab.ws, _file("m.pkl", "v2"), "reg-basic")
    assert (first.version, second.version, second.id) == (1, 2, "reg-basic:2")
    assert first.properties == {"AUC": "0.91"} and first.model_framework == "Custom"
    assert first.created_by["userName"] == "learner@contoso.com" and first.created_time is not None
    assert Model(lab.ws, "reg-basic").version == 2
    assert Model(lab.ws, name="reg-basic", version=1).description == "first"
    assert Model(lab.ws, id="reg-basic:1").tags == {"area": "diabetes"}
    assert Model(lab.ws, "reg-basic", tags=[["area", "diabetes"]]).version == 1


def test_model_not_found_and_bad_arguments(lab, Model):
    from azureml.exceptions import UserErrorException, WebserviceException

    with pytest.raises(WebserviceException, match="ModelNotFound: Model with name nothing-here"):
        Model(lab.ws, "nothing-here")
    with pytest.raises(WebserviceException, match="one of id or name"):
        Model(lab.ws)
    with pytest.raises(WebserviceException, match="model name is invalid"):
        Model.register(lab.ws, _file("x.pkl"), "-bad name")
    with pytest.raises(WebserviceException, match="cannot be found"):
        Model.register(lab.ws, "missing.pkl", "reg-missing")
    with pytest.raises(WebserviceException, match="framework version cannot be provided"):
        Model.register(lab.ws, "x.pkl", "reg-fw", model_framework_version="1.0")
    with pytest.raises(UserErrorException, match="must be list type"):
        Model.list(lab.ws, tags={"a": "b"})
    assert Model.list(lab.ws, name="reg-missing") == []  # nothing half-registered


def test_register_folder_with_child_paths_and_download(lab, Model, tmp_path):
    folder = Path("model_dir")
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("a")
    (folder / "b.txt").write_text("b")
    (folder / "sub" / "c.txt").write_text("c")
    whole = Model.register(lab.ws, "model_dir", "reg-folder", model_framework=Model.Framework.SCIKITLEARN,
                           model_framework_version="1.9")
    partial = Model.register(lab.ws, "model_dir", "reg-folder", child_paths=["a.txt", "sub"])
    assert whole.model_framework == "ScikitLearn" and whole.model_framework_version == "1.9"
    path = Path(whole.download(target_dir=str(tmp_path / "d1")))
    assert path == tmp_path / "d1" / "model_dir"
    assert sorted(p.relative_to(path).as_posix() for p in path.rglob("*.txt")) == ["a.txt", "b.txt", "sub/c.txt"]
    path2 = Path(partial.download(target_dir=str(tmp_path / "d2")))
    assert sorted(p.relative_to(path2).as_posix() for p in path2.rglob("*.txt")) == ["a.txt", "sub/c.txt"]
    from azureml.exceptions import WebserviceException

    with pytest.raises(WebserviceException, match="exist_ok"):
        whole.download(target_dir=str(tmp_path / "d1"))
    assert whole.download(target_dir=str(tmp_path / "d1"), exist_ok=True) == str(path)
    assert sorted(whole.get_sas_urls()) == ["model_dir/a.txt", "model_dir/b.txt", "model_dir/sub/c.txt"]


def test_list_filters_and_order(lab, Model):
    for i in range(3):
        Model.register(lab.ws, _file("f.pkl", str(i)), "reg-list", tags={"stage": "dev" if i < 2 else "prod"},
                       properties={"rank": i})
    versions = [m.version for m in Model.list(lab.ws, name="reg-list")]
    assert versions == [3, 2, 1]
    assert [m.version for m in Model.list(lab.ws, name="reg-list", tags=[["stage", "dev"]])] == [2, 1]
    assert [m.version for m in Model.list(lab.ws, name="reg-list", tags=["stage"])] == [3, 2, 1]
    assert [m.version for m in Model.list(lab.ws, name="reg-list", properties=[["rank", "0"]])] == [1]
    latest = {m.name: m.version for m in Model.list(lab.ws, latest=True)}
    assert latest["reg-list"] == 3 and lab.ws.models["reg-list"].version == 3


def test_tags_properties_and_update(lab, Model, capsys):
    model = Model.register(lab.ws, _file("t.pkl"), "reg-tags", tags={"a": "1"}, properties={"p": "1"})
    model.add_tags({"a": "2", "b": "x"})
    model.remove_tags(["b", "nope"])
    model.add_properties({"q": "2"})
    out = capsys.readouterr().out
    assert "Replacing tag a -> 1 with a -> 2" in out and "Tag with key nope not found." in out
    assert "Model properties add operation complete." in out
    again = Model(lab.ws, id=model.id)
    assert again.tags == {"a": "2"} and again.properties == {"p": "1", "q": "2"}
    from azureml.exceptions import WebserviceException

    with pytest.raises(WebserviceException, match="properties are immutable"):
        again.add_properties({"p": "changed"})
    again.update(tags={"only": "this"}, description="new text")
    assert Model(lab.ws, id=model.id).tags == {"only": "this"}
    assert Model(lab.ws, id=model.id).description == "new text"


def test_serialize_round_trip(lab, Model):
    model = Model.register(lab.ws, _file("s.pkl"), "reg-serial", tags={"k": "v"})
    payload = model.serialize()
    assert json.loads(json.dumps(payload))["id"] == "reg-serial:1"
    assert payload["framework"] == "Custom" and payload["url"].startswith("aml://asset/")
    assert Model.deserialize(lab.ws, payload).tags == {"k": "v"}


def test_delete_removes_version_files_and_mlflow_version(lab, Model):
    from mlflow.tracking import MlflowClient

    model = Model.register(lab.ws, _file("del.pkl"), "reg-delete")
    folder = model._version_record.folder
    model.delete()
    assert Model.list(lab.ws, name="reg-delete") == [] and not folder.exists()
    client = MlflowClient(tracking_uri=lab.ws.get_mlflow_tracking_uri())
    assert client.search_model_versions("name='reg-delete'") == []


def test_mlflow_client_sees_versions_tags_and_description(lab, Model):
    from mlflow.tracking import MlflowClient

    Model.register(lab.ws, _file("ml.pkl"), "reg-mlflow", tags={"team": "dp100"}, properties={"AUC": 0.8},
                   description="seen by mlflow")
    Model.register(lab.ws, _file("ml.pkl", "2"), "reg-mlflow")
    client = MlflowClient(tracking_uri=lab.ws.get_mlflow_tracking_uri())
    versions = {int(v.version): v for v in client.search_model_versions("name='reg-mlflow'")}
    assert sorted(versions) == [1, 2]
    assert versions[1].tags["team"] == "dp100" and versions[1].tags["azureml.property.AUC"] == "0.8"
    assert versions[1].description == "seen by mlflow"
    assert Path(versions[1].source.removeprefix("file://")).is_dir()


def test_register_from_run_links_the_mlflow_run(lab, Model):
    from azureml.core import Experiment
    from mlflow.tracking import MlflowClient

    run = Experiment(lab.ws, "reg-runs").start_logging()
    os.makedirs("outputs/net", exist_ok=True)
    Path("outputs/net/w.bin").write_text("w")
    Path("outputs/net/cfg.json").write_text("{}")
    run.upload_folder(name="outputs/net", path="outputs/net")
    run.complete()
    model = run.register_model(model_name="reg-from-run", model_path="outputs/net")
    assert (model.run_id, model.experiment_name) == (run.id, "reg-runs")
    assert sorted(p.name for p in model._version_record.path.iterdir()) == ["cfg.json", "w.bin"]
    version = MlflowClient(tracking_uri=lab.ws.get_mlflow_tracking_uri()).get_model_version("reg-from-run", "1")
    assert version.run_id == run.id
    from azureml.exceptions import ModelPathNotFoundException

    with pytest.raises(ModelPathNotFoundException, match="Could not locate the provided model_path outputs/nope"):
        run.register_model(model_name="reg-from-run", model_path="outputs/nope")
    assert [m.version for m in Model.list(lab.ws, name="reg-from-run")] == [1]


def test_get_model_path_downloads_with_a_workspace_else_searches_the_cache(lab, Model):
    from azureml.exceptions import ModelNotFoundException, WebserviceException

    Model.register(lab.ws, _file("gmp.pkl", "cached"), "reg-gmp")
    path = Model.get_model_path("reg-gmp", _workspace=lab.ws)
    assert path == os.path.join("azureml-models", "reg-gmp", "1", "gmp.pkl") and Path(path).read_text() == "cached"
    assert Model.get_model_path("reg-gmp") == path  # now found in the local cache
    with pytest.raises(ModelNotFoundException, match="not found in cache"):
        Model.get_model_path("never-registered")
    with pytest.raises(WebserviceException, match="version should be an int"):
        Model.get_model_path("reg-gmp", version="1")


def test_reader_role_cannot_register(lab, Model, monkeypatch):
    from azureml.exceptions import WebserviceException

    monkeypatch.setenv("DP100_SIM_ROLE", "Reader")
    with pytest.raises(WebserviceException, match="models/write"):
        Model.register(lab.ws, _file("r.pkl"), "reg-reader")
    monkeypatch.delenv("DP100_SIM_ROLE")
    assert Model.list(lab.ws, name="reg-reader") == []
    assert not any((Path(lab.ws._record.folder) / "models" / "staging").iterdir())


def test_versions_registered_or_deleted_through_mlflow_show_in_the_sdk(lab, Model, tmp_path):
    import mlflow
    from mlflow.tracking import MlflowClient
    from sklearn.linear_model import LogisticRegression

    previous = mlflow.tracking._tracking_service.utils._tracking_uri
    mlflow.set_tracking_uri(lab.ws.get_mlflow_tracking_uri())
    try:
        experiment_id = mlflow.create_experiment("mlflow-direct", artifact_location=str(tmp_path / "artifacts"))
        with mlflow.start_run(experiment_id=experiment_id) as run:
            mlflow.sklearn.log_model(LogisticRegression().fit([[0], [1]], [0, 1]), name="model",
                                     registered_model_name="reg-via-mlflow", pip_requirements=["scikit-learn"])
    finally:
        mlflow.set_tracking_uri(previous)  # leave the process's MLflow settings as they were
    model = Model(lab.ws, "reg-via-mlflow")
    assert (model.version, model.run_id) == (1, run.info.run_id)
    path = Path(model.download(target_dir=str(tmp_path / "dl")))
    assert path.name == "model" and (path / "MLmodel").exists()
    sdk = Model.register(lab.ws, _file("next.pkl"), "reg-via-mlflow")
    assert sdk.version == 2  # one version sequence for both routes
    MlflowClient(tracking_uri=lab.ws.get_mlflow_tracking_uri()).delete_model_version("reg-via-mlflow", "1")
    assert [m.version for m in Model.list(lab.ws, name="reg-via-mlflow")] == [2]
