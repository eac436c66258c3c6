"""The blob service through the real azure-storage-blob: the workspace's containers are its datastores' folders."""

from __future__ import annotations

import pytest
from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError

KEY = "c2ltdWxhdGVkLWtleQ=="  # any key works: the service checks no signature


@pytest.fixture
def store(workspace):
    """(ContainerClient of workspaceblobstore's container, the workspace record)."""
    from azure.storage.blob import BlobServiceClient

    from sim.cloud import datastores

    props = datastores.get(workspace, "workspaceblobstore").properties
    service = BlobServiceClient(f"https://{props['account_name']}.blob.core.windows.net", credential=KEY)
    return service.get_container_client(props["container_name"])


def test_upload_then_download_with_metadata_and_properties(store):
    store.upload_blob("folder/hello.txt", b"hello world", metadata={"upload_status": "completed", "name": "a"})
    blob = store.get_blob_client("folder/hello.txt")
    props = blob.get_blob_properties()
    assert (props.size, props.metadata) == (11, {"upload_status": "completed", "name": "a"})
    assert props.etag and props.last_modified
    assert blob.download_blob().readall() == b"hello world"
    assert blob.download_blob(offset=6, length=5).readall() == b"world"


def test_v1_sees_the_uploaded_blob_and_v1_files_are_blobs(store, workspace, tmp_path):
    from sim.cloud import datastores

    store.upload_blob("v2/data.csv", b"a,b\n1,2\n")
    assert "v2/data.csv" in datastores.list_files(workspace, "workspaceblobstore")
    local = tmp_path / "x.csv"
    local.write_text("x\n1\n")
    datastores.upload(workspace, "workspaceblobstore", [(local, "v1/x.csv")])
    assert store.download_blob("v1/x.csv").readall() == b"x\n1\n"
    assert store.get_blob_client("v1/x.csv").get_blob_properties().metadata == {}


def test_list_with_prefix_delimiter_and_metadata(store):
    for name in ("data/a.csv", "data/sub/b.csv", "data2.csv", "other/c.csv"):
        store.upload_blob(name, b"1", metadata={"n": name.replace("/", "_")})
    assert [b.name for b in store.list_blobs(name_starts_with="data/")] == ["data/a.csv", "data/sub/b.csv"]
    assert [b.name for b in store.walk_blobs(name_starts_with="data", delimiter="/")] == ["data/", "data2.csv"]
    with_metadata = {b.name: b.metadata for b in store.list_blobs(include="metadata")}
    assert with_metadata["other/c.csv"] == {"n": "other_c.csv"}


def test_staged_blocks_make_one_blob(workspace, store):
    from azure.storage.blob import BlobServiceClient

    small_chunks = BlobServiceClient(store.url.rsplit("/", 1)[0], credential=KEY, max_single_put_size=1024,
                                     max_block_size=1024)
    data = bytes(range(256)) * 20
    small_chunks.get_container_client(store.container_name).upload_blob("big.bin", data, max_concurrency=2)
    assert store.download_blob("big.bin").readall() == data
    assert not (workspace.folder / "blob-blocks").exists() or not any((workspace.folder / "blob-blocks").iterdir())


def test_set_metadata_replaces_it(store):
    blob = store.upload_blob("m.txt", b"x", metadata={"upload_status": "pending"})
    blob.set_blob_metadata({"upload_status": "completed", "version": "1"})
    assert blob.get_blob_properties().metadata == {"upload_status": "completed", "version": "1"}


def test_missing_blob_and_container_are_404_with_storage_error_codes(store):
    from azure.storage.blob import BlobServiceClient

    with pytest.raises(ResourceNotFoundError) as caught:
        store.get_blob_client("nope.txt").get_blob_properties()
    assert caught.value.error_code == "BlobNotFound"
    with pytest.raises(ResourceNotFoundError) as caught:
        store.download_blob("nope.txt").readall()
    assert caught.value.error_code == "BlobNotFound"
    other = BlobServiceClient(store.url.rsplit("/", 1)[0], credential=KEY).get_container_client("missing")
    with pytest.raises(ResourceNotFoundError) as caught:
        list(other.list_blobs())
    assert caught.value.error_code == "ContainerNotFound"


def test_no_overwrite_is_a_conflict_and_delete_removes_the_blob(store):
    store.upload_blob("once.txt", b"1")
    with pytest.raises(ResourceExistsError) as caught:
        store.upload_blob("once.txt", b"2")
    assert caught.value.error_code == "BlobAlreadyExists"
    store.upload_blob("once.txt", b"2", overwrite=True)
    assert store.download_blob("once.txt").readall() == b"2"
    store.delete_blob("once.txt")
    assert not store.get_blob_client("once.txt").exists()


def test_empty_blob_downloads_as_empty(store):
    store.upload_blob("empty.txt", b"")
    assert store.download_blob("empty.txt").readall() == b""


def test_new_containers_and_an_unknown_account(store):
    from azure.storage.blob import BlobServiceClient

    service = BlobServiceClient(store.url.rsplit("/", 1)[0], credential=KEY)
    created = service.create_container("snapshots")
    assert created.exists()
    with pytest.raises(ResourceExistsError):
        service.create_container("snapshots")
    service.delete_container("snapshots")
    assert not created.exists()
    stranger = BlobServiceClient("https://nosuchaccount.blob.core.windows.net", credential=KEY)
    with pytest.raises(ResourceNotFoundError):
        stranger.get_container_client("c").get_container_properties()


def test_a_user_datastore_container_is_reachable_by_its_placeholder_account(ml_client, workspace):
    from azure.ai.ml.entities import AccountKeyConfiguration, AzureBlobDatastore
    from azure.storage.blob import BlobServiceClient

    from sim.cloud import datastores

    ml_client.create_or_update(AzureBlobDatastore(name="blob_training_data", account_name="YOUR-STORAGE-ACCOUNT-NAME",
                                                  container_name="training-data",
                                                  credentials=AccountKeyConfiguration(account_key="XXXX-XXXX")))
    service = BlobServiceClient("https://your-storage-account-name.blob.core.windows.net", credential=KEY)
    service.get_container_client("training-data").upload_blob("in/data.csv", b"a\n1\n")
    assert datastores.list_files(workspace, "blob_training_data") == ["in/data.csv"]
