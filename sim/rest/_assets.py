"""What the versioned-asset resources (data, codes) share: ids, envelopes, list parameters."""

from __future__ import annotations

from sim.cloud import assets
from sim.rest._shapes import resource, system_data

_VIEWS = {"activeonly": assets.ACTIVE_ONLY, "archivedonly": assets.ARCHIVED_ONLY, "all": assets.ALL}


def container_id(record, plural: str, name: str) -> str:
    """The ARM id of an asset container, e.g. `.../workspaces/<ws>/data/<name>`."""
    return f"{record.arm_id}/{plural}/{name}"


def version_id(record, plural: str, name: str, version: str) -> str:
    """The ARM id of an asset version, e.g. `.../workspaces/<ws>/data/<name>/versions/<v>`."""
    return f"{container_id(record, plural, name)}/versions/{version}"


def envelope(arm_id: str, resource_type: str, properties: dict, created: str, modified: str) -> dict:
    """An ARM envelope whose systemData carries the creation and last modification times."""
    return resource(arm_id, resource_type, properties, systemData=system_data(_iso(created), _iso(modified)))


def _iso(moment: str) -> str | None:
    return moment.replace("+00:00", "Z") if moment else None


def container_properties(box: assets.AssetContainer) -> dict:
    """The properties every asset container has."""
    return {"description": box.description, "tags": box.tags, "properties": {}, "isArchived": box.archived,
            "latestVersion": box.latest_version, "nextVersion": box.next_version}


def list_view(request) -> str:
    """The `listViewType` query parameter (ActiveOnly by default)."""
    return _VIEWS.get((request.args.get("listViewType") or "ActiveOnly").lower(), assets.ACTIVE_ONLY)


def top(request, items: list) -> list:
    """Apply `$skip` and `$top`; the listings are one page, newest first."""
    skip = int(request.args.get("$skip") or 0)
    count = request.args.get("$top")
    items = items[skip:]
    return items[:int(count)] if count else items
