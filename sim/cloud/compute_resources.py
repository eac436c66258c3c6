"""Compute as an ARM resource: a `Microsoft.MachineLearningServices/workspaces/computes` body, applied.

The REST service (a PUT of `.../computes/<name>`) and ARM template deployments send the same body; this module
reads it (Azure's field names: computeType, vmSize, vmPriority, scaleSettings...) into `sim.cloud.compute`'s
arguments and creates or updates the compute. A PUT is idempotent, as ARM asks of every resource provider: on
an existing cluster it applies the scale settings (the VM size and priority of a cluster cannot change, and the
SDK's `AmlCompute(name=..., max_instances=2)` sends its default size, which is not a resize); on an existing
instance it changes nothing when the size is the same and is refused otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sim import messages
from sim.cloud import access, compute
from sim.cloud.errors import COMPUTE, Conflict, UserError

TENANT_ID = "72f988bf-0000-0000-0000-000000000000"  # the simulated Azure AD tenant
DEFAULT_IDLE_SECONDS = 120  # what Azure ML applies when scaleSettings has no nodeIdleTimeBeforeScaleDown
_TYPES = {compute.AML_COMPUTE.lower(): compute.AML_COMPUTE, compute.COMPUTE_INSTANCE.lower(): compute.COMPUTE_INSTANCE}
_DURATION = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$")
SCALE_FIELDS = ("min_nodes", "max_nodes", "idle_seconds_before_scaledown")


@dataclass(frozen=True)
class ComputeRequest:
    """What a compute body asks for: its type and the arguments of `create_cluster`/`create_instance`."""

    type: str
    arguments: dict


# ---- durations ---------------------------------------------------------------------------------------

def iso_duration(seconds: int) -> str:
    """Seconds as an ISO 8601 duration, as Azure writes them (120 -> 'PT2M', 5400 -> 'PT1H30M')."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    text = "".join(f"{v}{unit}" for v, unit in ((hours, "H"), (minutes, "M"), (secs, "S")) if v)
    return f"PT{text or '0S'}"


