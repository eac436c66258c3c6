"""Resource group deployments: an ARM template deployed into the simulated cloud, and its record.

Workspaces (`Microsoft.MachineLearningServices/workspaces`) and their computes (`.../workspaces/computes`) are
created or updated in `sim.cloud` (incremental mode: deploying twice is harmless). The storage accounts, key
vaults, Application Insights, Log Analytics workspaces and registries that Azure ML templates declare are
accepted: a simulated workspace brings its own. Any other resource type is refused before anything is
deployed. Each deployment is recorded under its resource group (`deployments/<name>.json`) with one operation
per resource, so `GET .../deployments/<name>` and its `/operations` read back what happened.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from datetime import UTC, datetime

from sim import messages
from sim.cloud import compute_resources, workspaces
from sim.cloud.arm.expressions import template_error
from sim.cloud.arm.template import Template
from sim.cloud.errors import WORKSPACE, CloudError, NotFound, UserError

WORKSPACE_TYPE = "microsoft.machinelearningservices/workspaces"
COMPUTE_TYPE = "microsoft.machinelearningservices/workspaces/computes"
ACCEPTED_TYPES = frozenset({"microsoft.storage/storageaccounts", "microsoft.keyvault/vaults",
                            "microsoft.insights/components", "microsoft.containerregistry/registries",
                            "microsoft.operationalinsights/workspaces"})
DEPLOYMENT_FAILED = "DeploymentFailed"


def deploy(subscription_id: str, resource_group: str, name: str, template: dict, parameters: dict | None = None,
           mode: str = "Incremental") -> dict:
    """Deploy a template into a resource group and return the deployment as ARM reports it.

    Args:
        subscription_id: the subscription.
        resource_group: the resource group (it must exist).
        name: the deployment's name.
        template: the template (a JSON object with `resources`).
        parameters: parameter values by name (plain values, not `{"value": ...}`).
        mode: "Incremental" or "Complete" (both leave other resources alone here).

    Raises:
        NotFound: the resource group does not exist (ResourceGroupNotFound).
        UserError: the template cannot be evaluated or declares a resource type that is not simulated
            (InvalidTemplate), or a resource was refused (DeploymentFailed; the deployment is recorded Failed).
    """
    started = time.monotonic()
    group = _resource_group(subscription_id, resource_group)
    evaluated = Template(template, parameters or {}, group, subscription_id, name)
    resources = sorted(evaluated.resources(), key=lambda r: _rank(str(r.get("type"))))
    _check_types(resources)
    operations, failure = _apply_all(resources, group, subscription_id)
    record = _deployment(name, group, evaluated, operations, template, time.monotonic() - started, mode, failure)
    _save(subscription_id, resource_group, record, operations)
    if failure is not None:
        raise UserError(WORKSPACE, record["properties"]["error"]["message"], code=DEPLOYMENT_FAILED)
    return record


def get(subscription_id: str, resource_group: str, name: str) -> dict:
    """A recorded deployment.

    Raises:
        NotFound: no deployment of that name in the resource group (DeploymentNotFound).
    """
    return _load(subscription_id, resource_group, name)["deployment"]


def list_deployments(subscription_id: str, resource_group: str) -> list[dict]:
    """Every recorded deployment of a resource group, by name."""
    folder = _file(subscription_id, resource_group, "x").parent
    records = [json.loads(path.read_text())["deployment"] for path in folder.glob("*.json")]
    return sorted(records, key=lambda r: r["name"].lower())


def list_operations(subscription_id: str, resource_group: str, name: str) -> list[dict]:
    """The operations of a recorded deployment, one per resource."""
    return _load(subscription_id, resource_group, name)["operations"]


def find_resource(subscription_id: str, resource_group: str, resource_id: str) -> dict | None:
    """An accepted resource (storage account, key vault...) a workspace uses or a deployment made, or None.

    The simulated cloud keeps no state for these: a workspace brings its own storage and vault. They exist
    as names, so Resource Manager's generic GET of one answers as Azure does.
    """
    wanted = resource_id.rstrip("/").lower()
    used = {str(getattr(ws, field, "")).lower() for ws in workspaces.list_workspaces(subscription_id, resource_group)
            for field in ("storage_account", "key_vault", "application_insights", "container_registry")}
    deployed = {str(r.get("id", "")).lower() for d in list_deployments(subscription_id, resource_group)
                for r in d["properties"].get("outputResources") or []}
    if wanted not in used | deployed or "/providers/microsoft.machinelearningservices/" in wanted:
        return None
    provider_and_type = resource_id.split("/providers/", 1)[1].rsplit("/", 1)[0]
    group = workspaces.get_resource_group(subscription_id, resource_group) or {}
    return {"id": resource_id, "name": resource_id.rsplit("/", 1)[-1], "type": provider_and_type,
            "location": group.get("location"), "tags": {}, "properties": {"provisioningState": "Succeeded"}}


# ---- checking and ordering ---------------------------------------------------------------------------

def _resource_group(subscription_id: str, resource_group: str) -> dict:
    group = workspaces.get_resource_group(subscription_id, resource_group)
    if group is None:
        raise NotFound(WORKSPACE, messages.RESOURCE_GROUP_NOT_FOUND.format(
            resource_group=resource_group, subscription_id=subscription_id), code="ResourceGroupNotFound")
    return group


def _check_types(resources: list[dict]) -> None:
    for resource in resources:
        kind = str(resource.get("type", "")).lower()
        if kind not in ACCEPTED_TYPES | {WORKSPACE_TYPE, COMPUTE_TYPE}:
            raise template_error(messages.ARM_RESOURCE_UNSUPPORTED.format(type=resource.get("type")))
        if not resource.get("name"):
            raise template_error(messages.ARM_RESOURCE_NAME_MISSING.format(type=resource.get("type")))


def _rank(resource_type: str) -> int:
    # What a workspace needs first, then workspaces, then their computes (dependsOn is implied by the type).
    kind = resource_type.lower()
    return 2 if kind == COMPUTE_TYPE else 1 if kind == WORKSPACE_TYPE else 0


# ---- applying resources ------------------------------------------------------------------------------

def _apply_all(resources: list[dict], group: dict, subscription_id: str) -> tuple[list[dict], dict | None]:
    operations = []
    for resource in resources:
        started = time.monotonic()
        try:
            target, created = _apply(resource, group, subscription_id)
        except CloudError as exc:
            target = _resource_id(group, resource)
            operations.append(_operation(resource, target, started, "Failed", str(exc.status), exc))
            return operations, {"code": exc.code, "message": exc.message, "target": target}
        operations.append(_operation(resource, target, started, "Succeeded", "Created" if created else "OK"))
    return operations, None


def _apply(resource: dict, group: dict, subscription_id: str) -> tuple[str, bool]:
    kind = str(resource["type"]).lower()
    if kind == WORKSPACE_TYPE:
        return _apply_workspace(resource, group, subscription_id)
    if kind == COMPUTE_TYPE:
        return _apply_compute(resource, group, subscription_id)
    return _resource_id(group, resource), True


def _flag(value) -> bool:
    return value.lower() == "true" if isinstance(value, str) else bool(value)


def _apply_workspace(resource: dict, group: dict, subscription_id: str) -> tuple[str, bool]:
    props = resource.get("properties") or {}
    existing = workspaces.find(subscription_id, group["name"], resource["name"])
    if existing is not None:
        changed = workspaces.update(existing, friendly_name=props.get("friendlyName") or existing.friendly_name,
                                    description=props.get("description", existing.description) or "",
                                    tags=resource.get("tags") if resource.get("tags") is not None else existing.tags)
        return changed.arm_id, False
    sku = str((resource.get("sku") or {}).get("name") or "basic").lower()
    record = workspaces.create(
        subscription_id, group["name"], resource["name"], location=resource.get("location") or group["location"],
        sku=sku, create_resource_group=False, friendly_name=props.get("friendlyName"), tags=resource.get("tags"),
        description=props.get("description") or "", hbi_workspace=_flag(props.get("hbiWorkspace", False)),
        associated={field: props.get(key) for key, field in _ASSOCIATED.items()})
    return record.arm_id, True


# The workspace property that names each associated resource, and the record's field for it.
_ASSOCIATED = {"storageAccount": "storage_account", "keyVault": "key_vault",
               "applicationInsights": "application_insights", "containerRegistry": "container_registry"}


def _apply_compute(resource: dict, group: dict, subscription_id: str) -> tuple[str, bool]:
    workspace_name, _, compute_name = str(resource["name"]).partition("/")
    record = workspaces.get(subscription_id, group["name"], workspace_name)
    found, created = compute_resources.create_or_update(record, compute_name, resource)
    return f"{record.arm_id}/computes/{found.name}", created


def _resource_id(group: dict, resource: dict) -> str:
    provider, *types = str(resource["type"]).split("/")
    names = str(resource["name"]).split("/")
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=False))
    return f"{group['id']}/providers/{provider}/{path}"


# ---- the record --------------------------------------------------------------------------------------

def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _operation(resource: dict, target: str, started: float, state: str, status_code: str,
               error: CloudError | None = None) -> dict:
    operation_id = uuid.uuid4().hex[:16].upper()
    props = {"provisioningOperation": "Create", "provisioningState": state, "timestamp": _now(),
             "duration": f"PT{time.monotonic() - started:.3f}S", "trackingId": str(uuid.uuid4()),
             "serviceRequestId": str(uuid.uuid4()), "statusCode": status_code,
             "targetResource": {"id": target, "resourceType": resource["type"],
                                "resourceName": str(resource["name"])}}
    if error is not None:
        props["statusMessage"] = {"status": "Failed", "error": {"code": error.code, "message": error.message}}
    return {"id": None, "operationId": operation_id, "properties": props}


def _deployment(name, group, evaluated, operations, template, seconds, mode, failure) -> dict:
    deployment_id = f"{group['id']}/providers/Microsoft.Resources/deployments/{name}"
    for operation in operations:
        operation["id"] = f"{deployment_id}/operations/{operation['operationId']}"
    template_hash = str(int(hashlib.sha256(json.dumps(template, sort_keys=True).encode()).hexdigest()[:15], 16))
    succeeded = [o for o in operations if o["properties"]["provisioningState"] == "Succeeded"]
    props = {
        "correlationId": str(uuid.uuid4()), "debugSetting": None, "dependencies": [], "duration": f"PT{seconds:.3f}S",
        "error": _error(failure), "mode": mode, "onErrorDeployment": None,
        "outputResources": [{"id": o["properties"]["targetResource"]["id"], "resourceGroup": group["name"]}
                            for o in succeeded],
        "outputs": evaluated.outputs() if failure is None else None, "parameters": evaluated.parameters(),
        "parametersLink": None, "providers": [], "provisioningState": "Failed" if failure else "Succeeded",
        "templateHash": template_hash, "templateLink": None, "timestamp": _now(), "validatedResources": None}
    return {"id": deployment_id, "location": None, "name": name, "resourceGroup": group["name"], "tags": None,
            "type": "Microsoft.Resources/deployments", "properties": props}


def _error(failure: dict | None) -> dict | None:
    if failure is None:
        return None
    message = messages.ARM_DEPLOYMENT_FAILED.format(target=failure["target"], code=failure["code"],
                                                   message=failure["message"])
    return {"code": DEPLOYMENT_FAILED, "message": message,
            "details": [{"code": failure["code"], "message": failure["message"], "target": failure["target"]}]}


def _file(subscription_id: str, resource_group: str, name: str):
    return workspaces._resource_group_dir(subscription_id, resource_group) / "deployments" / f"{name.lower()}.json"


def _save(subscription_id: str, resource_group: str, record: dict, operations: list[dict]) -> None:
    path = _file(subscription_id, resource_group, record["name"])
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(f".{uuid.uuid4().hex[:8]}.tmp")
    scratch.write_text(json.dumps({"deployment": record, "operations": operations}, indent=2))
    scratch.replace(path)  # readers never see half a record


def _load(subscription_id: str, resource_group: str, name: str) -> dict:
    path = _file(subscription_id, resource_group, name)
    if not path.exists():
        raise NotFound(WORKSPACE, messages.ARM_DEPLOYMENT_NOT_FOUND.format(name=name, resource_group=resource_group),
                       code="DeploymentNotFound")
    return json.loads(path.read_text())
