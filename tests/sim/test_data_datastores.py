"""Datastores through the SDK facade: defaults, registration of every kind, files, errors."""

from __future__ import annotations

import os
import stat

import pytest

from tests.sim._data_helpers import new_workspace, write_diabetes_files

pytestmark = pytest.mark.usefixtures("sim_active")


@pytest.fixture()
def ws():
    return new_workspace("stores-ws")


def test_default_datastores_exist_with_account_keys(ws):
    from azureml.core import Datastore
    from azureml.data.azure_storage_datastore import AzureBlobDatastore, AzureFileDatastore

    blob, files = ws.datastores["workspaceblobstore"], ws.datastores["workspacefilestore"]
    assert isinstance(blob, AzureBlobDatastore) and isinstance(files, AzureFileDatastore)
    assert blob.container_name.startswith("azureml-blobstore-")
    assert files.container_name.startswith("azureml-filestore-")
    assert blob.account_name == files.account_name == ws.get_details()["storageAccount"].rsplit("/", 1)[-1]
    assert blob.credential_type == "AccountKey" and blob.account_key
    assert Datastore(ws).name == "workspaceblobstore"
    assert Datastore.get_default(ws).datastore_type == "AzureBlob"


def test_datastore_constructor_returns_the_concrete_class(ws):
    from azureml.core import Datastore
    from azureml.data.azure_storage_datastore import AzureFileDatastore

    store = Datastore(ws, "workspacefilestore")
    assert type(store) is AzureFileDatastore and store.name == "workspacefilestore"


def test_register_blob_container_keeps_key_in_key_vault_only(ws):
    from azureml.core import Datastore

    store = Datastore.register_azure_blob_container(workspace=ws, datastore_name="training_data",
                                                    container_name="data", account_name="mystorageacct",
                                                    account_key="c2VjcmV0LWtleQ==")
    assert (store.name, store.container_name, store.account_name) == ("training_data", "data", "mystorageacct")
    assert Datastore.get(ws, "training_data").account_key == "c2VjcmV0LWtleQ=="
    state = (ws._record.folder / "state.db").read_bytes()
    assert b"c2VjcmV0LWtleQ==" not in state
    names = [s["name"] for s in ws.get_default_keyvault().list_secrets()]
    assert "datastore-training-data-account-key" in names
    secret_file = next(p for p in ws._record.keyvault_dir.rglob("*") if p.is_file() and "training-data" in p.name)
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600


def test_register_every_kind(ws):
    from azureml.core import Datastore

    kinds = {
        "blob_sas": Datastore.register_azure_blob_container(ws, "blob_sas", "c", "acct", sas_token="?sv=1"),
        "share": Datastore.register_azure_file_share(ws, "share", "myshare", "acct", account_key="k"),
        "lake": Datastore.register_azure_data_lake_gen2(ws, "lake", "fs", "acct", tenant_id="t", client_id="c",
                                                        client_secret="s"),
        "sqldb": Datastore.register_azure_sql_database(ws, "sqldb", "server", "db", username="u", password="p"),
        "pg": Datastore.register_azure_postgre_sql(ws, "pg", "server", "db", "user", "pw"),
        "mysql": Datastore.register_azure_my_sql(ws, "mysql", "server", "db", "user", "pw"),
        "dbfs": Datastore.register_dbfs(ws, "dbfs"),
    }
    types = {name: type(store).__name__ for name, store in kinds.items()}
    assert types == {"blob_sas": "AzureBlobDatastore", "share": "AzureFileDatastore",
                     "lake": "AzureDataLakeGen2Datastore", "sqldb": "AzureSqlDatabaseDatastore",
                     "pg": "AzurePostgreSqlDatastore", "mysql": "AzureMySqlDatastore", "dbfs": "DBFSDatastore"}
    assert kinds["blob_sas"].credential_type == "Sas" and kinds["blob_sas"].sas_token == "?sv=1"
    assert Datastore.get(ws, "pg").user_password == "pw"
    assert Datastore.get(ws, "lake").client_secret == "s"
    assert set(kinds) <= set(ws.datastores)


def test_names_are_lower_cased_and_validated(ws):
    from azureml.core import Datastore
    from azureml.exceptions import UserErrorException

    assert Datastore.register_azure_blob_container(ws, "MyStore", "c", "acct").name == "mystore"
    with pytest.raises(UserErrorException, match="letters, digits and underscores"):
        Datastore.register_azure_blob_container(ws, "my-store", "c", "acct")


def test_reregistering_same_settings_is_harmless_but_changes_need_overwrite(ws):
    from azureml.core import Datastore
    from azureml.exceptions import UserErrorException

    Datastore.register_azure_blob_container(ws, "twice", "c", "acct", account_key="k")
    Datastore.register_azure_blob_container(ws, "twice", "c", "acct", account_key="k")
    with pytest.raises(UserErrorException, match="Another datastore with the same name already exists"):
        Datastore.register_azure_blob_container(ws, "twice", "other", "acct")
    updated = Datastore.register_azure_blob_container(ws, "twice", "other", "acct", account_key="k2", overwrite=True)
    assert (updated.container_name, updated.account_key) == ("other", "k2")
    Datastore.register_azure_blob_container(ws, "twice", "other", "acct", sas_token="?sv=2", overwrite=True)
    secrets = [s["name"] for s in ws.get_default_keyvault().list_secrets()]
    assert "datastore-twice-sas-token" in secrets and "datastore-twice-account-key" not in secrets


def test_unknown_datastore_raises_user_error(ws):
    from azureml.core import Datastore
    from azureml.exceptions import UserErrorException

    with pytest.raises(UserErrorException, match="Could not find datastore: missing"):
        Datastore.get(ws, "missing")
    with pytest.raises(UserErrorException, match="Could not find datastore"):
        Datastore(ws, "missing")


