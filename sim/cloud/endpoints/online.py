"""Managed online endpoints: create or update (traffic included), read, delete, keys and tokens.

An endpoint is a name, an authentication mode and a traffic split over its deployments; its scoring address is
`https://<name>.<region>.inference.ml.azure.com/score`, so its name must be unique in the region (as in Azure:
here across the workspaces of this DP100_HOME). Creating one is immediate; its deployments are what take time
(`sim.cloud.endpoints.deployments`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import shutil
import time

from sim import messages
from sim.cloud import access, workspaces
from sim.cloud.endpoints import _table as table
from sim.cloud.endpoints._table import SUCCEEDED, OnlineEndpoint
from sim.cloud.errors import SERVICE, Conflict, Forbidden, UserError
from sim.cloud.services import _process as proc

KEY, AML_TOKEN, AAD_TOKEN = "Key", "AMLToken", "AADToken"
AUTH_MODES = {"key": KEY, "amltoken": AML_TOKEN, "aadtoken": AAD_TOKEN}
TOKEN_SECONDS = 3600
KEYS_FILE = "keys.json"
_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]{1,30}[a-zA-Z0-9]$")
WRITE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/write"
DELETE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/delete"
LIST_KEYS = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/listKeys/action"
SCORE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/score/action"


def validate_name(name: str, what: str = "endpoint") -> str:
    """Check an endpoint or deployment name (3-32 letters, digits and '-', starting with a letter)."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise UserError(SERVICE, messages.ENDPOINT_NAME_INVALID.format(what=what, name=name))
    return name


def auth_mode_of(value: str | None) -> str:
    """The canonical authentication mode (Key when not given)."""
    mode = AUTH_MODES.get((value or "key").replace("_", "").lower())
    if mode is None:
        raise UserError(SERVICE, messages.ENDPOINT_AUTH_MODE_INVALID.format(mode=value))
    return mode


def get(record, name: str) -> OnlineEndpoint:
    """The endpoint `name`; raises NotFound."""
    return table.get_endpoint(record, name)


def list_endpoints(record) -> list[OnlineEndpoint]:
    """Every online endpoint of the workspace."""
    return table.all_endpoints(record)


def _taken_elsewhere(record, name: str) -> bool:
    for other in workspaces.list_workspaces():
        if other.location == record.location and other.folder != record.folder:
            if table.find_endpoint(other, name) is not None:
                return True
    return False


def check_traffic(record, name: str, traffic: dict, what: str = "traffic") -> dict:
    """The traffic split as stored, or UserError when it names unknown deployments or does not add up to 100."""
    known = {d.name for d in table.deployments_of(record, name)}
    split = {}
    for deployment, percent in (traffic or {}).items():
        if deployment not in known:
            raise UserError(SERVICE, messages.ENDPOINT_TRAFFIC_UNKNOWN.format(
                what=what, deployment=deployment, endpoint=name))
        if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100:
            raise UserError(SERVICE, messages.ENDPOINT_TRAFFIC_PERCENT.format(what=what, deployment=deployment))
        split[deployment] = percent
    total = sum(split.values())
    if what == "traffic" and total not in (0, 100):
        raise UserError(SERVICE, messages.ENDPOINT_TRAFFIC_SUM.format(total=total))
    if what != "traffic" and total > 50:
        raise UserError(SERVICE, messages.ENDPOINT_MIRROR_TRAFFIC.format(total=total))
    return split


def create_or_update(record, name: str, *, auth_mode=None, description=None, tags=None, properties=None,
                     traffic=None, mirror_traffic=None, public_network_access=None) -> tuple[OnlineEndpoint, bool]:
    """Create endpoint `name` (with fresh keys) or replace its settings; returns (endpoint, created)."""
    access.authorize(record, WRITE, family=SERVICE)
    validate_name(name)
    existing = table.find_endpoint(record, name)
    mode = auth_mode_of(auth_mode)
    if existing is None and _taken_elsewhere(record, name):
        raise Conflict(SERVICE, messages.ENDPOINT_NAME_TAKEN.format(name=name, region=record.location))
    if existing is not None and existing.auth_mode != mode:
        raise UserError(SERVICE, messages.ENDPOINT_AUTH_MODE_FIXED.format(name=name, mode=existing.auth_mode))
    values = dict(auth_mode=mode, description=description, tags=dict(tags or {}),
                  properties=dict(properties or {}), traffic=check_traffic(record, name, traffic),
                  mirror_traffic=check_traffic(record, name, mirror_traffic, "mirror traffic"),
                  public_network_access=public_network_access or "Enabled", state=SUCCEEDED)
    endpoint = table.save_endpoint(record, name, **values)
    if existing is None:
        endpoint.folder.mkdir(parents=True, exist_ok=True)
        _write_keys(endpoint, _new_keys())
    return endpoint, existing is None


