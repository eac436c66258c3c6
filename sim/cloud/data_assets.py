"""Data assets (SDK v2's `Data`): named, versioned references to a file, a folder or an MLTable.

A data asset is a URI and a type, not a copy: `uri_file` (one file), `uri_folder` (a folder), `mltable` (a folder
holding an `MLTable` file that says how to read it as a table). Local files given to the SDK are uploaded to the
default datastore (`LocalUpload/<hash>/...`) before the version is created, so the stored URI always points into
a datastore (`azureml://...datastores/<d>/paths/<p>`) or at a storage URL; the URI is kept as the client gave it.
Versions follow `sim.cloud.assets` (immutable URI, latest = most recently created, archive and restore).

These are not SDK v1 datasets (`sim.cloud.datasets`): Azure keeps the two apart too, and SDK v1's
`Dataset.get_by_name` falls back to a data asset only when no dataset has the name (a uri_file or uri_folder
reads as a FileDataset, an mltable as a TabularDataset): see :func:`as_v1_definition`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sim import messages
from sim.cloud import assets
from sim.cloud.errors import DATASET, UserError

KIND = "data"
WHAT = "Data asset"
URI_FILE, URI_FOLDER, MLTABLE = "uri_file", "uri_folder", "mltable"
TYPES = (URI_FILE, URI_FOLDER, MLTABLE)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,254}$")


@dataclass(frozen=True)
class DataAsset:
    """One version of a data asset."""

    name: str
    version: str
    data_type: str
    path: str
    description: str | None = None
    tags: dict = field(default_factory=dict)
    properties: dict = field(default_factory=dict)
    is_anonymous: bool = False
    referenced_uris: tuple = ()
    archived: bool = False
    created_time: str = ""
    modified_time: str = ""


def _asset(version: assets.AssetVersion) -> DataAsset:
    spec = version.spec
    return DataAsset(name=version.name, version=version.version, data_type=spec["data_type"], path=spec["path"],
                     description=spec.get("description"), tags=spec.get("tags") or {},
                     properties=spec.get("properties") or {}, is_anonymous=bool(spec.get("is_anonymous")),
                     referenced_uris=tuple(spec.get("referenced_uris") or ()), archived=version.archived,
                     created_time=version.created_time, modified_time=version.modified_time)


def _validate(name: str, version: str, data_type: str, path: str | None) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise UserError(DATASET, messages.DATA_ASSET_BAD_NAME.format(name=name))
    if not version or "/" in str(version) or len(str(version)) > 255:
        raise UserError(DATASET, messages.DATA_ASSET_BAD_VERSION.format(version=version))
    if data_type not in TYPES:
        raise UserError(DATASET, messages.DATA_ASSET_BAD_TYPE.format(kind=data_type))
    if not path:
        raise UserError(DATASET, messages.DATA_ASSET_NO_PATH)


def create_or_update(record, name: str, version: str, *, data_type: str, path: str, description: str | None = None,
                     tags: dict | None = None, properties: dict | None = None, is_anonymous: bool = False,
                     referenced_uris: list | None = None) -> tuple[DataAsset, bool]:
    """Create a version, or change the description, tags or properties of an existing one.

    Returns:
        (the version, True when it was created).

    Raises:
        UserError: bad name, version, type or path; a changed path or type of an existing version.
    """
    _validate(name, version, data_type, path)
    spec = {"data_type": data_type, "path": path, "description": description, "tags": tags or {},
            "properties": properties or {}, "is_anonymous": bool(is_anonymous),
            "referenced_uris": list(referenced_uris or [])}
    stored, created = assets.put_version(record, KIND, name, str(version), spec, family=DATASET,
                                         immutable=("data_type", "path"))
    return _asset(stored), created


def get(record, name: str, version: str) -> DataAsset:
    """One version (NotFound when missing)."""
    return _asset(assets.get_version(record, KIND, name, str(version), family=DATASET, what=WHAT))


def latest(record, name: str) -> DataAsset:
    """The most recently created active version (NotFound when none)."""
    return _asset(assets.latest_version(record, KIND, name, family=DATASET, what=WHAT))


def versions(record, name: str, view: str = assets.ACTIVE_ONLY) -> list[DataAsset]:
    """The versions of one asset, newest first."""
    return [_asset(v) for v in assets.list_versions(record, KIND, name, view)]


def containers(record, view: str = assets.ACTIVE_ONLY) -> list[assets.AssetContainer]:
    """Every data asset name with its latest version, by name."""
    return assets.list_containers(record, KIND, view)


def container(record, name: str) -> assets.AssetContainer:
    """One data asset name (NotFound when it has no version)."""
    return assets.get_container(record, KIND, name, family=DATASET, what=WHAT)


def update_container(record, name: str, *, description: str | None = None,
                     tags: dict | None = None) -> assets.AssetContainer:
    """Change a data asset name's description and/or tags (None keeps the current value)."""
    return assets.update_container(record, KIND, name, description=description, tags=tags, family=DATASET, what=WHAT)


