"""Workspace, written the way a learner writes the DP-100 lab set-up code."""

from __future__ import annotations

import json
import os
import stat

import pytest

SUB = "00000000-0000-0000-0000-000000000000"


pytestmark = pytest.mark.usefixtures("sim_active")


@pytest.fixture()
def ws():
    from azureml.core import Workspace

    return Workspace.create(name="aml-workspace", subscription_id=SUB, resource_group="aml-resources",
                            create_resource_group=True, location="eastus", show_output=False)


def test_create_and_properties(ws):
    assert (ws.name, ws.subscription_id, ws.resource_group, ws.location, ws.sku) == (
        "aml-workspace", SUB, "aml-resources", "eastus", "basic")
    assert repr(ws) == ("Workspace.create(name='aml-workspace', subscription_id='" + SUB +
                        "', resource_group='aml-resources')")


def test_create_prints_deployment_progress(capsys):
    from azureml.core import Workspace

    Workspace.create(name="printed", subscription_id=SUB, resource_group="rg", location="westeurope")
    out = capsys.readouterr().out
    assert "Deploying StorageAccount" in out and "Deployed Workspace with name printed." in out


def test_get_details_lists_associated_resources(ws):
    details = ws.get_details()
    assert details["id"].endswith("/workspaces/aml-workspace")
    assert "/Microsoft.Storage/storageAccounts/" in details["storageAccount"]
    assert "/Microsoft.KeyVault/vaults/" in details["keyVault"]
    assert "/microsoft.insights/components/" in details["applicationInsights"]
    assert "containerRegistry" not in details  # created at the first image build (tests/sim/test_container_registry.py)
    assert details["provisioningState"] == "Succeeded"
    assert details["tags"]["createdByToolkit"] == "sdk-v1-1.61.0"


def test_duplicate_name_needs_exist_ok(ws):
    from azureml.core import Workspace
    from azureml.exceptions import WorkspaceException

    with pytest.raises(WorkspaceException, match="already exists"):
        Workspace.create(name="AML-Workspace", subscription_id=SUB, resource_group="aml-resources",
                         location="eastus", show_output=False)
    again = Workspace.create(name="aml-workspace", subscription_id=SUB, resource_group="aml-resources",
                             exist_ok=True, show_output=False)
    assert again == ws


def test_unknown_region_is_rejected_like_azure():
    from azureml.core import Workspace
    from azureml.exceptions import WorkspaceException

    with pytest.raises(WorkspaceException, match="LocationNotAvailableForResourceType.*'atlantis'"):
        Workspace.create(name="ws-x", subscription_id=SUB, resource_group="rg-x", location="atlantis")
    assert Workspace.list(SUB) == {}


@pytest.mark.parametrize("name", ["ab", "-bad", "has space", "x" * 34])
def test_invalid_workspace_names(name):
    from azureml.core import Workspace
    from azureml.exceptions import UserErrorException

    with pytest.raises(UserErrorException, match="3 to 33 characters"):
        Workspace.create(name=name, subscription_id=SUB, resource_group="rg", location="eastus")


def test_missing_resource_group_without_create():
    from azureml.core import Workspace
    from azureml.exceptions import WorkspaceException

    with pytest.raises(WorkspaceException, match="could not be found"):
        Workspace.create(name="ws-y", subscription_id=SUB, resource_group="nope", location="eastus",
                         create_resource_group=False)


def test_get_by_constructor_and_by_name(ws):
    from azureml.core import Workspace
    from azureml.exceptions import ProjectSystemException

    assert Workspace(SUB, "aml-resources", "aml-workspace") == ws
    assert Workspace.get("aml-workspace") == ws
    assert Workspace.get("aml-workspace", subscription_id=SUB, resource_group="aml-resources") == ws
    with pytest.raises(ProjectSystemException, match="Workspace not found"):
        Workspace(SUB, "aml-resources", "missing")


def test_write_config_then_from_config_in_a_subfolder(ws, tmp_path, monkeypatch):
    from azureml.core import Workspace

    ws.write_config(path=str(tmp_path))
    written = json.loads((tmp_path / ".azureml" / "config.json").read_text())
    assert written["Scope"] == ws.get_details()["id"]
    nested = tmp_path / "labs" / "01"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert Workspace.from_config() == ws


def test_from_config_reads_portal_style_keys(ws, tmp_path):
    from azureml.core import Workspace

    # (a plain config.json in the folder loses to any .azureml/config.json further up, as in the real
    # SDK, so these tests name the file or use the folder's own .azureml)
    portal = {"subscription_id": SUB, "resource_group": "aml-resources", "workspace_name": "aml-workspace"}
    (tmp_path / "config.json").write_text(json.dumps(portal))
    assert Workspace.from_config(path=str(tmp_path / "config.json")) == ws
    (tmp_path / ".azureml").mkdir()
    (tmp_path / ".azureml" / "config.json").write_text(json.dumps(portal))
    assert Workspace.from_config(path=str(tmp_path)) == ws


def test_from_config_prefers_azureml_folder_over_plain_config(ws, tmp_path):
    from azureml.core import Workspace

    (tmp_path / "config.json").write_text(json.dumps(
        {"subscription_id": SUB, "resource_group": "aml-resources", "workspace_name": "no-such-ws"}))
    ws.write_config(path=str(tmp_path))
    assert Workspace.from_config(path=str(tmp_path)) == ws