def test_wrong_types_give_clear_errors(ws):
    from azureml.core import Datastore
    from azureml.exceptions import UserErrorException

    with pytest.raises(UserErrorException, match="must be an azureml.core.Workspace"):
        Datastore.get("my-workspace", "workspaceblobstore")
    with pytest.raises(UserErrorException, match="must be a string naming a datastore"):
        Datastore.get(ws, 42)
    with pytest.raises(UserErrorException, match="User password is required for PostreSQL"):
        Datastore.register_azure_postgre_sql(ws, "pg2", "server", "db", "user", None)
    with pytest.raises(UserErrorException, match="defined together"):
        Datastore.register_azure_data_lake_gen2(ws, "lake2", "fs", "acct", tenant_id="t")
    with pytest.raises(UserErrorException, match="not simulated"):
        Datastore.register_hdfs(ws, "h", "https", "nn", "cert", "realm", "kdc", "principal")


def test_set_default_and_unregister(ws):
    from azureml.core import Datastore
    from azureml.exceptions import UserErrorException

    Datastore.register_azure_blob_container(ws, "other_store", "c", "acct", account_key="k")
    ws.set_default_datastore("other_store")
    assert ws.get_default_datastore().name == "other_store"
    with pytest.raises(UserErrorException, match="default datastore and cannot be unregistered"):
        Datastore.get(ws, "other_store").unregister()
    Datastore.get(ws, "workspaceblobstore").set_as_default()
    Datastore.get(ws, "other_store").unregister()
    assert "other_store" not in ws.datastores
    assert "datastore-other-store-account-key" not in [s["name"] for s in ws.get_default_keyvault().list_secrets()]
    pg = Datastore.register_azure_postgre_sql(ws, "pgdefault", "s", "d", "u", "p")
    with pytest.raises(UserErrorException, match="only an Azure Blob"):
        pg.set_as_default()


def test_upload_download_and_path(ws, tmp_path, capsys):
    store = ws.get_default_datastore()
    write_diabetes_files(tmp_path)
    ref = store.upload(src_dir=str(tmp_path / "data"), target_path="uploads", overwrite=True, show_progress=False)
    assert capsys.readouterr().out == ""
    assert ref.path_on_datastore == "uploads" and ref.datastore is store
    count = store.download(target_path=str(tmp_path / "down"), prefix="uploads", show_progress=False)
    assert count == 2
    assert sorted(os.listdir(tmp_path / "down" / "uploads")) == ["diabetes.csv", "diabetes2.csv"]
    assert store.download(target_path=str(tmp_path / "down"), prefix="uploads", show_progress=False) == 0
    nested = store.path("uploads").path("diabetes.csv")
    assert nested.path_on_datastore == "uploads/diabetes.csv" and nested.mode == "mount"
    assert store.path("uploads").as_download().mode == "download"


def test_two_datastores_on_one_container_share_files(ws, tmp_path):
    from azureml.core import Datastore

    default = ws.get_default_datastore()
    alias = Datastore.register_azure_blob_container(ws, "alias", default.container_name, default.account_name,
                                                    account_key=default.account_key)
    files = write_diabetes_files(tmp_path)
    default.upload_files(files=files[:1], target_path="shared", show_progress=False)
    alias.download(str(tmp_path / "via_alias"), prefix="shared", show_progress=False)
    assert (tmp_path / "via_alias" / "shared" / "diabetes.csv").exists()


def test_upload_errors(ws, tmp_path):
    from azureml.core import Datastore
    from azureml.exceptions import UserErrorException

    store = ws.get_default_datastore()
    with pytest.raises(UserErrorException, match="does not point to a file"):
        store.upload_files(files=[str(tmp_path / "nope.csv")])
    with pytest.raises(UserErrorException, match="must be a list of local file paths"):
        store.upload_files(files="./data/diabetes.csv")
    with pytest.raises(UserErrorException, match="src_path must be a directory"):
        store.upload(src_dir=str(tmp_path / "missing"))
    db = Datastore.register_azure_my_sql(ws, "db", "s", "d", "u", "p")
    assert not hasattr(db, "upload_files")


def test_reader_cannot_register_datastores(ws):
    from azureml.core import Datastore

    from sim.cloud import access

    access.assign_role(ws._record, "reader@example.com", "Reader")
    previous = access.current_caller()
    access.set_caller("reader@example.com")
    try:
        with pytest.raises(Exception, match="datastores/write"):
            Datastore.register_azure_blob_container(ws, "denied", "c", "acct")
        assert "denied" not in [d.name for d in Datastore._list(ws)]
        assert Datastore.get(ws, "workspaceblobstore").account_key is None  # no listsecrets for a Reader
    finally:
        access.set_caller(previous.principal)


def test_data_reference_materializes_for_a_script(ws, tmp_path):
    store = ws.get_default_datastore()
    store.upload_files(files=write_diabetes_files(tmp_path), target_path="refs", show_progress=False)
    work = tmp_path / "wd"
    down = store.path("refs").as_download()._materialize(work)
    assert sorted(os.listdir(down["argument"])) == ["diabetes.csv", "diabetes2.csv"]
    assert down["input"]["mode"] == "reference"
    mounted = store.path("refs/diabetes.csv", data_reference_name="one").as_mount()._materialize(work)
    assert mounted["argument"].endswith("one/diabetes.csv") and os.path.islink(mounted["argument"])
    out = store.path("written").as_upload()._materialize(work)
    assert os.path.isdir(out["argument"]) and out["argument"].endswith("written")
