"""Data assets (ARM `.../workspaces/<ws>/data`): containers and versions of uri_file, uri_folder and mltable.

State and rules are `sim.cloud.data_assets`'. A local path given to `ml_client.data.create_or_update` never
reaches here: the SDK uploads it through the blob service first and PUTs the version with the datastore URI.
Archiving is a PUT with `isArchived`, as the SDK does it (GET, change, PUT).
"""

from __future__ import annotations

from werkzeug.routing import Rule

from sim.cloud import data_assets
from sim.rest import _assets
from sim.rest._errors import bad_request
from sim.rest._shapes import ARM_HOST, WS, page, properties_of
from sim.rest.workspaces import workspace_record

CONTAINER = f"{WS}/data/<name>"
VERSION = f"{CONTAINER}/versions/<version>"


def version_json(record, asset: data_assets.DataAsset) -> dict:
    """One data asset version as ARM returns it."""
    props = {"dataType": asset.data_type, "dataUri": asset.path, "description": asset.description,
             "tags": asset.tags, "properties": asset.properties, "isAnonymous": asset.is_anonymous,
             "isArchived": asset.archived}
    if asset.data_type == data_assets.MLTABLE:
        props["referencedUris"] = list(asset.referenced_uris)
    return _assets.envelope(_assets.version_id(record, "data", asset.name, asset.version), "workspaces/data/versions",
                            props, asset.created_time, asset.modified_time)


def container_json(record, box) -> dict:
    """One data asset container (the name, its type, latest and next versions)."""
    props = {**_assets.container_properties(box), "dataType": data_assets.container_type(record, box.name)}
    return _assets.envelope(_assets.container_id(record, "data", box.name), "workspaces/data", props,
                            box.created_time, box.modified_time)


def list_containers(request, sub, rg, ws):
    """List data assets (one entry per name, with its latest version)."""
    record = workspace_record(sub, rg, ws)
    return page([container_json(record, b) for b in data_assets.containers(record, _assets.list_view(request))])


def get_container(request, sub, rg, ws, name):
    """Get a data asset by name (its latest and next versions)."""
    record = workspace_record(sub, rg, ws)
    return container_json(record, data_assets.container(record, name))


def put_container(request, sub, rg, ws, name):
    """Update a data asset's description, tags or archived state (archive/restore of a whole asset)."""
    record = workspace_record(sub, rg, ws)
    props = properties_of(request)
    data_assets.update_container(record, name, description=props.get("description"), tags=props.get("tags"))
    data_assets.set_archived(record, name, None, bool(props.get("isArchived")))
    return container_json(record, data_assets.container(record, name))


def list_versions(request, sub, rg, ws, name):
    """List the versions of a data asset, newest first (`$orderBy`, `$top`, `listViewType`)."""
    record = workspace_record(sub, rg, ws)
    found = data_assets.versions(record, name, _assets.list_view(request))
    if "asc" in (request.args.get("$orderBy") or "").lower():
        found.reverse()
    return page([version_json(record, a) for a in _assets.top(request, found)])


def get_version(request, sub, rg, ws, name, version):
    """Get one version of a data asset (404 when it does not exist)."""
    record = workspace_record(sub, rg, ws)
    return version_json(record, data_assets.get(record, name, version))


def put_version(request, sub, rg, ws, name, version):
    """Create a data asset version, or update its description, tags and archived state."""
    record = workspace_record(sub, rg, ws)
    props = properties_of(request)
    if not isinstance(props.get("tags") or {}, dict):
        raise bad_request("'tags' must be an object of strings.")
    asset, created = data_assets.create_or_update(
        record, name, version, data_type=props.get("dataType"), path=props.get("dataUri"),
        description=props.get("description"), tags=props.get("tags"), properties=props.get("properties"),
        is_anonymous=bool(props.get("isAnonymous")), referenced_uris=props.get("referencedUris"))
    if bool(props.get("isArchived")) != asset.archived:
        data_assets.set_archived(record, name, version, bool(props.get("isArchived")))
        asset = data_assets.get(record, name, version)
    return (201 if created else 200), version_json(record, asset)


ROUTES = [
    Rule(f"{WS}/data", host=ARM_HOST, endpoint=list_containers, methods=["GET"]),
    Rule(CONTAINER, host=ARM_HOST, endpoint=get_container, methods=["GET"]),
    Rule(CONTAINER, host=ARM_HOST, endpoint=put_container, methods=["PUT"]),
    Rule(f"{CONTAINER}/versions", host=ARM_HOST, endpoint=list_versions, methods=["GET"]),
    Rule(VERSION, host=ARM_HOST, endpoint=get_version, methods=["GET"]),
    Rule(VERSION, host=ARM_HOST, endpoint=put_version, methods=["PUT"]),
]
