"""ARM operations on online endpoints and deployments, over `sim.cloud.endpoints`.

Endpoints are made at once (201 with `provisioningState: Succeeded`); a deployment PUT answers 201 `Creating`
with an `Azure-AsyncOperation` address whose status is the deployment's own (InProgress until its scoring server
has run `init()`), so `begin_create_or_update(...).result()` returns when the deployment can answer, or raises
with the reason it failed. Deletes stop the scoring servers before they answer. An operation address carries
what it is about (workspace, endpoint, deployment), so no operation is held in memory.
"""

from __future__ import annotations

import base64
import json

from werkzeug.wrappers import Response

from sim import messages
from sim.cloud import codes
from sim.cloud.endpoints import SUCCEEDED, deployments, online
from sim.cloud.endpoints import _table as table
from sim.cloud.errors import NotFound
from sim.rest._errors import RestError, bad_request
from sim.rest._shapes import ARM_HOST, PROVIDER, json_body, page
from sim.rest.endpoints import _shapes as shapes
from sim.rest.workspaces import workspace_record

POLL_MS = "500"  # how soon the SDK asks again (retry-after-ms): a deployment is ready in seconds here
STATUS_OF = {table.CREATING: "InProgress", table.UPDATING: "InProgress", table.DELETING: "InProgress",
             table.SUCCEEDED: "Succeeded", table.FAILED: "Failed"}


# ---- endpoints ---------------------------------------------------------------------------------------

def list_endpoints(request, sub, rg, ws):
    """GET .../onlineEndpoints: every online endpoint of the workspace."""
    record = workspace_record(sub, rg, ws)
    return page([shapes.endpoint_json(record, e) for e in online.list_endpoints(record)])


def get_endpoint(request, sub, rg, ws, endpoint):
    """GET .../onlineEndpoints/<endpoint> (404 when missing)."""
    record = workspace_record(sub, rg, ws)
    return shapes.endpoint_json(record, online.get(record, endpoint))


def _endpoint_settings(body: dict) -> dict:
    props = body.get("properties") or {}
    for key in ("traffic", "mirrorTraffic", "properties"):
        if props.get(key) is not None and not isinstance(props[key], dict):
            raise bad_request(messages.REST_FIELD_NOT_OBJECT.format(field=f"properties.{key}"))
    return dict(auth_mode=props.get("authMode"), description=props.get("description"), tags=body.get("tags"),
                properties=props.get("properties"), traffic=props.get("traffic"),
                mirror_traffic=props.get("mirrorTraffic"), public_network_access=props.get("publicNetworkAccess"))


def put_endpoint(request, sub, rg, ws, endpoint):
    """PUT .../onlineEndpoints/<endpoint>: create (201) or replace its settings and traffic (200)."""
    record = workspace_record(sub, rg, ws)
    found, created = online.create_or_update(record, endpoint, **_endpoint_settings(json_body(request)))
    return (201 if created else 200), shapes.endpoint_json(record, found)


def patch_endpoint(request, sub, rg, ws, endpoint):
    """PATCH .../onlineEndpoints/<endpoint>: change some settings (traffic, tags, description)."""
    record = workspace_record(sub, rg, ws)
    current = online.get(record, endpoint)
    given = {k: v for k, v in _endpoint_settings(json_body(request)).items() if v is not None}
    settings = dict(auth_mode=current.auth_mode, description=current.description, tags=current.tags,
                    properties=current.properties, traffic=current.traffic, mirror_traffic=current.mirror_traffic,
                    public_network_access=current.public_network_access)
    found, _ = online.create_or_update(record, endpoint, **{**settings, **given})
    return shapes.endpoint_json(record, found)


def delete_endpoint(request, sub, rg, ws, endpoint):
    """DELETE .../onlineEndpoints/<endpoint>: its deployments' servers stop; 204 when there was none."""
    record = workspace_record(sub, rg, ws)
    if table.find_endpoint(record, endpoint) is None:
        return 204, None
    online.delete(record, endpoint)
    return 200, None


def list_keys(request, sub, rg, ws, endpoint):
    """POST .../listKeys: the endpoint's primary and secondary keys."""
    return online.keys(workspace_record(sub, rg, ws), endpoint)


def regenerate_keys(request, sub, rg, ws, endpoint):
    """POST .../regenerateKeys: a new value for one key (done at once)."""
    body = json_body(request)
    online.regenerate_key(workspace_record(sub, rg, ws), endpoint, body.get("keyType"), body.get("keyValue"))
    return 200, None


