"""Resource group deployments (Microsoft.Resources/deployments): ARM templates deployed by `sim.cloud.arm`.

azure-ai-ml's `workspaces.begin_create(Workspace(...))` deploys its own workspace template here and reads the
deployment's operations to print progress, then gets the workspace. The deployment runs while the PUT is
answered, so the answer is final (`provisioningState: Succeeded`) and the SDK's poller finishes at once.
A template the engine cannot evaluate is a 400 InvalidTemplate; a resource the service refuses fails the
deployment (400 DeploymentFailed with the resource's own error in `details`, and the deployment is recorded
Failed). The generic GET/DELETE of a workspace's storage account, key vault, Application Insights or registry
(what `begin_delete(..., delete_dependent_resources=True)` sends) answer too.
"""

from __future__ import annotations

import json

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from sim import messages
from sim.cloud.arm import deployments
from sim.cloud.errors import CloudError
from sim.rest._errors import RestError, bad_request
from sim.rest._shapes import ARM_HOST, json_body, page

DEPLOYMENT = "/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Resources/deployments/<name>"
SHORT = "/subscriptions/<sub>/resourceGroups/<rg>/deployments/<name>"  # ARM's older spelling, which operations use
ASSOCIATED = ("Microsoft.Storage", "Microsoft.KeyVault", "Microsoft.Insights", "microsoft.insights",
              "Microsoft.ContainerRegistry", "Microsoft.OperationalInsights")
RESOURCE = ("/subscriptions/<sub>/resourceGroups/<rg>/providers/<any(" + ", ".join(f'"{p}"' for p in ASSOCIATED)
            + "):provider>/<kind>/<name>")


def _parameter_values(parameters) -> dict:
    if parameters is None:
        return {}
    if not isinstance(parameters, dict):
        raise bad_request(messages.REST_FIELD_NOT_OBJECT.format(field="properties.parameters"))
    values = {}
    for name, entry in parameters.items():
        if not isinstance(entry, dict) or "value" not in entry:
            raise bad_request(messages.REST_DEPLOYMENT_PARAMETER_VALUE.format(name=name), code="InvalidTemplate")
        values[name] = entry["value"]
    return values


def put_deployment(request, sub, rg, name):
    """PUT .../deployments/<name>: deploy the template now and answer with the finished deployment."""
    props = json_body(request).get("properties") or {}
    if props.get("templateLink") or props.get("parametersLink"):
        raise bad_request(messages.REST_DEPLOYMENT_LINK_UNSUPPORTED, code="InvalidTemplate")
    template = props.get("template")
    if isinstance(template, str):  # some clients send the template as a JSON string
        template = json.loads(template)
    existed = _exists(sub, rg, name)
    try:
        record = deployments.deploy(sub, rg, name, template, _parameter_values(props.get("parameters")),
                                    mode=str(props.get("mode") or "Incremental").capitalize())
    except CloudError as exc:
        if exc.code != deployments.DEPLOYMENT_FAILED:
            raise
        return _failed(deployments.get(sub, rg, name))
    return (200 if existed else 201), record


def _exists(sub: str, rg: str, name: str) -> bool:
    try:
        deployments.get(sub, rg, name)
    except CloudError:
        return False
    return True


def _failed(record: dict) -> Response:
    error = record["properties"]["error"]
    body = {"error": {**error, "additionalInfo": []}}
    return Response(json.dumps(body), status=400, content_type="application/json",
                    headers={"x-ms-error-code": error["code"]})


def get_deployment(request, sub, rg, name):
    """GET .../deployments/<name>: the recorded deployment (404 DeploymentNotFound)."""
    return deployments.get(sub, rg, name)


def get_resource(request, sub, rg, provider, kind, name):
    """GET a workspace's storage account, key vault, Application Insights or registry by id (generic resources)."""
    resource_id = f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider}/{kind}/{name}"
    found = deployments.find_resource(sub, rg, resource_id)
    if found is None:
        raise RestError(404, "ResourceNotFound", messages.REST_RESOURCE_NOT_FOUND.format(
            type=f"{provider}/{kind}", name=name, resource_group=rg))
    return found


def delete_resource(request, sub, rg, provider, kind, name):
    """DELETE one of them: accepted; the workspace's own storage and vault go when the workspace goes."""
    get_resource(request, sub, rg, provider, kind, name)
    return 200, None


def list_deployments(request, sub, rg):
    """GET .../providers/Microsoft.Resources/deployments: the resource group's deployments."""
    return page(deployments.list_deployments(sub, rg))


def list_operations(request, sub, rg, name):
    """GET .../deployments/<name>/operations: one operation per deployed resource."""
    return page(deployments.list_operations(sub, rg, name))


ROUTES = [
    Rule(RESOURCE, host=ARM_HOST, endpoint=get_resource, methods=["GET"]),
    Rule(RESOURCE, host=ARM_HOST, endpoint=delete_resource, methods=["DELETE"]),
    Rule(DEPLOYMENT.rsplit("/", 1)[0], host=ARM_HOST, endpoint=list_deployments, methods=["GET"]),
    *(Rule(path, host=ARM_HOST, endpoint=put_deployment, methods=["PUT"]) for path in (DEPLOYMENT, SHORT)),
    *(Rule(path, host=ARM_HOST, endpoint=get_deployment, methods=["GET"]) for path in (DEPLOYMENT, SHORT)),
    *(Rule(f"{path}/operations", host=ARM_HOST, endpoint=list_operations, methods=["GET"])
      for path in (DEPLOYMENT, SHORT)),
]
