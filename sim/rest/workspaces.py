"""Resource groups and workspaces (ARM), and the workspace's data-plane discovery document."""

from __future__ import annotations

from werkzeug.routing import Rule

from sim import messages
from sim.cloud import regions, workspaces
from sim.rest._errors import RestError, bad_request
from sim.rest._shapes import ARM_HOST, PROVIDER, WS, json_body, page, resource

RG = "/subscriptions/<sub>/resourceGroups/<rg>"


def workspace_record(sub: str, rg: str, ws: str):
    """The workspace a request names, or a 404 as ARM answers for a missing workspace."""
    record = workspaces.find(sub, rg, ws)
    if record is None:
        raise RestError(404, "ResourceNotFound",
                        f"The Resource '{PROVIDER}/workspaces/{ws}' under resource group '{rg}' was not found.")
    return record


def data_plane_base(region: str) -> str:
    """The workspace's data-plane address (`https://<region>.api.azureml.ms`)."""
    return f"https://{region}.api.azureml.ms"


def mlflow_tracking_uri(record) -> str:
    """The workspace's `azureml://` MLflow tracking URI, as the service reports it."""
    return f"azureml://{record.location}.api.azureml.ms/mlflow/v1.0{record.arm_id}"


def workspace_json(record) -> dict:
    """A workspace as ARM returns it (2024-10-01-preview shape)."""
    props = {
        "friendlyName": record.friendly_name or record.name, "description": record.description,
        "workspaceId": record.workspace_id, "provisioningState": "Succeeded",
        "storageAccount": record.storage_account, "keyVault": record.key_vault,
        # No registry (null) before the workspace's first image build, as Azure answers.
        "applicationInsights": record.application_insights, "containerRegistry": record.container_registry or None,
        "discoveryUrl": f"{data_plane_base(record.location)}/discovery",
        "mlFlowTrackingUri": mlflow_tracking_uri(record), "hbiWorkspace": record.hbi_workspace,
        "publicNetworkAccess": "Enabled", "v1LegacyMode": False, "creationTime": record.creation_time,
    }
    return resource(record.arm_id, "workspaces", props, created=record.creation_time or None,
                    location=record.location, tags=record.tags, kind="Default",
                    sku={"name": "Basic", "tier": "Basic"},
                    identity={"type": "SystemAssigned", "principalId": record.workspace_id,
                              "tenantId": "72f988bf-0000-0000-0000-000000000000"})


def get_resource_group(request, sub, rg):
    """Get a resource group."""
    group = workspaces.get_resource_group(sub, rg)
    if group is None:
        raise RestError(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
    return group


def put_resource_group(request, sub, rg):
    """Create a resource group in a region (`az group create`)."""
    location = json_body(request).get("location")
    if not location or not regions.is_region(location):
        raise bad_request(f"The location '{location}' is not a known Azure region.", code="LocationNotAvailable")
    existed = workspaces.get_resource_group(sub, rg) is not None
    return (200 if existed else 201), workspaces.create_resource_group(sub, rg, location)


def list_resource_groups(request, sub):
    """List the subscription's resource groups."""
    return page(workspaces.list_resource_groups(sub))


def get_workspace(request, sub, rg, ws):
    """Get a workspace (`ml_client.workspaces.get`; the first call of most operations)."""
    return workspace_json(workspace_record(sub, rg, ws))


def put_workspace(request, sub, rg, ws):
    """Create or update a workspace directly (descriptive fields on update)."""
    body = json_body(request)
    props = body.get("properties") or {}
    existing = workspaces.find(sub, rg, ws)
    if existing is not None:
        changed = workspaces.update(existing, friendly_name=props.get("friendlyName") or existing.friendly_name,
                                    description=props.get("description", existing.description),
                                    tags=body.get("tags", existing.tags))
        return workspace_json(changed)
    if workspaces.get_resource_group(sub, rg) is None:
        raise RestError(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
    record = workspaces.create(sub, rg, ws, location=body.get("location"), create_resource_group=False,
                               friendly_name=props.get("friendlyName"), tags=body.get("tags"),
                               description=props.get("description") or "",
                               hbi_workspace=bool(props.get("hbiWorkspace")))
    return 200, workspace_json(record)  # Azure ML answers a workspace PUT with 200 (or 202), never 201


def patch_workspace(request, sub, rg, ws):
    """Update a workspace's display name, description and tags (`ml_client.workspaces.begin_update`)."""
    record = workspace_record(sub, rg, ws)
    body = json_body(request)
    props = body.get("properties") or {}
    _check_dependent_resources(record, props)
    given = {"friendly_name": props.get("friendlyName"), "description": props.get("description"),
             "tags": body.get("tags")}
    changes = {field: value for field, value in given.items() if value is not None}
    return workspace_json(workspaces.update(record, **changes) if changes else record)


def _check_dependent_resources(record, props: dict) -> None:
    # The SDK sends the current registry and Application Insights back; moving a workspace to others is not
    # simulated (each simulated workspace brings its own).
    for field, current in (("containerRegistry", record.container_registry),
                           ("applicationInsights", record.application_insights)):
        wanted = props.get(field)
        if wanted and str(wanted).lower() != str(current).lower():
            raise bad_request(messages.REST_WORKSPACE_DEPENDENT_RESOURCE.format(field=field, value=wanted))


def delete_workspace(request, sub, rg, ws):
    """Delete a workspace and everything in it."""
    record = workspaces.find(sub, rg, ws)
    if record is None:
        return 204, None
    workspaces.delete(record)
    return 200, None


def list_workspaces_in_group(request, sub, rg):
    """List a resource group's workspaces."""
    return page([workspace_json(r) for r in workspaces.list_workspaces(sub, rg)])


def list_workspaces_in_subscription(request, sub):
    """List a subscription's workspaces."""
    return page([workspace_json(r) for r in workspaces.list_workspaces(sub)])


def discovery(request, region):
    """The data-plane discovery document: every service of the region at one address."""
    base = data_plane_base(region)
    services = ("api", "catalog", "experimentation", "gallery", "history", "hyperdrive", "labeling",
                "modelmanagement", "pipelines")
    return {**{name: base for name in services}, "studio": "https://ml.azure.com"}


ROUTES = [
    Rule("/subscriptions/<sub>/resourcegroups", host=ARM_HOST, endpoint=list_resource_groups, methods=["GET"]),
    Rule(RG, host=ARM_HOST, endpoint=get_resource_group, methods=["GET"]),
    Rule(RG, host=ARM_HOST, endpoint=put_resource_group, methods=["PUT"]),
    Rule(WS, host=ARM_HOST, endpoint=get_workspace, methods=["GET"]),
    Rule(WS, host=ARM_HOST, endpoint=put_workspace, methods=["PUT"]),
    Rule(WS, host=ARM_HOST, endpoint=patch_workspace, methods=["PATCH"]),
    Rule(WS, host=ARM_HOST, endpoint=delete_workspace, methods=["DELETE"]),
    Rule(f"{RG}/providers/{PROVIDER}/workspaces", host=ARM_HOST, endpoint=list_workspaces_in_group,
         methods=["GET"]),
    Rule(f"/subscriptions/<sub>/providers/{PROVIDER}/workspaces", host=ARM_HOST,
         endpoint=list_workspaces_in_subscription, methods=["GET"]),
    Rule("/discovery", host="<region>.api.azureml.ms", endpoint=discovery, methods=["GET"]),
]