def get_token(request, sub, rg, ws, endpoint):
    """POST .../token: an AML token for an aml_token endpoint."""
    return online.token(workspace_record(sub, rg, ws), endpoint)


# ---- deployments -------------------------------------------------------------------------------------

def list_deployments(request, sub, rg, ws, endpoint):
    """GET .../onlineEndpoints/<endpoint>/deployments: its deployments, each reconciled with its server."""
    record = workspace_record(sub, rg, ws)
    return page([shapes.deployment_json(record, d) for d in deployments.list_deployments(record, endpoint)])


def get_deployment(request, sub, rg, ws, endpoint, deployment):
    """GET .../deployments/<deployment>: the deployment, its state reconciled with its scoring server."""
    record = workspace_record(sub, rg, ws)
    return shapes.deployment_json(record, deployments.get(record, endpoint, deployment))


def _code_folder(record, code_id: str | None):
    named = shapes.code_of(code_id)
    return codes.local_path(record, *named) if named else None


def put_deployment(request, sub, rg, ws, endpoint, deployment):
    """PUT .../deployments/<deployment>: start it; the answer's Azure-AsyncOperation follows it to the end."""
    record = workspace_record(sub, rg, ws)
    body = json_body(request)
    code = ((body.get("properties") or {}).get("codeConfiguration") or {}).get("codeId")
    spec = shapes.deployment_spec(body, _code_folder(record, code))
    found, created = deployments.create_or_update(record, endpoint, deployment, spec)
    return _async_answer(request, record, endpoint, deployment, 201 if created else 200,
                         shapes.deployment_json(record, found))


def delete_deployment(request, sub, rg, ws, endpoint, deployment):
    """DELETE .../deployments/<deployment>: its server stops (refused while it has traffic)."""
    record = workspace_record(sub, rg, ws)
    online.get(record, endpoint)
    if table.find_deployment(record, endpoint, deployment) is None:
        return 204, None
    deployments.delete(record, endpoint, deployment)
    return 200, None


def get_logs(request, sub, rg, ws, endpoint, deployment):
    """POST .../deployments/<deployment>/getLogs: {"content": the log's last `tail` lines}."""
    body = json_body(request)
    tail = body.get("tail")
    if tail is not None and (not isinstance(tail, int) or tail < 0):
        raise bad_request(messages.DEPLOYMENT_LOG_TAIL.format(tail=tail))
    text = deployments.logs(workspace_record(sub, rg, ws), endpoint, deployment, tail, body.get("containerType"))
    return {"content": text}


# ---- long-running operations -------------------------------------------------------------------------

def _token(record, endpoint: str, deployment: str) -> str:
    what = {"rg": record.resource_group, "ws": record.name, "endpoint": endpoint, "deployment": deployment}
    return base64.urlsafe_b64encode(json.dumps(what).encode()).decode().rstrip("=")


def _async_answer(request, record, endpoint, deployment, status, body) -> Response:
    url = (f"https://{ARM_HOST}/subscriptions/{record.subscription_id}/providers/{PROVIDER}/locations/"
           f"{record.location}/mfeOperationsStatus/{_token(record, endpoint, deployment)}"
           f"?api-version={request.args.get('api-version', '2023-04-01-preview')}")
    headers = {"Azure-AsyncOperation": url, "retry-after-ms": POLL_MS}
    return Response(json.dumps(body), status=status, headers=headers, content_type="application/json")


def operation_status(request, sub, location, token):
    """GET .../locations/<location>/mfeOperationsStatus/<token>: InProgress until the deployment settles."""
    try:
        what = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        record = workspace_record(sub, what["rg"], what["ws"])
        found = deployments.get(record, what["endpoint"], what["deployment"])
    except (ValueError, KeyError, TypeError, NotFound) as exc:
        raise RestError(404, "OperationNotFound", messages.REST_OPERATION_NOT_FOUND.format(id=token)) from exc
    answer = {"id": request.base_url, "name": token, "status": STATUS_OF.get(found.state, "InProgress")}
    if found.state == table.FAILED:
        answer["error"] = found.error or {"code": "DeploymentFailed", "message": found.state}
    if found.state in (SUCCEEDED, table.FAILED):
        return answer
    return Response(json.dumps(answer), status=200, content_type="application/json",
                    headers={"retry-after-ms": POLL_MS})
