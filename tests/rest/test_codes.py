"""Code assets through the real azure-ai-ml: a snapshot folder uploaded once, found again by its content hash."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError


@pytest.fixture
def src(tmp_path, monkeypatch):
    """A ./src folder with a script, as the current folder."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "train.py").write_text("print('training')\n")
    (folder / "util.py").write_text("X = 1\n")
    monkeypatch.chdir(tmp_path)
    return folder


def _code(**settings):
    from azure.ai.ml.entities._assets import Code

    return Code(**{"path": "./src", **settings})


def _codes(ml_client):
    return ml_client._code  # noqa: SLF001 - the operations command jobs use to upload their code


def test_an_anonymous_snapshot_is_uploaded_to_a_container_of_the_workspace_storage(ml_client, workspace, src):
    from sim.cloud import codes, datastores

    code = _codes(ml_client).create_or_update(_code())
    account = datastores.storage_account_name(workspace)
    assert code.path.startswith(f"https://{account}.blob.core.windows.net/") and code.path.endswith("/src")
    folder = codes.local_path(workspace, code.name, code.version)
    assert sorted(p.name for p in folder.iterdir()) == ["train.py", "util.py"]
    assert (folder / "train.py").read_text() == "print('training')\n"


def test_the_same_content_is_found_by_hash_and_not_uploaded_again(ml_client, workspace, src):
    from sim.cloud import codes

    first = _codes(ml_client).create_or_update(_code())
    again = _codes(ml_client).create_or_update(_code())
    assert (again.name, again.version, again.path) == (first.name, first.version, first.path)
    assert len(codes.versions(workspace)) == 1
    (src / "util.py").write_text("X = 2\n")
    changed = _codes(ml_client).create_or_update(_code())
    assert changed.name != first.name and len(codes.versions(workspace)) == 2


def test_a_named_version_can_be_read_back_and_a_missing_one_is_404(ml_client, src):
    created = _codes(ml_client).create_or_update(_code(name="train-src", version="1"))
    got = _codes(ml_client).get("train-src", "1")
    assert (got.name, got.version, got.path) == ("train-src", "1", created.path)
    with pytest.raises(ResourceNotFoundError, match="train-src:2"):
        _codes(ml_client).get("train-src", "2")


def test_a_version_cannot_point_at_other_files_later(ml_client, src):
    _codes(ml_client).create_or_update(_code(name="train-src", version="1"))
    (src / "train.py").write_text("print('changed')\n")
    with pytest.raises(HttpResponseError, match="Asset paths cannot be updated") as caught:
        _codes(ml_client).create_or_update(_code(name="train-src", version="1"))
    assert caught.value.status_code == 400


def test_listing_code_containers_and_versions_over_rest(ml_client, workspace, src):
    from sim.client.transport import call_service

    _codes(ml_client).create_or_update(_code(name="train-src", version="1"))
    base = f"https://management.azure.com{workspace.arm_id}/codes"
    status, _headers, body = call_service("GET", f"{base}?api-version=2023-04-01", {}, b"")
    assert status == 200 and b'"latestVersion": "1"' in body
    status, _headers, body = call_service("GET", f"{base}/train-src/versions?api-version=2023-04-01", {}, b"")
    assert status == 200 and b"/codes/train-src/versions/1" in body
