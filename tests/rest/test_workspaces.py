"""Workspaces and resource groups through the real azure-ai-ml."""

from __future__ import annotations

import pytest
from azure.core.exceptions import ResourceNotFoundError

from tests.rest.conftest import RG, SUB, WS


def test_get_returns_the_workspace_with_its_mlflow_uri_and_discovery(ml_client, workspace):
    ws = ml_client.workspaces.get(WS)
    assert (ws.name, ws.location, ws.resource_group) == (WS, "eastus", RG)
    assert ws.mlflow_tracking_uri == f"azureml://eastus.api.azureml.ms/mlflow/v1.0{workspace.arm_id}"
    assert ws.discovery_url == "https://eastus.api.azureml.ms/discovery"
    assert ws.storage_account == workspace.storage_account


def test_a_missing_workspace_is_a_resource_not_found_error(ml_client):
    with pytest.raises(ResourceNotFoundError, match="workspaces/nope"):
        ml_client.workspaces.get("nope")


def test_list_in_a_resource_group_and_a_subscription(ml_client):
    from sim.cloud import workspaces

    workspaces.create(SUB, RG, "mlw-second", location="eastus")
    assert sorted(w.name for w in ml_client.workspaces.list()) == ["mlw-dp100", "mlw-second"]
    assert len(list(ml_client.workspaces.list(scope="subscription"))) == 2


def test_arm_paths_are_case_insensitive():
    from sim.rest._app import canonical_path

    assert canonical_path("/subscriptions/s/resourcegroups/RG/providers/microsoft.machinelearningservices/"
                          "Workspaces/W") == ("/subscriptions/s/resourceGroups/RG/providers/"
                                              "Microsoft.MachineLearningServices/workspaces/W")


def test_from_config_reads_config_json(workspace, tmp_path, monkeypatch):
    import json

    from azure.ai.ml import MLClient
    from azure.identity import DefaultAzureCredential

    (tmp_path / "config.json").write_text(json.dumps({"subscription_id": SUB, "resource_group": RG,
                                                      "workspace_name": WS}))
    monkeypatch.chdir(tmp_path)
    client = MLClient.from_config(credential=DefaultAzureCredential())
    assert client.workspace_name == WS
    assert client.workspaces.get(WS).location == "eastus"


def test_no_request_leaves_the_machine(ml_client):
    import requests
    from azure.core.exceptions import ServiceRequestError
    from azure.core.pipeline.transport import HttpRequest, RequestsTransport

    with RequestsTransport() as transport, pytest.raises((ServiceRequestError, requests.ConnectionError),
                                                         match="no network"):
        transport.send(HttpRequest("GET", "https://dc.services.visualstudio.com/v2/track"))


def test_an_operation_the_service_does_not_simulate_says_so(ml_client):
    from azure.core.exceptions import HttpResponseError

    with pytest.raises(HttpResponseError, match="NotSimulated") as caught:
        ml_client.workspaces.begin_diagnose(WS).result()
    assert caught.value.status_code == 501


# ---- creating, updating and deleting workspaces (an ARM template deployment, as the SDK does it) ----

def _new_workspace(**overrides):
    from azure.ai.ml.entities import Workspace

    spec = {"name": "mlw-new", "location": "eastus2", "display_name": "New workspace", "description": "for v2",
            "tags": {"course": "dp-100"}, **overrides}
    return Workspace(**spec)


def test_begin_create_deploys_a_workspace_that_v1_sees(ml_client):
    from sim.azureml.core import Workspace as V1Workspace

    created = ml_client.workspaces.begin_create(_new_workspace()).result()
    assert (created.name, created.location, created.display_name, created.description) == (
        "mlw-new", "eastus2", "New workspace", "for v2")
    assert created.tags["course"] == "dp-100" and created.tags["createdByToolkit"].startswith("sdk-v2-")
    v1 = V1Workspace.get("mlw-new", subscription_id=SUB, resource_group=RG)
    assert (v1.location, v1.get_details()["friendlyName"]) == ("eastus2", "New workspace")


def test_the_deployment_and_its_operations_are_recorded(ml_client):
    from sim.cloud.arm import deployments

    ml_client.workspaces.begin_create(_new_workspace())
    [deployment] = deployments.list_deployments(SUB, RG)
    assert deployment["name"].startswith("mlw-new-") and deployment["properties"]["provisioningState"] == "Succeeded"
    targets = {op["properties"]["targetResource"]["resourceType"]: op["properties"]["targetResource"]["id"]
               for op in deployments.list_operations(SUB, RG, deployment["name"])}
    assert list(targets)[-1] == "Microsoft.MachineLearningServices/workspaces"
    created = ml_client.workspaces.get("mlw-new")  # it uses the storage and vault its template deployed
    assert (created.storage_account, created.key_vault) == (targets["Microsoft.Storage/storageAccounts"],
                                                            targets["Microsoft.KeyVault/vaults"])


