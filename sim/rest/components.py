"""Components (ARM `.../workspaces/<ws>/components`): register, get and list command-component versions.

What `ml_client.components.create_or_update(load_component(...))` and `az ml component create --file` send: the
SDK uploads the component's code as a code asset and resolves its environment first, then PUTs the version with
its `componentSpec`. State and rules: `sim.cloud.components`. Using a component in a pipeline is not simulated.
"""

from __future__ import annotations

from werkzeug.routing import Rule

from sim.cloud import components
from sim.rest import _assets
from sim.rest._errors import bad_request
from sim.rest._shapes import ARM_HOST, WS, page, properties_of
from sim.rest.workspaces import workspace_record

CONTAINER = f"{WS}/components/<name>"
VERSION = f"{CONTAINER}/versions/<version>"


def version_json(record, stored) -> dict:
    """One component version as ARM returns it."""
    spec = stored.spec
    props = {"componentSpec": spec["componentSpec"], "description": spec.get("description"),
             "tags": spec.get("tags") or {}, "properties": {}, "isAnonymous": spec.get("isAnonymous", False),
             "isArchived": stored.archived, "provisioningState": "Succeeded"}
    return _assets.envelope(_assets.version_id(record, "components", stored.name, stored.version),
                            "workspaces/components/versions", props, stored.created_time, stored.modified_time)


def list_containers(request, sub, rg, ws):
    """List components (one entry per name)."""
    record = workspace_record(sub, rg, ws)
    return page([_assets.envelope(_assets.container_id(record, "components", b.name), "workspaces/components",
                                  _assets.container_properties(b), b.created_time, b.modified_time)
                 for b in components.containers(record, _assets.list_view(request))])


def get_container(request, sub, rg, ws, name):
    """Get a component by name (its latest and next versions)."""
    record = workspace_record(sub, rg, ws)
    box = components.container(record, name)
    return _assets.envelope(_assets.container_id(record, "components", name), "workspaces/components",
                            _assets.container_properties(box), box.created_time, box.modified_time)


def list_versions(request, sub, rg, ws, name):
    """List a component's versions, newest first."""
    record = workspace_record(sub, rg, ws)
    found = components.versions(record, name, _assets.list_view(request))
    return page([version_json(record, v) for v in _assets.top(request, found)])


def get_version(request, sub, rg, ws, name, version):
    """Get one component version (404 when it does not exist)."""
    record = workspace_record(sub, rg, ws)
    return version_json(record, components.get(record, name, version))


def put_version(request, sub, rg, ws, name, version):
    """Register a component version (its spec cannot change afterwards; description and tags can)."""
    record = workspace_record(sub, rg, ws)
    props = properties_of(request)
    spec = props.get("componentSpec")
    if not isinstance(spec, dict):
        raise bad_request("A component version needs properties.componentSpec (an object).")
    stored, created = components.create_or_update(record, name, version, spec, description=props.get("description"),
                                                  tags=props.get("tags"),
                                                  is_anonymous=bool(props.get("isAnonymous")))
    return (201 if created else 200), version_json(record, stored)


ROUTES = [
    Rule(f"{WS}/components", host=ARM_HOST, endpoint=list_containers, methods=["GET"]),
    Rule(CONTAINER, host=ARM_HOST, endpoint=get_container, methods=["GET"]),
    Rule(f"{CONTAINER}/versions", host=ARM_HOST, endpoint=list_versions, methods=["GET"]),
    Rule(VERSION, host=ARM_HOST, endpoint=get_version, methods=["GET"]),
    Rule(VERSION, host=ARM_HOST, endpoint=put_version, methods=["PUT"]),
]
