"""Pipeline endpoints (SDK v1): one name and one REST address in front of published pipelines kept as versions.

The first pipeline published to an endpoint is version "0" and its default; each one added is the next version
("1", "2", ...), made the default when added with `make_default`. A run submitted to the endpoint (from Python or
by a POST to its address) runs the default version unless it names another. Endpoint names are unique in a
workspace. Records are files under the workspace folder (`pipeline_endpoints/<id>.json`, see `_store`).
"""

from __future__ import annotations

import time
import uuid

from sim import messages
from sim.cloud.errors import JOB, Conflict, NotFound, UserError
from sim.cloud.pipelines import _store, published

KIND = "pipeline_endpoints"


def publish_endpoint(record, name: str, description: str | None, pipeline_id: str) -> dict:
    """A new endpoint whose version "0" (its default) is the published pipeline `pipeline_id`.

    Raises:
        Conflict: an endpoint of that name exists. NotFound: no such published pipeline.
    """
    published.get(record, pipeline_id)
    if _by_name(record, name) is not None:
        raise Conflict(JOB, messages.PIPELINE_ENDPOINT_EXISTS.format(name=name))
    item = {"id": str(uuid.uuid4()), "name": name, "description": description, "status": published.ACTIVE,
            "default_version": "0", "versions": [{"version": "0", "pipeline_id": pipeline_id}],
            "created": time.time()}
    _store.write(record, KIND, item)
    return item


def _by_name(record, name: str) -> dict | None:
    return next((e for e in _store.all_items(record, KIND) if e["name"] == name), None)


def get_endpoint(record, endpoint_id: str | None = None, name: str | None = None) -> dict:
    """An endpoint by id or by name.

    Raises:
        NotFound: no endpoint has that id or name.
    """
    item = _store.read(record, KIND, endpoint_id) if endpoint_id else _by_name(record, name or "")
    if item is None:
        raise NotFound(JOB, messages.PIPELINE_ENDPOINT_NOT_FOUND.format(key=endpoint_id or name))
    return item


def list_endpoints(record, active_only: bool = True) -> list[dict]:
    """The workspace's endpoints, newest first (only the active ones by default)."""
    return [e for e in _store.all_items(record, KIND) if e["status"] == published.ACTIVE or not active_only]


def add_version(record, endpoint_id: str, pipeline_id: str, make_default: bool = False) -> dict:
    """Add a published pipeline as the endpoint's next version (its default when `make_default`); a pipeline
    already among the versions is not added twice."""
    published.get(record, pipeline_id)
    item = get_endpoint(record, endpoint_id)
    existing = next((v for v in item["versions"] if v["pipeline_id"] == pipeline_id), None)
    if existing is None:
        existing = {"version": str(len(item["versions"])), "pipeline_id": pipeline_id}
        item["versions"].append(existing)
    if make_default:
        item["default_version"] = existing["version"]
    _store.write(record, KIND, item)
    return item


def set_default_version(record, endpoint_id: str, version) -> dict:
    """Make version `version` the endpoint's default.

    Raises:
        UserError: the endpoint has no such version.
    """
    item = get_endpoint(record, endpoint_id)
    pipeline_of(item, version)
    item["default_version"] = str(version)
    _store.write(record, KIND, item)
    return item


def change(record, endpoint_id: str, name: str | None = None, status: str | None = None) -> dict:
    """Change an endpoint's `name` or `status` (Active, Disabled).

    Raises:
        Conflict: another endpoint has that name. UserError: another status.
    """
    item = get_endpoint(record, endpoint_id)
    if status is not None and status not in (published.ACTIVE, published.DISABLED):
        raise UserError(JOB, messages.PIPELINE_STATUS_INVALID.format(status=status))
    if name and name != item["name"]:
        if _by_name(record, name) is not None:
            raise Conflict(JOB, messages.PIPELINE_ENDPOINT_EXISTS.format(name=name))
    item.update({k: v for k, v in {"name": name, "status": status}.items() if v is not None})
    _store.write(record, KIND, item)
    return item


def pipeline_of(item: dict, version=None) -> str:
    """The published pipeline id of version `version` (the default when None).

    Raises:
        UserError: the endpoint has no such version.
    """
    wanted = str(item["default_version"] if version is None else version)
    for entry in item["versions"]:
        if entry["version"] == wanted:
            return entry["pipeline_id"]
    raise UserError(JOB, messages.PIPELINE_ENDPOINT_NO_VERSION.format(
        name=item["name"], version=wanted, versions=", ".join(v["version"] for v in item["versions"])))


def version_pipeline(record, endpoint_id: str, version=None) -> str:
    """The published pipeline id of the endpoint's version `version` (the default when None).

    Raises:
        NotFound: no such endpoint. UserError: it has no such version.
    """
    return pipeline_of(get_endpoint(record, endpoint_id), version)


def submit_endpoint(record, endpoint_id: str, experiment: str, parameters: dict | None = None,
                    version=None) -> dict:
    """Start a run of the endpoint's default version (or `version`); returns the pipeline run's record.

    Raises:
        UserError: the endpoint is disabled, has no such version, or the pipeline has no such parameter.
    """
    item = get_endpoint(record, endpoint_id)
    if item["status"] != published.ACTIVE:
        raise UserError(JOB, messages.PIPELINE_ENDPOINT_DISABLED.format(name=item["name"]))
    return published.submit(record, pipeline_of(item, version), experiment, parameters)
