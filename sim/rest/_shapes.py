"""Shapes every ARM resource shares: ids, system data, envelopes, request bodies, paging."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from werkzeug.wrappers import Request

from sim.rest._errors import bad_request

PROVIDER = "Microsoft.MachineLearningServices"
ARM_HOST = "management.azure.com"
WS = "/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/workspaces/<ws>"


def workspace_id(sub: str, rg: str, ws: str) -> str:
    """The ARM id of a workspace."""
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{PROVIDER}/workspaces/{ws}"


def now_iso() -> str:
    """The current time as ARM writes it."""
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def system_data(created: str | None = None, modified: str | None = None) -> dict:
    """ARM's systemData block (the simulated learner created everything)."""
    created = created or now_iso()
    return {"createdAt": created, "createdBy": "learner@contoso.com", "createdByType": "User",
            "lastModifiedAt": modified or created, "lastModifiedBy": "learner@contoso.com",
            "lastModifiedByType": "User"}


def resource(arm_id: str, resource_type: str, properties: dict, *, created: str | None = None, **extra) -> dict:
    """An ARM envelope: id, name, type, properties, systemData (+ location, tags, sku...)."""
    name = arm_id.rstrip("/").rsplit("/", 1)[-1]
    body = {"id": arm_id, "name": name, "type": f"{PROVIDER}/{resource_type}", "properties": properties,
            "systemData": system_data(created)}
    body.update(extra)
    return body


def page(items: list) -> dict:
    """A list answer (one page, no nextLink)."""
    return {"value": items}


def json_body(request: Request) -> dict:
    """The request's JSON body, or a 400 that says it is not JSON."""
    try:
        body = json.loads(request.get_data(as_text=True) or "{}")
    except ValueError as exc:
        raise bad_request(f"The request body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    return body


def properties_of(request: Request) -> dict:
    """The `properties` object of an ARM PUT body."""
    props = json_body(request).get("properties") or {}
    if not isinstance(props, dict):
        raise bad_request("'properties' must be a JSON object.")
    return props
