"""Data assets through the real azure-ai-ml: uri_file, uri_folder, mltable; versions, latest, archive; v1 sees them."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

CSV = "PatientID,Age,Diabetic\n1,21,0\n2,35,1\n3,50,1\n"
MLTABLE = "paths:\n  - file: ./diabetes.csv\ntransformations:\n  - read_delimited:\n      delimiter: ','\n" \
          "      encoding: 'ascii'\n"


@pytest.fixture
def lab_folder(tmp_path, monkeypatch):
    """A lab folder with data/diabetes.csv and data/MLTable, as the current folder."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "diabetes.csv").write_text(CSV)
    (data / "MLTable").write_text(MLTABLE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _data(path, kind, name, **extra):
    from azure.ai.ml.entities import Data

    return Data(path=path, type=kind, name=name, **extra)


def test_a_local_file_is_uploaded_to_the_default_datastore_under_local_upload(ml_client, workspace, lab_folder):
    from sim.cloud import datastores

    created = ml_client.data.create_or_update(_data("./data/diabetes.csv", "uri_file", "diabetes-local",
                                                    description="local file"))
    assert (created.name, created.version, created.type) == ("diabetes-local", "1", "uri_file")
    assert created.path.startswith("azureml://datastores/workspaceblobstore/paths/LocalUpload/")
    assert created.path.endswith("/diabetes.csv")
    relative = created.path.split("/paths/", 1)[1]
    assert relative in datastores.list_files(workspace, "workspaceblobstore")
    assert (datastores.content_root(workspace, "workspaceblobstore") / relative).read_text() == CSV


def test_uploading_the_same_file_again_reuses_the_upload_and_makes_version_2(ml_client, lab_folder):
    first = ml_client.data.create_or_update(_data("./data/diabetes.csv", "uri_file", "diabetes-local"))
    second = ml_client.data.create_or_update(_data("./data/diabetes.csv", "uri_file", "diabetes-local"))
    assert (first.version, second.version) == ("1", "2")
    assert first.path == second.path
    assert ml_client.data.get("diabetes-local", label="latest").version == "2"


def test_a_datastore_uri_is_kept_as_given_and_need_not_exist(ml_client):
    path = "azureml://datastores/workspaceblobstore/paths/data-asset-path/"
    created = ml_client.data.create_or_update(_data(path, "uri_folder", "diabetes-datastore-path"))
    assert created.path == path
    assert ml_client.data.get("diabetes-datastore-path", version="1").path == path


def test_an_mltable_folder_is_uploaded_with_its_referenced_uris(ml_client, workspace, lab_folder):
    from sim.cloud import datastores

    created = ml_client.data.create_or_update(_data("data/", "mltable", "diabetes-table"))
    assert created.type == "mltable"
    assert created._referenced_uris == ["./diabetes.csv"]  # noqa: SLF001 - the SDK keeps them private
    folder = created.path.split("/paths/", 1)[1].rstrip("/")
    files = datastores.list_files(workspace, "workspaceblobstore", folder)
    assert sorted(f.rsplit("/", 1)[1] for f in files) == ["MLTable", "diabetes.csv"]


def test_get_list_and_list_versions(ml_client, lab_folder):
    ml_client.data.create_or_update(_data("./data/diabetes.csv", "uri_file", "diabetes-local"))
    ml_client.data.create_or_update(_data("./data/diabetes.csv", "uri_file", "diabetes-local", version="v2"))
    ml_client.data.create_or_update(_data("data/", "mltable", "diabetes-table"))
    listed = {d.name: d.latest_version for d in ml_client.data.list()}
    assert listed == {"diabetes-local": "v2", "diabetes-table": "1"}
    assert [d.version for d in ml_client.data.list(name="diabetes-local")] == ["v2", "1"]
    got = ml_client.data.get(name="diabetes-table", version=1)
    assert got.id.endswith("/workspaces/mlw-dp100/data/diabetes-table/versions/1")


def test_a_missing_name_or_version_is_a_resource_not_found_error(ml_client, lab_folder):
    with pytest.raises(ResourceNotFoundError):
        ml_client.data.get("nope", version="1")
    ml_client.data.create_or_update(_data("./data/diabetes.csv", "uri_file", "diabetes-local"))
    with pytest.raises(ResourceNotFoundError, match="diabetes-local:9"):
        ml_client.data.get("diabetes-local", version="9")


def test_a_version_path_cannot_change_but_its_description_can(ml_client):
    ml_client.data.create_or_update(_data("azureml://datastores/workspaceblobstore/paths/a/", "uri_folder", "d",
                                          version="1"))
    updated = ml_client.data.create_or_update(_data("azureml://datastores/workspaceblobstore/paths/a/", "uri_folder",
                                                    "d", version="1", description="now described"))
    assert updated.description == "now described"
    with pytest.raises(HttpResponseError, match="Asset paths cannot be updated") as caught:
        ml_client.data.create_or_update(_data("azureml://datastores/workspaceblobstore/paths/b/", "uri_folder", "d",
                                              version="1"))
    assert caught.value.status_code == 400


def test_archive_and_restore_a_version_and_a_whole_asset(ml_client):
    for version in ("1", "2"):
        ml_client.data.create_or_update(_data(f"azureml://datastores/workspaceblobstore/paths/{version}/",
                                              "uri_folder", "d", version=version))
    ml_client.data.archive("d", version="2")
    assert [d.version for d in ml_client.data.list(name="d")] == ["1"]
    assert ml_client.data.get("d", label="latest").version == "1"
    assert ml_client.data.get("d", version="2").version == "2"  # an archived version can still be read
    ml_client.data.restore("d", version="2")
    ml_client.data.archive("d")
    assert "d" not in [d.name for d in ml_client.data.list()]
    ml_client.data.restore("d")
    assert [d.version for d in ml_client.data.list(name="d")] == ["2", "1"]


def test_v1_sees_what_v2_uploaded(ml_client, workspace, lab_folder):
    from sim.azureml.core import Dataset, Datastore, Workspace
    from sim.cloud import data_assets
    from tests.rest.conftest import RG, SUB, WS

    created = ml_client.data.create_or_update(_data("./data/diabetes.csv", "uri_file", "diabetes-local"))
    ws = Workspace(SUB, RG, WS)
    store = Datastore.get(ws, "workspaceblobstore")
    files = Dataset.File.from_files((store, created.path.split("/paths/", 1)[1])).to_path()
    assert files == ["/diabetes.csv"]
    table = Dataset.Tabular.from_delimited_files((store, created.path.split("/paths/", 1)[1]))
    assert table.to_pandas_dataframe()["Age"].tolist() == [21, 35, 50]
    assert [a.name for a in data_assets.list_latest(workspace)] == ["diabetes-local"]  # the Studio's read view


def test_v1_dataset_get_by_name_falls_back_to_a_v2_data_asset_as_the_sdk_does(ml_client, lab_folder):
    from sim.azureml.core import Dataset, Workspace
    from sim.azureml.data import FileDataset, TabularDataset
    from sim.azureml.exceptions import UserErrorException
    from tests.rest.conftest import RG, SUB, WS

    ml_client.data.create_or_update(_data("data/", "mltable", "diabetes-table"))
    ml_client.data.create_or_update(_data("./data/diabetes.csv", "uri_file", "diabetes-local"))
    ws = Workspace(SUB, RG, WS)
    table = Dataset.get_by_name(ws, "diabetes-table")
    assert isinstance(table, TabularDataset) and table.name is None  # read from the asset, not registered in v1
    assert table.to_pandas_dataframe()["Age"].tolist() == [21, 35, 50]
    files = Dataset.get_by_name(ws, "diabetes-local", version=1)
    assert isinstance(files, FileDataset) and files.to_path() == ["/diabetes.csv"]
    with pytest.raises(UserErrorException, match="nope"):
        Dataset.get_by_name(ws, "nope")
    with pytest.raises(UserErrorException):
        Dataset.get_by_name(ws, "diabetes-local", version=7)


def test_the_studio_data_list_shows_v1_datasets_and_v2_data_assets(ml_client, workspace, lab_folder):
    from sim import studio
    from sim.azureml.core import Dataset, Datastore, Workspace
    from tests.rest.conftest import RG, SUB, WS

    ws = Workspace(SUB, RG, WS)
    store = Datastore.get(ws, "workspaceblobstore")
    store.upload_files([str(lab_folder / "data" / "diabetes.csv")], target_path="v1", show_progress=False)
    Dataset.Tabular.from_delimited_files((store, "v1/diabetes.csv")).register(ws, "diabetes-v1")
    ml_client.data.create_or_update(_data("data/", "mltable", "diabetes-table"))
    ml_client.data.create_or_update(_data("data/", "mltable", "diabetes-table"))
    rows = {r["name"]: (r["type"], r["version"]) for r in studio.dataset_rows(ws)}
    assert rows == {"diabetes-v1": ("TabularDataset", 1), "diabetes-table": ("mltable", 2)}
    assert studio.dataset_versions(ws, "diabetes-table") == [2, 1]
    assert studio.dataset_preview(ws, "diabetes-table", 1, rows=2)["PatientID"].tolist() == [1, 2]


def test_a_whole_asset_keeps_the_description_and_tags_its_update_gives(ml_client, workspace):
    from sim.client.transport import call_service

    ml_client.data.create_or_update(_data("azureml://datastores/workspaceblobstore/paths/a/", "uri_folder", "d"))
    url = f"https://management.azure.com{workspace.arm_id}/data/d?api-version=2023-04-01-preview"
    body = b'{"properties": {"description": "all versions", "tags": {"team": "dp100"}, "isArchived": false}}'
    status, _headers, answer = call_service("PUT", url, {"Content-Type": "application/json"}, body)
    assert status == 200 and b'"description": "all versions"' in answer and b'"team": "dp100"' in answer