def test_from_config_errors(tmp_path):
    from azureml.core import Workspace
    from azureml.exceptions import ProjectSystemException, UserErrorException

    with pytest.raises(UserErrorException, match="could not find never-written.json"):
        Workspace.from_config(path=str(tmp_path), _file_name="never-written.json")
    (tmp_path / "partial.json").write_text(json.dumps({"subscription_id": SUB}))
    with pytest.raises(UserErrorException, match="missing resource_group, workspace_name"):
        Workspace.from_config(path=str(tmp_path / "partial.json"))
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(UserErrorException, match="not valid JSON"):
        Workspace.from_config(path=str(tmp_path / "broken.json"))
    (tmp_path / "other.json").write_text(json.dumps(
        {"subscription_id": SUB, "resource_group": "aml-resources", "workspace_name": "no-such-ws"}))
    with pytest.raises(ProjectSystemException, match="Workspace not found"):
        Workspace.from_config(path=str(tmp_path / "other.json"))


def test_list_and_delete(ws):
    from azureml.core import Workspace
    from azureml.exceptions import ProjectSystemException

    Workspace.create(name="second", subscription_id=SUB, resource_group="other", location="westus2",
                     show_output=False)
    listed = Workspace.list(SUB)
    assert sorted(listed) == ["aml-workspace", "second"]
    assert list(Workspace.list(SUB, resource_group="other")) == ["second"]
    ws.delete()
    with pytest.raises(ProjectSystemException):
        Workspace.get("aml-workspace", subscription_id=SUB, resource_group="aml-resources")
    assert list(Workspace.list(SUB)) == ["second"]


def test_mlflow_store_is_ready_and_real_mlflow_opens_it(ws):
    from mlflow.tracking import MlflowClient

    uri = ws.get_mlflow_tracking_uri()
    assert uri.startswith("sqlite:///") and uri.endswith(".db") and "/mlflow-" in uri
    default = MlflowClient(uri).get_experiment("0")
    assert default.artifact_location.startswith((ws._record.artifact_root / "0").as_uri())


def test_record_contract(ws):
    from sim.cloud import store, workspaces

    record = workspaces.get(SUB, "aml-resources", "aml-workspace")
    assert record == ws._record
    assert record.folder.is_dir() and record.storage_root.is_dir()
    assert record.mlflow_uri == f"sqlite:///{record.folder / ('mlflow-' + record.workspace_id[:8] + '.db')}"
    with store.engine(record).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert store.engine(record) is store.engine(record)


def test_default_keyvault_secrets_are_private(ws):
    keyvault = ws.get_default_keyvault()
    keyvault.set_secret(name="db-password", value="s3cret")
    assert keyvault.get_secret(name="db-password") == "s3cret"
    assert {"name": "db-password"} in keyvault.list_secrets()
    secret_file = ws._record.keyvault_dir / "db-password.json"
    assert stat.S_IMODE(os.stat(secret_file).st_mode) == 0o600
    keyvault.delete_secret("db-password")
    assert {"name": "db-password"} not in keyvault.list_secrets()


def test_not_simulated_members_say_so(ws):
    from azureml.exceptions import UserErrorException

    with pytest.raises(NotImplementedError, match="Workspace.list_keys is not simulated"):
        ws.list_keys()
    with pytest.raises(UserErrorException):
        ws.sync_keys()


def test_warm_up_builds_the_template_store_once(monkeypatch):
    from dp100 import paths
    from sim.cloud import workspaces

    monkeypatch.delenv("DP100_MLFLOW_TEMPLATE_DIR")  # the suite shares one; this test wants the default place
    workspaces.warm_up()
    templates = list((paths.workspaces_dir() / ".templates").glob("mlflow-*.db"))
    assert len(templates) == 1 and templates[0].stat().st_size > 0


def test_region_display_names_and_enterprise_sku():
    from azureml.core import Workspace

    ws = Workspace.create(name="ws-display", subscription_id=SUB, resource_group="rg-display",
                          location="West Europe", sku="enterprise", show_output=False)
    assert ws.location == "westeurope" and ws.sku == "enterprise"
    assert ws.get_details()["sku"] == "Enterprise"


def test_location_defaults_to_the_resource_group_region():
    from azureml.core import Workspace
    from azureml.exceptions import WorkspaceException

    with pytest.raises(WorkspaceException, match="location is required"):
        Workspace.create(name="ws-noloc", subscription_id=SUB, resource_group="brand-new-rg", show_output=False)
    Workspace.create(name="ws-first", subscription_id=SUB, resource_group="brand-new-rg", location="japaneast",
                     show_output=False)
    second = Workspace.create(name="ws-second", subscription_id=SUB, resource_group="brand-new-rg",
                              show_output=False)
    assert second.location == "japaneast"


def test_asset_dictionaries_and_get_run(ws):
    from azureml.core import Experiment

    assert ws.datasets == {} and ws.models == {} and ws.webservices == {} and ws.experiments == {}
    assert {"workspaceblobstore", "workspacefilestore"} <= set(ws.datastores)
    assert ws.get_default_datastore().name == "workspaceblobstore"
    assert any(name.startswith("AzureML-") for name in ws.environments)
    run = Experiment(ws, "dictionary-check").start_logging()
    run.log("accuracy", 0.9)
    run.complete()
    assert list(ws.experiments) == ["dictionary-check"]
    assert ws.get_run(run.id).id == run.id
