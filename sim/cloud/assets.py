"""Versioned assets of a workspace (SDK v2's data and code assets): containers and their versions.

Azure ML keeps a *container* per asset name (description, tags, archived, latest and next version) and the
*versions* under it. A version's settings (its `spec`: the data URI, the code URI, ...) are chosen by the
asset kind's own module (`sim.cloud.data_assets`, `sim.cloud.codes`); this module keeps them and applies what
every kind shares:

- a version is immutable once created, except for description, tags, properties and archiving; changing the
  kind's `immutable` fields answers 400 "Asset paths cannot be updated." as Azure does;
- *latest* is the most recently created version that is not archived (not the highest number); the *next*
  version is one more than the highest integer version;
- archiving a container hides it and every version from active listings; a version can be archived alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa

from sim import messages
from sim.cloud import datastores, store
from sim.cloud.errors import NotFound, UserError

_metadata = sa.MetaData()
_containers = sa.Table(
    "asset_containers",
    _metadata,
    sa.Column("kind", sa.String(40), primary_key=True),
    sa.Column("name", sa.String(255), primary_key=True),
    sa.Column("description", sa.Text),
    sa.Column("tags", sa.Text, nullable=False),
    sa.Column("archived", sa.Boolean, nullable=False, default=False),
    sa.Column("created_time", sa.String(40), nullable=False),
    sa.Column("modified_time", sa.String(40), nullable=False),
)
_versions = sa.Table(
    "asset_versions",
    _metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),  # creation order: what 'latest' means
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("version", sa.String(255), nullable=False),
    sa.Column("spec", sa.Text, nullable=False),  # JSON: the kind's settings
    sa.Column("archived", sa.Boolean, nullable=False, default=False),
    sa.Column("created_time", sa.String(40), nullable=False),
    sa.Column("modified_time", sa.String(40), nullable=False),
    sa.UniqueConstraint("kind", "name", "version"),
)

ACTIVE_ONLY, ARCHIVED_ONLY, ALL = "ActiveOnly", "ArchivedOnly", "All"
MUTABLE = ("description", "tags", "properties")  # what an existing version may change


@dataclass(frozen=True)
class AssetVersion:
    """One version of an asset."""

    kind: str
    name: str
    version: str
    spec: dict = field(default_factory=dict)
    archived: bool = False
    created_time: str = ""
    modified_time: str = ""


@dataclass(frozen=True)
class AssetContainer:
    """An asset name, with what its versions tell about it."""

    kind: str
    name: str
    description: str | None = None
    tags: dict = field(default_factory=dict)
    archived: bool = False
    created_time: str = ""
    modified_time: str = ""
    latest_version: str | None = None
    next_version: str = "1"


def _engine(record):
    engine = store.engine(record)
    datastores.ensure_tables(_metadata, engine)
    return engine


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _version_of(row) -> AssetVersion:
    return AssetVersion(kind=row.kind, name=row.name, version=row.version, spec=json.loads(row.spec),
                        archived=bool(row.archived), created_time=row.created_time, modified_time=row.modified_time)


def _this_version(kind: str, name: str, version: str):
    return (_versions.c.kind == kind, _versions.c.name == name, _versions.c.version == str(version))


# ------------------------------------------------------------------------------------------ versions

def put_version(record, kind: str, name: str, version: str, spec: dict, *, family: str,
                immutable: tuple[str, ...] = ()) -> tuple[AssetVersion, bool]:
    """Create a version, or update the mutable settings of an existing one.

    Returns:
        (the stored version, True when it was created).

    Raises:
        UserError: an existing version's `immutable` settings differ ("Asset paths cannot be updated.").
    """
    now, version = _now(), str(version)
    with _engine(record).begin() as conn:
        _ensure_container(conn, kind, name, spec, now)
        row = conn.execute(sa.select(_versions).where(*_this_version(kind, name, version))).first()
        if row is None:
            conn.execute(sa.insert(_versions).values(kind=kind, name=name, version=version, spec=json.dumps(spec),
                                                     archived=False, created_time=now, modified_time=now))
        else:
            old = json.loads(row.spec)
            if any(old.get(key) != spec.get(key) for key in immutable):
                raise UserError(family, messages.ASSET_PATH_UNCHANGEABLE)
            merged = {**old, **{k: spec[k] for k in MUTABLE if k in spec}}
            conn.execute(sa.update(_versions).where(*_this_version(kind, name, version))
                         .values(spec=json.dumps(merged), modified_time=now))
        stored = conn.execute(sa.select(_versions).where(*_this_version(kind, name, version))).first()
    return _version_of(stored), row is None


def _ensure_container(conn, kind, name, spec, now) -> None:
    exists = conn.execute(sa.select(_containers.c.name).where(_containers.c.kind == kind,
                                                              _containers.c.name == name)).first()
    if exists is None:
        conn.execute(sa.insert(_containers).values(kind=kind, name=name, description=spec.get("description"),
                                                   tags=json.dumps(spec.get("tags") or {}), archived=False,
                                                   created_time=now, modified_time=now))


def get_version(record, kind: str, name: str, version: str, *, family: str, what: str) -> AssetVersion:
    """One version (archived ones too, as Azure answers them by version).

    Raises:
        NotFound: no such name or version.
    """
    with _engine(record).connect() as conn:
        row = conn.execute(sa.select(_versions).where(*_this_version(kind, name, version))).first()
    if row is None:
        raise NotFound(family, messages.ASSET_VERSION_NOT_FOUND.format(what=what, name=name, version=version))
    return _version_of(row)


def latest_version(record, kind: str, name: str, *, family: str, what: str) -> AssetVersion:
    """The most recently created version that is not archived.

    Raises:
        NotFound: the name has no active version.
    """
    with _engine(record).connect() as conn:
        row = conn.execute(sa.select(_versions).where(_versions.c.kind == kind, _versions.c.name == name,
                                                      _versions.c.archived.is_(False))
                           .order_by(_versions.c.seq.desc())).first()
    if row is None:
        raise NotFound(family, messages.ASSET_NOT_FOUND.format(what=what, name=name))
    return _version_of(row)


def list_versions(record, kind: str, name: str | None = None, view: str = ACTIVE_ONLY) -> list[AssetVersion]:
    """Versions of one name (or of every name), newest first, filtered by the list view type."""
    query = sa.select(_versions).where(_versions.c.kind == kind)
    if name is not None:
        query = query.where(_versions.c.name == name)
    with _engine(record).connect() as conn:
        rows = conn.execute(query.order_by(_versions.c.seq.desc())).all()
        hidden = _archived_names(conn, kind)
    found = [_version_of(r) for r in rows]
    return [v for v in found if _in_view(v.archived or v.name in hidden, view)]


def _archived_names(conn, kind: str) -> set[str]:
    return set(conn.execute(sa.select(_containers.c.name).where(_containers.c.kind == kind,
                                                                _containers.c.archived.is_(True))).scalars())


def _in_view(archived: bool, view: str) -> bool:
    return view == ALL or (archived if view == ARCHIVED_ONLY else not archived)


def set_version_archived(record, kind: str, name: str, version: str, archived: bool, *, family: str,
                         what: str) -> AssetVersion:
    """Archive or restore one version."""
    get_version(record, kind, name, version, family=family, what=what)
    with _engine(record).begin() as conn:
        conn.execute(sa.update(_versions).where(*_this_version(kind, name, version))
                     .values(archived=archived, modified_time=_now()))
    return get_version(record, kind, name, version, family=family, what=what)


def delete_version(record, kind: str, name: str, version: str) -> bool:
    """Remove a version for good (True when there was one)."""
    with _engine(record).begin() as conn:
        done = conn.execute(sa.delete(_versions).where(*_this_version(kind, name, version)))
    return done.rowcount > 0


# ---------------------------------------------------------------------------------------- containers

def get_container(record, kind: str, name: str, *, family: str, what: str) -> AssetContainer:
    """A container with its latest and next versions.

    Raises:
        NotFound: no version was ever created under that name.
    """
    with _engine(record).connect() as conn:
        row = conn.execute(sa.select(_containers).where(_containers.c.kind == kind,
                                                        _containers.c.name == name)).first()
        if row is None:
            raise NotFound(family, messages.ASSET_NOT_FOUND.format(what=what, name=name))
        return _container_of(conn, row)


def _container_of(conn, row) -> AssetContainer:
    versions = conn.execute(sa.select(_versions.c.version, _versions.c.archived).where(
        _versions.c.kind == row.kind, _versions.c.name == row.name).order_by(_versions.c.seq.desc())).all()
    active = [v.version for v in versions if not v.archived]
    numbers = [int(v.version) for v in versions if v.version.isdigit()]
    return AssetContainer(kind=row.kind, name=row.name, description=row.description, tags=json.loads(row.tags),
                          archived=bool(row.archived), created_time=row.created_time,
                          modified_time=row.modified_time, latest_version=active[0] if active else None,
                          next_version=str(max(numbers, default=0) + 1))


def list_containers(record, kind: str, view: str = ACTIVE_ONLY) -> list[AssetContainer]:
    """Every container of a kind, by name."""
    with _engine(record).connect() as conn:
        rows = conn.execute(sa.select(_containers).where(_containers.c.kind == kind)
                            .order_by(_containers.c.name)).all()
        return [_container_of(conn, r) for r in rows if _in_view(bool(r.archived), view)]


def set_container_archived(record, kind: str, name: str, archived: bool, *, family: str,
                           what: str) -> AssetContainer:
    """Archive or restore a whole asset (every version with it)."""
    get_container(record, kind, name, family=family, what=what)
    with _engine(record).begin() as conn:
        conn.execute(sa.update(_containers).where(_containers.c.kind == kind, _containers.c.name == name)
                     .values(archived=archived, modified_time=_now()))
    return get_container(record, kind, name, family=family, what=what)


def update_container(record, kind: str, name: str, *, description=None, tags=None, family: str,
                     what: str) -> AssetContainer:
    """Change a container's description and/or tags (None keeps the current value)."""
    get_container(record, kind, name, family=family, what=what)
    values = {"modified_time": _now()}
    if description is not None:
        values["description"] = description
    if tags is not None:
        values["tags"] = json.dumps(tags)
    with _engine(record).begin() as conn:
        conn.execute(sa.update(_containers).where(_containers.c.kind == kind, _containers.c.name == name)
                     .values(**values))
    return get_container(record, kind, name, family=family, what=what)
