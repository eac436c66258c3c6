"""Compute (AmlCompute clusters and compute instances) in Azure ML's ARM shapes, over `sim.cloud.compute`.

Routes: list, get, create-or-update (PUT: a new compute, or new scale settings for an existing cluster),
scale (PATCH), delete, start/stop/restart of instances, a cluster's nodes, and the region's VM sizes and core
usages. One table serves both SDKs, so a cluster made here is v1's `ComputeTarget(ws, name)` and the other way
round.

Long-running operations answer as ARM does. With no provisioning delay (the default) the answer is final at
once (200/201 with `provisioningState: Succeeded`). With `DP100_SIM_COMPUTE_DELAY`, a create or power operation
answers 201/202 with an `Azure-AsyncOperation` address whose status comes from the compute's own state, so the
SDK's poller waits while the record reads Creating/Starting/Stopping. The address carries what to look at, so
no operation is held in memory.
"""

from __future__ import annotations

import base64
import json
from types import SimpleNamespace

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from sim import messages
from sim.cloud import compute, compute_resources, regions
from sim.rest import _compute_shapes as shapes
from sim.rest._errors import RestError, bad_request
from sim.rest._shapes import ARM_HOST, PROVIDER, WS, json_body, page
from sim.rest.workspaces import workspace_record

COMPUTE = f"{WS}/computes/<name>"
LOCATION = f"/subscriptions/<sub>/providers/{PROVIDER}/locations/<location>"
TRANSITIONS = {"Creating", "Starting", "Stopping", "Restarting"}
POLL_SECONDS = "1"


# ---- reads -------------------------------------------------------------------------------------------

def _compute(record, name: str):
    found = compute.find(record, name)
    if found is None:
        raise RestError(404, "ResourceNotFound", messages.REST_COMPUTE_NOT_FOUND.format(
            workspace=record.name, name=name, resource_group=record.resource_group))
    return found


def list_computes(request, sub, rg, ws):
    """GET .../computes: every compute of the workspace."""
    record = workspace_record(sub, rg, ws)
    return page([shapes.compute_json(record, c) for c in compute.list_computes(record)])


def get_compute(request, sub, rg, ws, name):
    """GET .../computes/<name>: one compute (404 when missing, so lab code's `except` creates it)."""
    record = workspace_record(sub, rg, ws)
    return shapes.compute_json(record, _compute(record, name))


def list_nodes(request, sub, rg, ws, name):
    """POST .../computes/<name>/listNodes: a cluster's nodes (idle or running a job)."""
    record = workspace_record(sub, rg, ws)
    found = _compute(record, name)
    if found.type != compute.AML_COMPUTE:
        raise bad_request(messages.REST_COMPUTE_NODES_CLUSTER_ONLY.format(name=found.name, type=found.type))
    return {"nodes": shapes.nodes_json(record, found), "nextLink": None}


# ---- create, update, delete --------------------------------------------------------------------------

def put_compute(request, sub, rg, ws, name):
    """PUT .../computes/<name>: create a compute, or give an existing cluster new scale settings."""
    record = workspace_record(sub, rg, ws)
    found, created = compute_resources.create_or_update(record, name, json_body(request))
    return _accepted_or_done(record, found, "create" if created else "update", 201 if created else 200)


def patch_compute(request, sub, rg, ws, name):
    """PATCH .../computes/<name>: a cluster's new scale settings (ClusterUpdateParameters)."""
    record = workspace_record(sub, rg, ws)
    found = _compute(record, name)
    scale = compute_resources.read_scale_update(json_body(request))
    return shapes.compute_json(record, compute.update_cluster(record, found.name, **scale))


def delete_compute(request, sub, rg, ws, name):
    """DELETE .../computes/<name>?underlyingResourceAction=Delete|Detach (both remove it here)."""
    record = workspace_record(sub, rg, ws)
    action = request.args.get("underlyingResourceAction", "Delete")
    if action.lower() not in ("delete", "detach"):
        raise bad_request(messages.REST_COMPUTE_DELETE_ACTION.format(action=action))
    if compute.find(record, name) is None:
        return 204, None
    compute.delete(record, name)
    return 200, None


# ---- compute instance power --------------------------------------------------------------------------

