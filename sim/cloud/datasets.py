"""Datasets of a simulated workspace: saved definitions, named registrations with versions, and reading.

A dataset is a *definition*, not a copy of the data: which datastore paths it reads, how (delimited text,
Parquet, or plain files), and a list of transformation steps (take, skip, keep/drop columns, a random
split, a filter).  Definitions are JSON; saving one gives it an id (the same definition always gets the
same id, so saving is idempotent); registering gives it a name and a version.  Data is read from the
datastore folders (:mod:`sim.cloud.datastores`) each time, as Azure ML does lazily.

Not simulated: http(s) URLs as sources (no network), SQL query datasets, JSON-lines files, Spark/Dask.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import posixpath
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from sim import messages
from sim.cloud import access, datastores, store
from sim.cloud.errors import DATASET, VALIDATION_ERROR, Conflict, NotFound, UserError

_REGISTER = "Microsoft.MachineLearningServices/workspaces/datasets/registered/write"
_SAVE = "Microsoft.MachineLearningServices/workspaces/datasets/unregistered/write"
_DELETE = "Microsoft.MachineLearningServices/workspaces/datasets/registered/delete"

TABULAR = "tabular"
FILE = "file"

_metadata = sa.MetaData()
_saved = sa.Table(
    "datasets_saved",
    _metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("definition_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("definition", sa.Text, nullable=False),
    sa.Column("created_time", sa.String(40), nullable=False),
)
_registered = sa.Table(
    "datasets_registered",
    _metadata,
    sa.Column("name", sa.String(255), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("dataset_id", sa.String(36), nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("tags", sa.Text, nullable=False),
    sa.Column("created_time", sa.String(40), nullable=False),
    sa.Column("state", sa.String(20), nullable=False, default="active"),
)


@dataclass(frozen=True)
class DatasetInfo:
    """A saved dataset and, when it is registered, its registration."""

    id: str
    definition: dict
    name: str | None = None
    version: int | None = None
    description: str | None = None
    tags: dict = field(default_factory=dict)
    created_time: str | None = None

    @property
    def dataset_type(self) -> str:
        """``'tabular'`` or ``'file'``."""
        return self.definition["type"]


@dataclass(frozen=True)
class ResolvedFile:
    """A file a dataset reads: where it is on disk and its path as the dataset shows it."""

    local_path: Path
    datastore: str
    path_on_datastore: str
    relative: str  # '/folder/file.csv', relative to the common base of the sources


def _engine(record):
    engine = store.engine(record)
    datastores.ensure_tables(_metadata, engine)
    return engine


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat()


def canonical(definition: dict) -> str:
    """The definition as canonical JSON (sorted keys): equal definitions give equal text."""
    return json.dumps(definition, sort_keys=True, separators=(",", ":"))


# ------------------------------------------------------------------------------------------ saving

def save(record, definition: dict) -> str:
    """Save a definition to the workspace and return its id (the same definition keeps its id)."""
    text = canonical(definition)
    digest = hashlib.sha256(text.encode()).hexdigest()
    engine = _engine(record)
    with engine.connect() as conn:
        found = conn.execute(sa.select(_saved.c.id).where(_saved.c.definition_hash == digest)).scalar()
    if found:
        return found
    access.authorize(record, _SAVE)
    new_id = str(uuid.uuid4())
    try:
        with engine.begin() as conn:
            conn.execute(sa.insert(_saved).values(id=new_id, definition_hash=digest, definition=text,
                                                  created_time=_now()))
    except sa.exc.IntegrityError:  # another process saved the same definition a moment ago
        with engine.connect() as conn:
            return conn.execute(sa.select(_saved.c.id).where(_saved.c.definition_hash == digest)).scalar_one()
    return new_id


def _definition_of(conn, dataset_id: str) -> dict | None:
    text = conn.execute(sa.select(_saved.c.definition).where(_saved.c.id == dataset_id)).scalar()
    return json.loads(text) if text else None


def _info(conn, row) -> DatasetInfo:
    return DatasetInfo(id=row.dataset_id, definition=_definition_of(conn, row.dataset_id), name=row.name,
                       version=row.version, description=row.description, tags=json.loads(row.tags),
                       created_time=row.created_time)


def _latest_row(conn, name: str):
    return conn.execute(sa.select(_registered).where(_registered.c.name == name, _registered.c.state == "active")
                        .order_by(_registered.c.version.desc())).first()


# ------------------------------------------------------------------------------------- registration

def register(record, definition: dict, name: str, description: str | None = None, tags: dict | None = None,
             create_new_version: bool = False) -> DatasetInfo:
    """Register a definition under ``name``.

    The first registration is version 1.  With ``create_new_version`` a changed definition becomes the next
    version and an unchanged one returns the latest version as it is; without it, an existing name is the
    service's conflict error.

    Raises:
        UserError: bad name or tags; Conflict: the name exists and ``create_new_version`` is False.
    """
    if not isinstance(name, str) or not name.strip():
        raise UserError(DATASET, messages.DATASET_BAD_NAME.format(name=name))
    if tags is not None and not isinstance(tags, dict):
        raise UserError(DATASET, messages.DATASET_BAD_TAGS.format(kind=type(tags).__name__))
    access.authorize(record, _REGISTER)
    dataset_id = save(record, definition)
    for _attempt in range(2):  # another process may take the same version number first: try the next one
        try:
            return _register_once(record, dataset_id, name, description, tags, create_new_version)
        except sa.exc.IntegrityError:
            continue
    return _register_once(record, dataset_id, name, description, tags, create_new_version)


def _register_once(record, dataset_id, name, description, tags, create_new_version) -> DatasetInfo:
    with _engine(record).begin() as conn:
        latest = _latest_row(conn, name)
        if latest is not None and not create_new_version:
            raise Conflict(DATASET, messages.DATASET_NAME_CONFLICT.format(name=name))
        if latest is not None and latest.dataset_id == dataset_id:
            return _info(conn, latest)
        version = _max_version(conn, name) + 1  # archived versions keep their numbers
        conn.execute(sa.insert(_registered).values(
            name=name, version=version, dataset_id=dataset_id, description=description,
            tags=json.dumps({str(k): str(v) for k, v in (tags or {}).items()}), created_time=_now(),
            state="active"))
        return _info(conn, _row(conn, name, version))


def _max_version(conn, name: str) -> int:
    return conn.execute(sa.select(sa.func.max(_registered.c.version)).where(_registered.c.name == name)).scalar() or 0


def _row(conn, name, version):
    return conn.execute(sa.select(_registered).where(_registered.c.name == name,
                                                     _registered.c.version == version)).first()


def get_by_name(record, name: str, version="latest") -> DatasetInfo:
    """The registered dataset ``name`` at ``version`` (an int, a numeric string, or 'latest').

    Raises:
        UserError: bad version value; NotFound: no such registration (the SDK's message).
    """
    if version not in ("latest", None):
        try:
            version = int(version)
        except (TypeError, ValueError):
            raise UserError(DATASET, messages.DATASET_BAD_VERSION.format(version=version)) from None
    else:
        version = None
    with _engine(record).connect() as conn:
        row = _latest_row(conn, name) if version is None else _row(conn, name, version)
        if row is None or row.state != "active":
            suffix = "" if version is None else f" (version: {version})"
            raise NotFound(DATASET, messages.DATASET_NOT_FOUND.format(name=name, suffix=suffix))
        return _info(conn, row)


def get_by_id(record, dataset_id: str) -> DatasetInfo:
    """A saved dataset by id, with its (latest) registration when it has one.

    Raises:
        NotFound: no dataset with that id in this workspace.
    """
    with _engine(record).connect() as conn:
        definition = _definition_of(conn, str(dataset_id))
        if definition is None:
            raise NotFound(DATASET, messages.DATASET_ID_NOT_FOUND.format(id=dataset_id))
        row = conn.execute(sa.select(_registered).where(_registered.c.dataset_id == str(dataset_id),
                                                        _registered.c.state == "active")
                           .order_by(_registered.c.version.desc())).first()
        if row is not None:
            return _info(conn, row)
    return DatasetInfo(id=str(dataset_id), definition=definition)


def list_latest(record) -> list[DatasetInfo]:
    """The latest version of every registered dataset, sorted by name."""
    with _engine(record).connect() as conn:
        names = conn.execute(sa.select(_registered.c.name).where(_registered.c.state == "active")
                             .distinct().order_by(_registered.c.name)).scalars().all()
        return [_info(conn, _latest_row(conn, n)) for n in names]


def versions(record, name: str) -> list[DatasetInfo]:
    """Every active version of a registered dataset, oldest first."""
    with _engine(record).connect() as conn:
        rows = conn.execute(sa.select(_registered).where(_registered.c.name == name, _registered.c.state == "active")
                            .order_by(_registered.c.version)).all()
        return [_info(conn, r) for r in rows]


def update(record, name: str, version: int, description=None, tags=None) -> DatasetInfo:
    """Replace the description and/or tags of one registered version (None keeps the current value)."""
    access.authorize(record, _REGISTER)
    values = {}
    if description is not None:
        values["description"] = description
    if tags is not None:
        values["tags"] = json.dumps({str(k): str(v) for k, v in tags.items()})
    with _engine(record).begin() as conn:
        if values:
            conn.execute(sa.update(_registered).where(_registered.c.name == name, _registered.c.version == version)
                         .values(**values))
        return _info(conn, _row(conn, name, version))


def unregister_all_versions(record, name: str) -> int:
    """Archive every version of a registered dataset (the saved definitions stay).  Returns the count."""
    access.authorize(record, _DELETE)
    with _engine(record).begin() as conn:
        done = conn.execute(sa.update(_registered).where(_registered.c.name == name, _registered.c.state == "active")
                            .values(state="archived"))
    return done.rowcount


# ------------------------------------------------------------------------------------ file matching

_GLOB_CHARS = re.compile(r"[*?\[]")


def _glob_regex(pattern: str) -> re.Pattern:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("^" + "".join(out) + "$")


def _match_source(record, source: dict) -> tuple[str, list[str]]:
    """Return (base folder, matching datastore-relative files) for one source."""
    name = source["datastore"]
    path = datastores.clean_relative(source.get("path"))
    every = datastores.list_files(record, name)
    if _GLOB_CHARS.search(path):
        base = posixpath.dirname(path[:_GLOB_CHARS.search(path).start()] + "x")
        rx = _glob_regex(path)
        return base, [f for f in every if rx.match(f)]
    if path in every:
        return posixpath.dirname(path), [path]
    prefix = path.rstrip("/") + "/" if path else ""
    return path.rstrip("/"), [f for f in every if f.startswith(prefix)]


def resolve(record, sources: list) -> list[ResolvedFile]:
    """The files a dataset's sources match, in source order then name order.

    Relative paths are taken from the common base folder of all sources, as FileDataset.to_path shows them.
    """
    matched = []
    for source in sources:
        base, files = _match_source(record, source)
        root = datastores.content_root(record, source["datastore"])
        matched.append((source["datastore"], base, root, files))
    bases = [m[1] for m in matched if m[3]]
    common = posixpath.commonpath(["/" + b for b in bases]) if bases else "/"
    out = []
    for store_name, _base, root, files in matched:
        for f in files:
            rel = "/" + posixpath.relpath("/" + f, common) if common != "/" else "/" + f
            out.append(ResolvedFile(root / f, store_name, f, rel))
    return out


def describe_sources(sources: list) -> str:
    """Sources as the SDK prints them: ('datastore', 'path'), comma separated."""
    return ", ".join(f"('{s['datastore']}', '{s.get('path') or ''}')" for s in sources)


def require_files(record, sources: list, inferring: bool = False) -> list[ResolvedFile]:
    """Like :func:`resolve` but raise a validation error (400 ValidationError) when nothing matches.

    Args:
        record: the workspace record.
        sources: the definition's sources.
        inferring: the check comes from column-type inference (validate=False), which the SDK words
            differently.

    Raises:
        UserError (code ValidationError): no file matches any source.
    """
    files = resolve(record, sources)
    if not files:
        template = messages.DATASET_NO_FILES_INFER if inferring else messages.DATASET_NO_FILES
        raise UserError(DATASET, template.format(sources=describe_sources(sources)), code=VALIDATION_ERROR)
    return files


def read(record, name: str, version="latest"):
    """The data of a registered dataset, for graders and read views.

    Returns:
        A pandas DataFrame for a tabular dataset; the local paths of the files for a file dataset.
    """
    from sim.cloud import data_engine

    info = get_by_name(record, name, version)
    if info.dataset_type == TABULAR:
        return data_engine.frame_of(record, info.definition)
    return [f.local_path for f in data_engine.files_of(record, info.definition)]
