"""The JSON of online endpoints and deployments (2023-04-01-preview field names), and the reading of PUT bodies."""

from __future__ import annotations

import re

from sim import messages
from sim.cloud.endpoints import DeploymentSpec, OnlineDeployment, OnlineEndpoint
from sim.rest._errors import bad_request
from sim.rest._shapes import resource, system_data

TENANT = "72f988bf-0000-0000-0000-000000000000"
AUTH_MODE_OUT = {"Key": "Key", "AMLToken": "AMLToken", "AADToken": "AADToken"}
# Deployment properties the service keeps as given and answers back (probes, request and scale settings, ...).
ECHOED = ("appInsightsEnabled", "egressPublicNetworkAccess", "livenessProbe", "readinessProbe", "requestSettings",
          "scaleSettings", "dataCollector", "properties", "privateNetworkConnection")
_MODEL_ID = re.compile(r"/workspaces/(?P<ws>[^/]+)/models/(?P<name>[^/]+)/versions/(?P<version>[^/]+)$", re.IGNORECASE)
_CODE_ID = re.compile(r"/workspaces/(?P<ws>[^/]+)/codes/(?P<name>[^/]+)/versions/(?P<version>[^/]+)$", re.IGNORECASE)


def _iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def endpoint_id(record, name: str) -> str:
    """The ARM id of an online endpoint."""
    return f"{record.arm_id}/onlineEndpoints/{name}"


def endpoint_json(record, endpoint: OnlineEndpoint) -> dict:
    """An online endpoint as ARM returns it."""
    props = {"authMode": AUTH_MODE_OUT[endpoint.auth_mode], "description": endpoint.description,
             "properties": endpoint.properties, "traffic": endpoint.traffic, "mirrorTraffic": endpoint.mirror_traffic,
             "provisioningState": endpoint.state, "scoringUri": endpoint.scoring_uri,
             "swaggerUri": endpoint.swagger_uri, "publicNetworkAccess": endpoint.public_network_access}
    body = resource(endpoint_id(record, endpoint.name), "workspaces/onlineEndpoints", props,
                    location=record.location, tags=endpoint.tags, kind="Managed",
                    identity={"type": "SystemAssigned", "principalId": record.workspace_id, "tenantId": TENANT})
    body["systemData"] = system_data(_iso(endpoint.created_time), _iso(endpoint.updated_time))
    return body


def model_arm_id(record, model_id: str | None) -> str | None:
    """The ARM id of a registry id ("name:version")."""
    if not model_id:
        return None
    name, _, version = model_id.rpartition(":")
    return f"{record.arm_id}/models/{name}/versions/{version}"


def deployment_json(record, d: OnlineDeployment) -> dict:
    """An online deployment as ARM returns it."""
    props = {"scaleSettings": {"scaleType": "Default"}, **d.settings, "endpointComputeType": "Managed",
             "model": model_arm_id(record, d.model_id), "environmentId": d.environment_id,
             "environmentVariables": d.environment_variables, "instanceType": d.instance_type,
             "description": d.description, "provisioningState": d.state}
    if d.scoring_script:
        props["codeConfiguration"] = {"codeId": d.code_id, "scoringScript": d.scoring_script}
    body = resource(f"{endpoint_id(record, d.endpoint)}/deployments/{d.name}", "workspaces/onlineEndpoints/deployments",
                    props, location=record.location, tags=d.tags, kind="Managed",
                    sku={"name": "Default", "tier": "Standard", "capacity": d.instance_count})
    body["systemData"] = system_data(_iso(d.created_time), _iso(d.updated_time))
    return body


def registry_id_of(model: str | None) -> str | None:
    """The registry id ("name:version") of a model ARM id (or of `azureml:name:version`)."""
    if not model:
        return None
    if match := _MODEL_ID.search(model):
        return f"{match['name']}:{match['version']}"
    if model.startswith("azureml:") and model.count(":") == 2:
        return model.removeprefix("azureml:")
    raise bad_request(messages.DEPLOYMENT_MODEL_ID_INVALID.format(model=model))


def code_of(code_id: str | None) -> tuple[str, str] | None:
    """(name, version) of a code asset ARM id."""
    if not code_id:
        return None
    match = _CODE_ID.search(code_id)
    if match is None:
        raise bad_request(messages.DEPLOYMENT_CODE_ID_INVALID.format(code=code_id))
    return match["name"], match["version"]


def _instance_count(body: dict) -> int:
    sku = body.get("sku") or {}
    count = sku.get("capacity", 1)
    return count if isinstance(count, int) and not isinstance(count, bool) else -1


def deployment_spec(body: dict, code_folder) -> DeploymentSpec:
    """The service's request for a deployment PUT body (`code_folder`: the scoring code's files, or None)."""
    props = body.get("properties") or {}
    code = props.get("codeConfiguration") or {}
    return DeploymentSpec(
        instance_type=props.get("instanceType") or "", instance_count=_instance_count(body),
        model=registry_id_of(props.get("model")), code_folder=code_folder, code_id=code.get("codeId"),
        scoring_script=code.get("scoringScript"), environment_id=props.get("environmentId"),
        environment_variables=props.get("environmentVariables") or {},
        settings={k: props[k] for k in ECHOED if props.get(k) is not None},
        description=props.get("description"), tags=body.get("tags") or {})