def test_begin_create_of_an_existing_workspace_updates_it(ml_client):
    ml_client.workspaces.begin_create(_new_workspace(name=WS, location=None, description="again")).result()
    ws = ml_client.workspaces.get(WS)
    assert (ws.description, ws.display_name, ws.location) == ("again", "New workspace", "eastus")


def test_begin_create_in_a_missing_resource_group_is_not_found(ml_client):
    with pytest.raises(ResourceNotFoundError, match="rg-missing"):
        ml_client.workspaces.begin_create(_new_workspace(), resource_group="rg-missing")


def test_begin_create_in_a_region_without_azure_ml_fails_the_deployment(ml_client):
    from azure.core.exceptions import HttpResponseError

    with pytest.raises(HttpResponseError, match="LocationNotAvailableForResourceType") as caught:
        ml_client.workspaces.begin_create(_new_workspace(location="moon-central"))
    assert (caught.value.status_code, caught.value.error.code) == (400, "DeploymentFailed")
    with pytest.raises(ResourceNotFoundError):
        ml_client.workspaces.get("mlw-new")


def test_begin_update_changes_display_name_description_and_tags(ml_client):
    ws = ml_client.workspaces.get(WS)
    ws.display_name, ws.description, ws.tags = "Renamed", "updated", {"stage": "lab"}
    updated = ml_client.workspaces.begin_update(ws).result()
    again = ml_client.workspaces.get(WS)
    for found in (updated, again):
        assert (found.display_name, found.description, found.tags) == ("Renamed", "updated", {"stage": "lab"})


def test_moving_a_workspace_to_another_registry_is_refused(ml_client):
    from azure.core.exceptions import HttpResponseError

    ws = ml_client.workspaces.get(WS)
    ws.container_registry = (f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ContainerRegistry/"
                             "registries/otheracr")
    with pytest.raises(HttpResponseError, match="containerRegistry") as caught:
        ml_client.workspaces.begin_update(ws, update_dependent_resources=True)
    assert caught.value.status_code == 400


def test_begin_delete_removes_the_workspace_for_both_sdks(ml_client):
    from sim.azureml.core import Workspace as V1Workspace
    from sim.azureml.exceptions import ProjectSystemException

    ml_client.workspaces.begin_delete(WS, delete_dependent_resources=False).result()
    with pytest.raises(ResourceNotFoundError):
        ml_client.workspaces.get(WS)
    with pytest.raises(ProjectSystemException, match="Workspace not found"):
        V1Workspace.get(WS, subscription_id=SUB, resource_group=RG)


def test_begin_delete_with_its_dependent_resources(ml_client, workspace):
    from werkzeug.test import Client

    from sim.rest import application

    ml_client.workspaces.begin_delete(WS, delete_dependent_resources=True, permanently_delete=True).result()
    assert [w.name for w in ml_client.workspaces.list()] == []
    answer = Client(application).get(workspace.storage_account, base_url="https://management.azure.com")
    assert answer.status_code == 404  # its storage account went with it


def test_a_workspace_made_with_v1_is_seen_by_v2(ml_client):
    from sim.azureml.core import Workspace as V1Workspace

    V1Workspace.create("mlw-from-v1", subscription_id=SUB, resource_group=RG, location="westeurope",
                       friendly_name="From v1", show_output=False)
    ws = ml_client.workspaces.get("mlw-from-v1")
    assert (ws.location, ws.display_name) == ("westeurope", "From v1")


def test_a_template_the_engine_cannot_evaluate_is_invalid_template(workspace):
    import json

    from werkzeug.test import Client

    from sim.rest import application

    template = {"resources": [{"type": "Microsoft.MachineLearningServices/workspaces", "name": "[nosuch('a')]",
                               "location": "eastus"}]}
    answer = Client(application).put(
        f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Resources/deployments/bad",
        base_url="https://management.azure.com", content_type="application/json",
        data=json.dumps({"properties": {"template": template, "mode": "Incremental"}}))
    assert answer.status_code == 400 and answer.json["error"]["code"] == "InvalidTemplate"
    assert "'nosuch' is not supported" in answer.json["error"]["message"]