def parse_duration(value, field: str) -> int:
    """An ISO 8601 duration ('PT2M', 'PT120S', 'PT1H') as whole seconds.

    Raises:
        UserError: the value is not such a duration.
    """
    match = _DURATION.match(str(value).upper()) if value is not None else None
    if not match or str(value).upper() in ("P", "PT"):
        raise UserError(COMPUTE, messages.REST_DURATION_INVALID.format(value=value, field=field))
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    return int(parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"])


# ---- reading a body ----------------------------------------------------------------------------------

def _object(value, field: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise UserError(COMPUTE, messages.REST_FIELD_NOT_OBJECT.format(field=field))
    return value


def read_request(body: dict) -> ComputeRequest:
    """The compute a resource body (`{"location", "tags", "properties": {"computeType", ...}}`) describes.

    Raises:
        UserError: a computeType the simulator does not offer, or a malformed field.
    """
    props = _object(body.get("properties"), "properties")
    kind = _TYPES.get(str(props.get("computeType", "")).lower())
    if kind is None:
        raise UserError(COMPUTE, messages.REST_COMPUTE_TYPE_UNSUPPORTED.format(type=props.get("computeType")))
    inner = _object(props.get("properties"), "properties.properties")
    common = {"vm_size": inner.get("vmSize"), "description": props.get("description"), "tags": body.get("tags")}
    if kind == compute.AML_COMPUTE:
        return ComputeRequest(kind, {**common, **_cluster_arguments(body, props, inner)})
    return ComputeRequest(kind, {**common, "settings": _instance_settings(props, inner)})


def _scale_arguments(scale: dict, creating: bool) -> dict:
    # A create fills in Azure's defaults; an update leaves what is not given (None) as it is.
    idle = scale.get("nodeIdleTimeBeforeScaleDown")
    if idle is not None:
        idle = parse_duration(idle, "scaleSettings.nodeIdleTimeBeforeScaleDown")
    elif creating:
        idle = DEFAULT_IDLE_SECONDS
    return {"min_nodes": scale.get("minNodeCount", 0 if creating else None), "max_nodes": scale.get("maxNodeCount"),
            "idle_seconds_before_scaledown": idle}


def _cluster_arguments(body: dict, props: dict, inner: dict) -> dict:
    scale = _object(inner.get("scaleSettings"), "scaleSettings")
    credentials = _object(inner.get("userAccountCredentials"), "userAccountCredentials")
    settings = {"admin_username": credentials.get("adminUserName"),
                "remote_login_port_public_access": inner.get("remoteLoginPortPublicAccess") or "NotSpecified",
                "enable_node_public_ip": inner.get("enableNodePublicIp", True) is not False,
                "os_type": inner.get("osType") or "Linux", "disable_local_auth": bool(props.get("disableLocalAuth"))}
    priority = str(inner.get("vmPriority") or "Dedicated").lower()
    return {**_scale_arguments(scale, True), "vm_priority": priority,
            "location": body.get("location"), "settings": settings}


def _instance_settings(props: dict, inner: dict) -> dict:
    ssh = _object(inner.get("sshSettings"), "sshSettings")
    personal = _object(inner.get("personalComputeInstanceSettings"), "personalComputeInstanceSettings")
    assigned = _object(personal.get("assignedUser"), "assignedUser")
    return {"ssh_public_access": ssh.get("sshPublicAccess") == "Enabled", "admin_public_key": ssh.get("adminPublicKey"),
            "assigned_user_object_id": assigned.get("objectId") or access.current_caller().object_id,
            "assigned_user_tenant_id": assigned.get("tenantId") or TENANT_ID,
            "idle_time_before_shutdown": inner.get("idleTimeBeforeShutdown"),
            "enable_node_public_ip": inner.get("enableNodePublicIp", True) is not False,
            "enable_sso": inner.get("enableSSO", True) is not False,
            "setup_scripts": inner.get("setupScripts"), "schedules": inner.get("schedules"),
            "disable_local_auth": bool(props.get("disableLocalAuth"))}


def read_scale_update(body: dict) -> dict:
    """The scale settings of a PATCH body (ClusterUpdateParameters), as `update_cluster` arguments."""
    props = _object(body.get("properties"), "properties")
    inner = _object(props.get("properties"), "properties.properties")
    return _scale_arguments(_object(inner.get("scaleSettings") or props.get("scaleSettings"), "scaleSettings"), False)


# ---- applying a body ---------------------------------------------------------------------------------

def create_or_update(record, name: str, body: dict) -> tuple[compute.ComputeRecord, bool]:
    """Apply a PUT body: create the compute, or update the existing one. Returns (compute, created).

    Raises:
        CloudError: what `create_cluster`/`create_instance`/`update_cluster` raise; Conflict when the name
            belongs to a compute of another type, or an instance would change size.
    """
    wanted = read_request(body)
    existing = compute.find(record, name)
    if existing is None:
        create = compute.create_cluster if wanted.type == compute.AML_COMPUTE else compute.create_instance
        return create(record, name, **wanted.arguments), True
    return _update(record, existing, wanted), False


def _update(record, existing, wanted: ComputeRequest):
    if existing.type != wanted.type:
        raise Conflict(COMPUTE, messages.REST_COMPUTE_TYPE_CHANGE.format(
            name=existing.name, workspace=record.name, existing=existing.type, requested=wanted.type))
    if existing.type == compute.AML_COMPUTE:
        return compute.update_cluster(record, existing.name, **{k: wanted.arguments[k] for k in SCALE_FIELDS})
    if str(wanted.arguments.get("vm_size") or existing.vm_size).upper() != existing.vm_size.upper():
        raise Conflict(COMPUTE, messages.REST_COMPUTE_INSTANCE_EXISTS.format(name=existing.name,
                                                                             workspace=record.name))
    return existing