def container_type(record, name: str) -> str | None:
    """The type of a data asset name (its latest version's, or its newest version's when all are archived)."""
    found = assets.list_versions(record, KIND, name, assets.ALL)
    return found[0].spec["data_type"] if found else None


def set_archived(record, name: str, version: str | None, archived: bool) -> None:
    """Archive (or restore) one version, or the whole asset when `version` is None."""
    if version is None:
        assets.set_container_archived(record, KIND, name, archived, family=DATASET, what=WHAT)
    else:
        assets.set_version_archived(record, KIND, name, str(version), archived, family=DATASET, what=WHAT)


def list_latest(record) -> list[DataAsset]:
    """The latest active version of every active data asset, by name (for read views such as the Studio's)."""
    found = []
    for box in containers(record):
        if box.latest_version is not None:
            found.append(get(record, box.name, box.latest_version))
    return found


# ------------------------------------------------------------------------------------- the v1 face

def as_v1_definition(record, asset: DataAsset) -> dict:
    """The SDK v1 dataset definition (see `sim.cloud.datasets`) a data asset reads as.

    SDK v1's `Dataset.get_by_name` falls back to a data asset of that name: a uri_file or uri_folder becomes a
    FileDataset over its path, an mltable a TabularDataset reading what its MLTable file says (a FileDataset when
    the file has no read_* transformation).

    Raises:
        UserError: the path is not in a datastore, or the MLTable file is missing or invalid.
    """
    from sim.cloud import data_uris, mltables

    where = data_uris.datastore_path(record, asset.path)
    if asset.data_type != MLTABLE:
        return {"type": "file", "sources": [{"datastore": where.datastore, "path": where.path}], "steps": []}
    spec = mltables.read_spec(where.local_path)
    sources = [_v1_source(record, where, entry) for entry in spec.get("paths") or []]
    if not any(next(iter(_named(s))) in mltables.READERS for s in spec.get("transformations") or []):
        return {"type": "file", "sources": sources, "steps": []}
    reader, steps = mltables.reader_and_steps(spec)
    return {"type": "tabular", "sources": sources, "reader": reader, "steps": steps}


def _named(step) -> dict:
    return {step: None} if isinstance(step, str) else step if isinstance(step, dict) and step else {"": None}


def _v1_source(record, where, entry: dict) -> dict:
    """A datastore source for one `paths` entry of an MLTable file (relative to the MLTable's folder)."""
    import posixpath

    from sim.cloud import data_uris, datastores

    target = next(entry[k] for k in ("file", "folder", "pattern") if k in entry)
    if "://" in target:
        found = data_uris.datastore_path(record, target)
        return {"datastore": found.datastore, "path": found.path}
    joined = posixpath.normpath(posixpath.join(datastores.clean_relative(where.path), target))
    return {"datastore": where.datastore, "path": joined}