def _power(operation: str):
    def handler(request, sub, rg, ws, name):
        record = workspace_record(sub, rg, ws)
        changed = compute.set_power_state(record, _compute(record, name).name, operation)
        if changed.state not in TRANSITIONS:
            return 202, None  # accepted and already done: the SDK's poller finishes at once
        return _async_answer(record, changed, operation, 202, None)

    handler.__name__ = f"{operation}_compute"
    handler.__doc__ = f"POST .../computes/<name>/{operation}: {operation} a compute instance."
    return handler


# ---- long-running operations -------------------------------------------------------------------------

def _accepted_or_done(record, found, operation: str, status: int):
    body = shapes.compute_json(record, found)
    if found.state not in TRANSITIONS:
        return status, body
    return _async_answer(record, found, operation, status, body)


def _operation_token(record, name: str, operation: str) -> str:
    what = {"rg": record.resource_group, "ws": record.name, "name": name, "op": operation}
    return base64.urlsafe_b64encode(json.dumps(what).encode()).decode().rstrip("=")


def _async_answer(record, found, operation: str, status: int, body) -> Response:
    token = _operation_token(record, found.name, operation)
    url = (f"https://{ARM_HOST}/subscriptions/{record.subscription_id}/providers/{PROVIDER}/locations/"
           f"{record.location}/computeOperationsStatus/{token}?api-version=2023-08-01-preview")
    headers = {"Azure-AsyncOperation": url, "Retry-After": POLL_SECONDS}
    text = json.dumps(body) if body is not None else ""
    return Response(text, status=status, headers=headers, content_type="application/json" if text else None)


def operation_status(request, sub, location, token):
    """GET .../locations/<location>/computeOperationsStatus/<token>: InProgress until the compute settles."""
    try:
        what = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        record = workspace_record(sub, what["rg"], what["ws"])
    except (ValueError, KeyError, TypeError) as exc:
        raise RestError(404, "OperationNotFound", messages.REST_OPERATION_NOT_FOUND.format(id=token)) from exc
    found = compute.find(record, what["name"])
    done = found is None or found.state not in TRANSITIONS
    status = "Succeeded" if done else "InProgress"
    answer = {"id": request.base_url, "name": token, "status": status}
    if done:
        return answer
    return Response(json.dumps(answer), status=200, content_type="application/json",
                    headers={"Retry-After": POLL_SECONDS})


# ---- the region's sizes and quota --------------------------------------------------------------------

def list_vm_sizes(request, sub, location):
    """GET .../locations/<location>/vmSizes: the sizes Azure ML compute offers in the region."""
    if not regions.is_region(location):
        raise bad_request(messages.REST_LOCATION_UNKNOWN.format(location=location), code="LocationNotAvailable")
    return {"value": [shapes.vm_size_json(size) for size in regions.sizes_in_region(location)]}


def list_usages(request, sub, location):
    """GET .../locations/<location>/usages: cores in use and the subscription's limit per VM family."""
    if not regions.is_region(location):
        raise bad_request(messages.REST_LOCATION_UNKNOWN.format(location=location), code="LocationNotAvailable")
    # Quotas belong to a subscription and region, not to a workspace; the quota rules only read these two.
    scope = SimpleNamespace(subscription_id=sub, location=regions.normalize_region(location))
    return page([shapes.usage_json(sub, scope.location, usage) for usage in compute.usages(scope)])


ROUTES = [
    Rule(f"{WS}/computes", host=ARM_HOST, endpoint=list_computes, methods=["GET"]),
    Rule(COMPUTE, host=ARM_HOST, endpoint=get_compute, methods=["GET"]),
    Rule(COMPUTE, host=ARM_HOST, endpoint=put_compute, methods=["PUT"]),
    Rule(COMPUTE, host=ARM_HOST, endpoint=patch_compute, methods=["PATCH"]),
    Rule(COMPUTE, host=ARM_HOST, endpoint=delete_compute, methods=["DELETE"]),
    Rule(f"{COMPUTE}/listNodes", host=ARM_HOST, endpoint=list_nodes, methods=["POST"]),
    *(Rule(f"{COMPUTE}/{op}", host=ARM_HOST, endpoint=_power(op), methods=["POST"])
      for op in ("start", "stop", "restart")),
    Rule(f"{LOCATION}/computeOperationsStatus/<token>", host=ARM_HOST, endpoint=operation_status,
         methods=["GET"]),
    Rule(f"{LOCATION}/vmSizes", host=ARM_HOST, endpoint=list_vm_sizes, methods=["GET"]),
    Rule(f"{LOCATION}/usages", host=ARM_HOST, endpoint=list_usages, methods=["GET"]),
]
