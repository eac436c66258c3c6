"""Code assets (ARM `.../workspaces/<ws>/codes`): the snapshots `command(code="./src")` uploads once and reuses.

The SDK first lists `codes/<name>/versions?hash=<sha256>` to find a snapshot of the same content; when there is
none it POSTs `startPendingUpload`, uploads the folder to the SAS URL it gets (a fresh container of the workspace's
storage account), then PUTs the version with the snapshot's URI and hash. State and rules: `sim.cloud.codes`.
"""

from __future__ import annotations

import uuid

from werkzeug.routing import Rule

from sim.cloud import codes, datastores
from sim.rest import _assets
from sim.rest._errors import bad_request
from sim.rest._shapes import ARM_HOST, WS, json_body, page, properties_of
from sim.rest.datastores import simulated_sas_token
from sim.rest.workspaces import workspace_record

CONTAINER = f"{WS}/codes/<name>"
VERSION = f"{CONTAINER}/versions/<version>"


def version_json(record, code: codes.CodeAsset) -> dict:
    """One code version as ARM returns it."""
    props = {"codeUri": code.code_uri, "isAnonymous": code.is_anonymous, "isArchived": False,
             "description": code.description, "tags": code.tags, "properties": code.properties,
             "provisioningState": "Succeeded"}
    return _assets.envelope(_assets.version_id(record, "codes", code.name, code.version), "workspaces/codes/versions",
                            props, code.created_time, code.modified_time)


def container_json(record, box) -> dict:
    """One code container."""
    return _assets.envelope(_assets.container_id(record, "codes", box.name), "workspaces/codes",
                            _assets.container_properties(box), box.created_time, box.modified_time)


def list_containers(request, sub, rg, ws):
    """List code assets (one entry per name)."""
    record = workspace_record(sub, rg, ws)
    return page([container_json(record, b) for b in codes.containers(record, _assets.list_view(request))])


def get_container(request, sub, rg, ws, name):
    """Get a code asset by name (its latest and next versions)."""
    record = workspace_record(sub, rg, ws)
    return container_json(record, codes.container(record, name))


def list_versions(request, sub, rg, ws, name):
    """List the versions of a code asset, newest first; `hash` finds snapshots of the same content."""
    record = workspace_record(sub, rg, ws)
    content_hash = request.args.get("hash")
    found = codes.find_by_hash(record, name, content_hash) if content_hash else \
        codes.versions(record, name, _assets.list_view(request))
    return page([version_json(record, c) for c in _assets.top(request, found)])


def get_version(request, sub, rg, ws, name, version):
    """Get one version of a code asset (404 when it does not exist)."""
    record = workspace_record(sub, rg, ws)
    return version_json(record, codes.get(record, name, version))


def put_version(request, sub, rg, ws, name, version):
    """Create a code version from an uploaded snapshot (its URI cannot change afterwards)."""
    record = workspace_record(sub, rg, ws)
    props = properties_of(request)
    if not props.get("codeUri"):
        raise bad_request("A code version needs properties.codeUri.")
    code, created = codes.create_or_update(record, name, version, code_uri=props["codeUri"],
                                           is_anonymous=bool(props.get("isAnonymous")),
                                           description=props.get("description"), tags=props.get("tags"),
                                           properties=props.get("properties"))
    return (201 if created else 200), version_json(record, code)


def start_pending_upload(request, sub, rg, ws, name, version):
    """Give the client a fresh blob container (and a SAS for it) to upload a code snapshot to."""
    record = workspace_record(sub, rg, ws)
    kind = json_body(request).get("pendingUploadType") or "TemporaryBlobReference"
    if kind != "TemporaryBlobReference":
        raise bad_request(f"pendingUploadType '{kind}' is not simulated; use TemporaryBlobReference.")
    blob_uri = codes.start_pending_upload(record)
    account_id = record.storage_account or datastores.storage_account_name(record)
    return {"blobReferenceForConsumption": {
        "blobUri": blob_uri, "storageAccountArmId": account_id,
        "credential": {"credentialType": "SAS", "sasUri": f"{blob_uri}?{simulated_sas_token()}"}},
        "pendingUploadId": str(uuid.uuid4()), "pendingUploadType": kind}


ROUTES = [
    Rule(f"{WS}/codes", host=ARM_HOST, endpoint=list_containers, methods=["GET"]),
    Rule(CONTAINER, host=ARM_HOST, endpoint=get_container, methods=["GET"]),
    Rule(f"{CONTAINER}/versions", host=ARM_HOST, endpoint=list_versions, methods=["GET"]),
    Rule(VERSION, host=ARM_HOST, endpoint=get_version, methods=["GET"]),
    Rule(VERSION, host=ARM_HOST, endpoint=put_version, methods=["PUT"]),
    Rule(f"{VERSION}/startPendingUpload", host=ARM_HOST, endpoint=start_pending_upload, methods=["POST"]),
]
