"""Datastores through the real azure-ai-ml: list, default, create (placeholder keys), secrets, delete, v1 sees v2."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError


def _lab_store(**overrides):
    from azure.ai.ml.entities import AccountKeyConfiguration, AzureBlobDatastore

    settings = {"name": "blob_training_data", "description": "Blob Storage for training data",
                "account_name": "YOUR-STORAGE-ACCOUNT-NAME", "container_name": "training-data",
                "credentials": AccountKeyConfiguration(account_key="XXXX-XXXX")}
    return AzureBlobDatastore(**{**settings, **overrides})


def test_a_new_workspace_lists_its_blob_and_file_stores_and_the_blob_store_is_default(ml_client, workspace):
    from sim.cloud import datastores

    stores = {d.name: d for d in ml_client.datastores.list()}
    assert sorted(stores) == ["workspaceblobstore", "workspacefilestore"]
    default = ml_client.datastores.get_default()
    assert (default.name, default.type) == ("workspaceblobstore", "AzureBlob")
    assert default.account_name == datastores.storage_account_name(workspace)
    assert stores["workspacefilestore"].file_share_name.startswith("azureml-filestore-")


def test_create_a_blob_datastore_with_placeholder_credentials_as_lab_03_does(ml_client):
    created = ml_client.create_or_update(_lab_store())
    assert (created.name, created.account_name, created.container_name) == (
        "blob_training_data", "YOUR-STORAGE-ACCOUNT-NAME", "training-data")
    assert created.description == "Blob Storage for training data"
    assert created.credentials.type == "account_key"
    assert "blob_training_data" in [d.name for d in ml_client.datastores.list()]


def test_get_never_returns_the_secret_and_include_secrets_asks_list_secrets(ml_client):
    ml_client.create_or_update(_lab_store())
    plain = ml_client.datastores.get("blob_training_data")
    assert getattr(plain.credentials, "account_key", None) is None
    secret = ml_client.datastores._list_secrets("blob_training_data")  # noqa: SLF001 - what uploads call
    assert secret.key == "XXXX-XXXX"
    with_secrets = ml_client.datastores.get("blob_training_data", include_secrets=True)
    assert with_secrets.credentials.sas_token  # an expirable secret is a SAS, as Azure gives for blob stores


def test_a_missing_datastore_is_a_resource_not_found_error(ml_client):
    with pytest.raises(ResourceNotFoundError, match="nope"):
        ml_client.datastores.get("nope")


def test_create_again_updates_the_description_and_keeps_one_store(ml_client):
    ml_client.create_or_update(_lab_store())
    ml_client.create_or_update(_lab_store(description="changed"))
    assert ml_client.datastores.get("blob_training_data").description == "changed"
    assert [d.name for d in ml_client.datastores.list()].count("blob_training_data") == 1


def test_delete_removes_the_registration_and_the_default_cannot_be_deleted(ml_client):
    ml_client.create_or_update(_lab_store())
    ml_client.datastores.delete("blob_training_data")
    with pytest.raises(ResourceNotFoundError):
        ml_client.datastores.get("blob_training_data")
    with pytest.raises(HttpResponseError) as caught:
        ml_client.datastores.delete("workspaceblobstore")
    assert caught.value.status_code == 400


def test_sas_and_identity_based_datastores(ml_client):
    from azure.ai.ml.entities import AzureDataLakeGen2Datastore, SasTokenConfiguration

    ml_client.create_or_update(_lab_store(name="sas_store", credentials=SasTokenConfiguration(sas_token="sv=x&sig=y")))
    ml_client.create_or_update(AzureDataLakeGen2Datastore(name="lake", account_name="mylake", filesystem="raw"))
    assert ml_client.datastores.get("sas_store").credentials.type == "sas"
    lake = ml_client.datastores.get("lake")
    assert (lake.type, lake.filesystem, lake.credentials.type) == ("AzureDataLakeGen2", "raw", "None")


def test_v1_sees_the_datastore_v2_created_and_its_backing_folder(ml_client, workspace):
    from sim.azureml.core import Datastore, Workspace
    from sim.cloud import datastores
    from tests.rest.conftest import RG, SUB, WS

    ml_client.create_or_update(_lab_store())
    ws = Workspace(SUB, RG, WS)
    store = Datastore.get(ws, "blob_training_data")
    assert (store.account_name, store.container_name, store.account_key) == (
        "YOUR-STORAGE-ACCOUNT-NAME", "training-data", "XXXX-XXXX")
    folder = datastores.content_root(workspace, "blob_training_data")
    assert folder.is_dir() and folder.name == "training-data"


def test_a_v1_sql_datastore_is_left_out_of_the_v2_listing(ml_client, workspace):
    from sim.cloud import datastores

    datastores.register(workspace, "sqldb", datastores.AZURE_SQL_DATABASE, {"server_name": "s", "database_name": "d"},
                        {"password": "p"})
    assert "sqldb" not in [d.name for d in ml_client.datastores.list()]
    with pytest.raises(HttpResponseError) as caught:
        ml_client.datastores.get("sqldb")
    assert caught.value.status_code == 400
