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
