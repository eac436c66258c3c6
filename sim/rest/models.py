"""Models (containers and versions) in Azure ML's ARM shapes, over `sim.cloud.models`.

Routes: list models, get/put a model (its container: archive and restore), list a model's versions (active,
archived or all; `$orderBy=createdtime desc&$top=1` is how the SDK asks for the latest), get/put/delete a version.
A PUT names its version: `ml_client.models.create_or_update` reads the container's `nextVersion` first, and the
registry hands out versions in sequence (see `sim.cloud.models.assets`). The version's `modelUri` is where its
files are: a datastore path the SDK uploaded a local folder to, a job's output
(`azureml://jobs/<job>/outputs/artifacts/paths/model/`) or an MLflow `runs:/` URI.

One registry serves both SDKs and MLflow: a version made here is v1's `Model(ws, name)` and an MLflow model
version, and the other way round.
"""

from __future__ import annotations

from werkzeug.routing import Rule

from sim.cloud import services
from sim.cloud.models import assets
from sim.rest._errors import bad_request
from sim.rest._shapes import ARM_HOST, WS, page, properties_of, resource, system_data
from sim.rest.workspaces import workspace_record

MODELS = f"{WS}/models"
MODEL = f"{MODELS}/<name>"
VERSIONS = f"{MODEL}/versions"
VERSION = f"{VERSIONS}/<version>"
LIST_VIEWS = {"activeonly": False, "archivedonly": True, "all": None}


# ---- shapes ------------------------------------------------------------------------------------------

def model_arm_id(record, name: str, version=None) -> str:
    """The ARM id of a model (or of one of its versions)."""
    base = f"{record.arm_id}/models/{name}"
    return f"{base}/versions/{version}" if version is not None else base


def _iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def version_json(record, asset: assets.ModelAsset) -> dict:
    """A model version as ARM returns it (2023-08-01-preview field names)."""
    version = asset.version
    props = {
        "description": version.description, "tags": version.tags, "properties": version.properties,
        "isArchived": asset.archived, "isAnonymous": asset.anonymous,
        "flavors": {name: {"data": data} for name, data in asset.flavors.items()},
        "jobName": asset.job_name, "modelType": asset.model_type, "modelUri": asset.model_uri,
        "stage": asset.stage, "provisioningState": "Succeeded",
    }
    body = resource(model_arm_id(record, version.name, version.version), "workspaces/models/versions", props)
    body["systemData"] = system_data(_iso(version.created_time))
    return body


def container_json(record, container: assets.ModelContainer) -> dict:
    """A model (its container) as ARM returns it."""
    props = {"description": container.description, "tags": {}, "properties": {}, "isArchived": container.archived,
             "latestVersion": str(container.latest_version), "nextVersion": str(container.next_version),
             "provisioningState": "Succeeded"}
    body = resource(model_arm_id(record, container.name), "workspaces/models", props)
    body["systemData"] = system_data(_iso(container.created_time), _iso(container.modified_time))
    return body


def _list_view(request) -> bool | None:
    view = (request.args.get("listViewType") or "ActiveOnly").lower()
    if view not in LIST_VIEWS:
        raise bad_request(f"listViewType must be ActiveOnly, ArchivedOnly or All, not '{view}'.")
    return LIST_VIEWS[view]


def _ordered(request, items: list[assets.ModelAsset]) -> list[assets.ModelAsset]:
    order = (request.args.get("$orderBy") or "").lower().split()
    if order[:1] == ["createdtime"]:
        newest_first = order[1:] != ["asc"]
        items = sorted(items, key=lambda a: (a.version.created_time, a.version.version), reverse=newest_first)
    top = request.args.get("$top")
    return items[:int(top)] if top and top.isdigit() else items


# ---- handlers ----------------------------------------------------------------------------------------

def list_models(request, sub, rg, ws):
    """GET .../models: every model (container) of the workspace."""
    record = workspace_record(sub, rg, ws)
    return page([container_json(record, c) for c in assets.list_containers(record, _list_view(request))])


def get_model(request, sub, rg, ws, name):
    """GET .../models/<name>: a model's container (latestVersion, nextVersion); 404 when it has no version."""
    record = workspace_record(sub, rg, ws)
    return container_json(record, assets.get_container(record, name))


def put_model(request, sub, rg, ws, name):
    """PUT .../models/<name>: archive or restore a whole model (the only container change the SDK makes)."""
    record = workspace_record(sub, rg, ws)
    archived = bool(properties_of(request).get("isArchived"))
    return container_json(record, assets.set_container_archived(record, name, archived))


def list_versions(request, sub, rg, ws, name):
    """GET .../models/<name>/versions: the versions, newest first (an unknown name lists none)."""
    record = workspace_record(sub, rg, ws)
    found = assets.list_versions(record, name, _list_view(request), stage=request.args.get("stage"))
    return page([version_json(record, a) for a in _ordered(request, found)])


def get_version(request, sub, rg, ws, name, version):
    """GET .../models/<name>/versions/<version> (404 when missing)."""
    record = workspace_record(sub, rg, ws)
    return version_json(record, assets.get(record, name, version))


def _model_request(props: dict) -> assets.ModelRequest:
    for key in ("tags", "properties"):
        if props.get(key) is not None and not isinstance(props[key], dict):
            raise bad_request(f"'properties.{key}' must be a JSON object.")
    return assets.ModelRequest(
        model_uri=props.get("modelUri") or "", model_type=props.get("modelType") or assets.CUSTOM_MODEL,
        description=props.get("description"), tags=props.get("tags") or {},
        properties=props.get("properties") or {}, stage=props.get("stage"),
        archived=bool(props.get("isArchived")), anonymous=bool(props.get("isAnonymous")))


def put_version(request, sub, rg, ws, name, version):
    """PUT .../models/<name>/versions/<version>: register the files `modelUri` names (201), or update (200)."""
    record = workspace_record(sub, rg, ws)
    asset, created = assets.create_or_update(record, name, version, _model_request(properties_of(request)))
    return (201 if created else 200), version_json(record, asset)


def delete_version(request, sub, rg, ws, name, version):
    """DELETE .../models/<name>/versions/<version>: refused (409) while a deployment or web service uses it."""
    record = workspace_record(sub, rg, ws)
    if assets.find(record, name, version) is None:
        return 204, None
    model_id = f"{name}:{version}"
    assets.delete_version(record, name, version, in_use_by=_users_of(record, model_id))
    return 200, None


def _users_of(record, model_id: str) -> list[str]:
    from sim.cloud import endpoints

    return services.services_using(record, model_id) + endpoints.deployments_using(record, model_id)


ROUTES = [
    Rule(MODELS, host=ARM_HOST, endpoint=list_models, methods=["GET"]),
    Rule(MODEL, host=ARM_HOST, endpoint=get_model, methods=["GET"]),
    Rule(MODEL, host=ARM_HOST, endpoint=put_model, methods=["PUT"]),
    Rule(VERSIONS, host=ARM_HOST, endpoint=list_versions, methods=["GET"]),
    Rule(VERSION, host=ARM_HOST, endpoint=get_version, methods=["GET"]),
    Rule(VERSION, host=ARM_HOST, endpoint=put_version, methods=["PUT"]),
    Rule(VERSION, host=ARM_HOST, endpoint=delete_version, methods=["DELETE"]),
]