def delete(record, name: str) -> None:
    """Stop every deployment's scoring server and remove the endpoint (rows and folders)."""
    access.authorize(record, DELETE, family=SERVICE)
    endpoint = table.get_endpoint(record, name)
    table.save_endpoint(record, name, state=table.DELETING)
    for deployment in table.deployments_of(record, name):
        proc.stop(deployment.pid, deployment.folder)
    table.remove_endpoint(record, name)
    shutil.rmtree(endpoint.folder, ignore_errors=True)


def stop_all(record) -> None:
    """Stop every scoring server of the workspace's endpoints (the workspace is going away)."""
    for deployment in table.deployments_of(record):
        proc.stop(deployment.pid, deployment.folder)


# ---- keys and tokens ----------------------------------------------------------------------------------

def _new_keys() -> dict:
    return {"primaryKey": secrets.token_urlsafe(32), "secondaryKey": secrets.token_urlsafe(32)}


def _write_keys(endpoint: OnlineEndpoint, keys: dict) -> None:
    endpoint.folder.mkdir(parents=True, exist_ok=True)
    proc.write_json(endpoint.folder / KEYS_FILE, keys)


def _read_keys(endpoint: OnlineEndpoint) -> dict:
    try:
        return json.loads((endpoint.folder / KEYS_FILE).read_text())
    except (OSError, ValueError):
        keys = _new_keys()  # a folder restored without its keys gets new ones, as a regeneration would
        _write_keys(endpoint, keys)
        return keys


def keys(record, name: str) -> dict:
    """{"primaryKey", "secondaryKey"} of a key-authenticated endpoint."""
    access.authorize(record, LIST_KEYS, family=SERVICE)
    endpoint = table.get_endpoint(record, name)
    if endpoint.auth_mode != KEY:
        raise UserError(SERVICE, messages.ENDPOINT_NO_KEYS.format(name=name, mode=endpoint.auth_mode))
    return _read_keys(endpoint)


def regenerate_key(record, name: str, key_type: str, value: str | None = None) -> dict:
    """Give the Primary or Secondary key a new value (a fresh one unless another value is asked for)."""
    current = keys(record, name)
    which = {"primary": "primaryKey", "secondary": "secondaryKey"}.get((key_type or "").lower())
    if which is None:
        raise UserError(SERVICE, messages.ENDPOINT_KEY_TYPE_INVALID.format(key_type=key_type))
    # the SDK sends the current value back; only another value is a request to set that value
    current[which] = value if value and value != current[which] else secrets.token_urlsafe(32)
    _write_keys(table.get_endpoint(record, name), current)
    return current


def _signature(endpoint: OnlineEndpoint, payload: bytes) -> str:
    secret = _read_keys(endpoint)["primaryKey"].encode()
    return base64.urlsafe_b64encode(hmac.new(secret, payload, hashlib.sha256).digest()).decode().rstrip("=")


def token(record, name: str) -> dict:
    """An AML token for an AMLToken endpoint: {"accessToken", "expiryTimeUtc", "refreshAfterTimeUtc", ...}."""
    access.authorize(record, SCORE, family=SERVICE)
    endpoint = table.get_endpoint(record, name)
    if endpoint.auth_mode != AML_TOKEN:
        raise UserError(SERVICE, messages.ENDPOINT_NO_TOKEN.format(name=name, mode=endpoint.auth_mode))
    expiry = int(time.time()) + TOKEN_SECONDS
    payload = base64.urlsafe_b64encode(json.dumps({"endpoint": name, "exp": expiry}).encode()).rstrip(b"=")
    return {"accessToken": f"{payload.decode()}.{_signature(endpoint, payload)}", "tokenType": "Bearer",
            "expiryTimeUtc": expiry, "refreshAfterTimeUtc": expiry - TOKEN_SECONDS // 2}


def _token_valid(endpoint: OnlineEndpoint, presented: str) -> bool:
    payload, _, signature = presented.partition(".")
    if not signature or not hmac.compare_digest(signature, _signature(endpoint, payload.encode())):
        return False
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return False
    return claims.get("endpoint") == endpoint.name and claims.get("exp", 0) > time.time()


def check_caller(endpoint: OnlineEndpoint, authorization: str | None) -> None:
    """Raise Forbidden (answered 401) unless the request's bearer credential opens this endpoint."""
    presented = (authorization or "").removeprefix("Bearer ").strip()
    if endpoint.auth_mode == KEY:
        valid = _read_keys(endpoint).values()
        allowed = any(hmac.compare_digest(presented, k) for k in valid if isinstance(k, str))
    elif endpoint.auth_mode == AML_TOKEN:
        allowed = _token_valid(endpoint, presented)
    else:  # AADToken: any token of the simulated Microsoft Entra ID (the SDK's credential) will do
        allowed = bool(presented)
    if not allowed:
        raise Forbidden(SERVICE, messages.ENDPOINT_UNAUTHORIZED, status=401, code="Unauthorized")
