"""The JSON of compute resources, VM sizes and usages (2023-08-01-preview field names)."""

from __future__ import annotations

from sim.cloud import access, compute
from sim.cloud.compute_resources import TENANT_ID, iso_duration
from sim.rest._shapes import PROVIDER, resource

_PRIORITIES = {"dedicated": "Dedicated", "lowpriority": "LowPriority"}
_OPERATION_NAMES = {"Starting": "Start", "Stopping": "Stop", "Restarting": "Restart"}


# ---- answers -----------------------------------------------------------------------------------------

def compute_json(record, found) -> dict:
    """A compute resource as ARM returns it (envelope, common properties, type-specific properties)."""
    inner = _cluster_json(record, found) if found.type == compute.AML_COMPUTE else _instance_json(record, found)
    props = {"computeType": found.type, "computeLocation": found.location, "description": found.description,
             "provisioningState": found.provisioning_state, "provisioningErrors": None,
             "createdOn": found.created_iso(), "modifiedOn": found.modified_iso(), "resourceId": None,
             "isAttachedCompute": False, "disableLocalAuth": bool(found.settings.get("disable_local_auth", True)),
             "properties": inner}
    return resource(f"{record.arm_id}/computes/{found.name}", "workspaces/computes", props,
                    created=found.created_iso(), location=found.location, tags=found.tags or {})



def _cluster_json(record, found) -> dict:
    nodes, busy = compute.node_counts(record, found)
    admin = found.settings.get("admin_username")
    return {
        "osType": found.settings.get("os_type", "Linux"), "vmSize": found.vm_size,
        "vmPriority": _PRIORITIES.get(found.vm_priority, found.vm_priority), "virtualMachineImage": None,
        "isolatedNetwork": False, "subnet": None,
        "scaleSettings": {"maxNodeCount": found.max_nodes, "minNodeCount": found.min_nodes,
                          "nodeIdleTimeBeforeScaleDown": iso_duration(found.idle_seconds_before_scaledown)},
        "userAccountCredentials": {"adminUserName": admin} if admin else None,
        "remoteLoginPortPublicAccess": found.settings.get("remote_login_port_public_access", "NotSpecified"),
        "allocationState": "Steady", "allocationStateTransitionTime": found.modified_iso(), "errors": None,
        "currentNodeCount": nodes, "targetNodeCount": nodes,
        "nodeStateCounts": {"idleNodeCount": nodes - busy, "runningNodeCount": busy, "preparingNodeCount": 0,
                            "unusableNodeCount": 0, "leavingNodeCount": 0, "preemptedNodeCount": 0},
        "enableNodePublicIp": found.settings.get("enable_node_public_ip", True), "propertyBag": None,
    }


def _instance_json(record, found) -> dict:
    settings = found.settings
    ssh = settings.get("ssh_public_access", False)
    host = f"https://{found.name.lower()}.{found.location}.instances.azureml.ms"
    return {
        "vmSize": found.vm_size, "subnet": None, "applicationSharingPolicy": "Shared",
        "sshSettings": {"sshPublicAccess": "Enabled" if ssh else "Disabled", "adminUserName": "azureuser",
                        "sshPort": 50000 if ssh else 4, "adminPublicKey": settings.get("admin_public_key")},
        "connectivityEndpoints": {"publicIpAddress": None, "privateIpAddress": "10.0.0.4"},
        "applications": [{"displayName": "Jupyter", "endpointUri": f"{host}/tree/"},
                         {"displayName": "Jupyter Lab", "endpointUri": f"{host}/lab"}],
        "createdBy": {"userName": access.current_caller().principal, "userOrgId": TENANT_ID,
                      "userId": settings.get("assigned_user_object_id")},
        "errors": None, "state": found.state, "computeInstanceAuthorizationType": "personal",
        "personalComputeInstanceSettings": _assigned_user(settings), "setupScripts": settings.get("setup_scripts"),
        "lastOperation": _last_operation(found), "schedules": settings.get("schedules"),
        "enableNodePublicIp": settings.get("enable_node_public_ip", True),
        "enableSSO": settings.get("enable_sso", True),
        "idleTimeBeforeShutdown": settings.get("idle_time_before_shutdown"),
        "osImageMetadata": {"currentImageVersion": "24.01.05", "latestImageVersion": "24.01.05",
                            "isLatestOsImageVersion": True},
    }


def _assigned_user(settings: dict) -> dict | None:
    object_id = settings.get("assigned_user_object_id")
    if not object_id:
        return None
    return {"assignedUser": {"objectId": object_id, "tenantId": settings.get("assigned_user_tenant_id", TENANT_ID)}}


def _last_operation(found) -> dict:
    name = _OPERATION_NAMES.get(found.settings.get("power_transition"), "Create")
    busy = found.state in ("Creating", *_OPERATION_NAMES)
    return {"operationName": name, "operationTime": found.modified_iso(),
            "operationStatus": "InProgress" if busy else "Succeeded", "operationTrigger": "User"}


def nodes_json(record, found) -> list[dict]:
    """A cluster's nodes for listNodes: the busy ones run jobs, the rest idle."""
    nodes, busy = compute.node_counts(record, found)
    return [{"nodeId": f"tvmps_{index:04d}_d", "privateIpAddress": f"10.0.0.{index + 4}", "publicIpAddress": None,
             "port": 50000 + index, "nodeState": "running" if index < busy else "idle", "runId": None}
            for index in range(nodes)]


def vm_size_json(size) -> dict:
    """A VM size as `.../locations/<region>/vmSizes` lists it."""
    return {"name": size.name, "family": size.family, "vCPUs": size.cores, "gpus": size.gpus,
            "osVhdSizeMB": 1047552, "maxResourceVolumeMB": size.max_resource_volume_mb,
            "memoryGB": size.memory_gb, "lowPriorityCapable": size.low_priority_capable, "premiumIO": True,
            "estimatedVMPrices": None, "supportedComputeTypes": [compute.AML_COMPUTE, compute.COMPUTE_INSTANCE]}


def usage_json(sub: str, location: str, usage: dict) -> dict:
    """One VM family's core usage and limit, as `.../locations/<region>/usages` lists it."""
    family = usage["family"]
    return {"id": f"/subscriptions/{sub}/providers/{PROVIDER}/locations/{location}/usages/{family}",
            "amlWorkspaceLocation": location, "type": f"{PROVIDER}/vmFamily/usages", "unit": usage["unit"],
            "currentValue": usage["current"], "limit": usage["limit"],
            "name": {"value": family, "localizedValue": _family_display_name(family)}}


def _family_display_name(family: str) -> str:
    """'standardDSv2Family' -> 'Standard DSv2 Family vCPUs', as the portal and the usages API word it."""
    middle = family.removeprefix("standard").removesuffix("Family")
    return f"Standard {middle} Family vCPUs" if middle != family else f"{family} vCPUs"
