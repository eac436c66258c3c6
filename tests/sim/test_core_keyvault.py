"""The workspace key vault, used as a learner would (ws.get_default_keyvault())."""

from __future__ import annotations

import os
import stat

import pytest

SUB = "00000000-0000-0000-0000-000000000000"


pytestmark = pytest.mark.usefixtures("sim_active")


@pytest.fixture()
def keyvault():
    from azureml.core import Workspace

    ws = Workspace.create(name="kv-workspace", subscription_id=SUB, resource_group="rg", location="eastus",
                          show_output=False)
    return ws.get_default_keyvault()


def test_set_get_overwrite_and_batch(keyvault):
    keyvault.set_secret(name="storage-key", value="first")
    keyvault.set_secret(name="storage-key", value="second")
    assert keyvault.get_secret(name="storage-key") == "second"
    keyvault.set_secrets({"a-1": "x", "b-2": "y"})
    assert keyvault.get_secrets(["a-1", "b-2"]) == {"a-1": "x", "b-2": "y"}
    names = [s["name"] for s in keyvault.list_secrets()]
    assert {"storage-key", "a-1", "b-2"} <= set(names)


def test_secret_names_are_case_insensitive(keyvault):
    keyvault.set_secret("Api-Key", "v")
    assert keyvault.get_secret("api-key") == "v"


def test_content_type_is_kept(keyvault):
    keyvault.set_secret("conn", "Server=x", content_type="text/plain")
    assert keyvault.get_secret_content_type("conn") == "text/plain"


def test_files_are_owner_only(keyvault):
    keyvault.set_secret("private", "value")
    folder = keyvault.workspace._record.keyvault_dir
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_secret_values_never_reach_the_state_database(keyvault):
    keyvault.set_secret("needle", "very-distinctive-value-123")
    state = keyvault.workspace._record.state_db.read_bytes()
    assert b"very-distinctive-value-123" not in state


@pytest.mark.parametrize("name", ["", "has space", "under_score", "x" * 128])
def test_invalid_names(keyvault, name):
    from azureml.exceptions import UserErrorException

    with pytest.raises(UserErrorException, match="Azure Key Vault rules"):
        keyvault.set_secret(name, "v")


def test_value_must_be_text(keyvault):
    from azureml.exceptions import UserErrorException

    with pytest.raises(UserErrorException, match="must be a string"):
        keyvault.set_secret("number", 42)


def test_missing_and_deleted_secrets(keyvault):
    from azureml.exceptions import UserErrorException

    with pytest.raises(UserErrorException, match="SecretNotFound"):
        keyvault.get_secret("nope")
    keyvault.set_secret("temp", "v")
    keyvault.delete_secret("temp")
    with pytest.raises(UserErrorException, match="SecretNotFound"):
        keyvault.delete_secret("temp")


def test_cloud_contract(keyvault):
    from sim.cloud import keyvault as cloud_keyvault

    record = keyvault.workspace._record
    cloud_keyvault.set_secret(record, "from-cloud", "v")
    assert cloud_keyvault.get_secret(record, "from-cloud") == "v"
    assert cloud_keyvault.secret_exists(record, "from-cloud")
    assert "from-cloud" in cloud_keyvault.list_secrets(record)
