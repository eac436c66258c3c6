"""Environments as versioned assets (the v2 API's view): containers, versions, labels, archiving.

The catalogue is the one SDK v1 registers into (the `environments` table of this package) plus the curated
environments, so `Environment.get` (v1) and `ml_client.environments.get` (v2) read the same thing. The v2 API
adds what v1 has no words for: versions chosen by the caller (any text: anonymous environments are versioned
by a hash; integers share v1's table, other texts live in `named_versions`), archiving, and descriptive fields
(description, tags, properties, OS type, build context), kept in the definition beside v1's own keys.

A version record is a dict: `name`, `version` (text), `definition` (v1's definition dict), `created` (POSIX
time), `archived`, `curated`.
"""

from __future__ import annotations

import re
import time

from sqlalchemy import JSON, Boolean, Column, Float, MetaData, String, Table, select, update

from sim import messages
from sim.cloud import store
from sim.cloud.environments import RESERVED_PREFIX, WRITE_ACTION, curated, environments
from sim.cloud.environments import _engine as _v1_engine
from sim.cloud.errors import ENVIRONMENT, Conflict, NotFound, UserError

metadata = MetaData()
named_versions = Table(
    "environment_named_versions", metadata,
    Column("name", String, primary_key=True),
    Column("version", String, primary_key=True),
    Column("definition", JSON, nullable=False),
    Column("created", Float, nullable=False),
)
archive_flags = Table(  # version '' stands for the whole environment (its container)
    "environment_archive_flags", metadata,
    Column("name", String, primary_key=True),
    Column("version", String, primary_key=True),
    Column("archived", Boolean, nullable=False),
)

ACTIVE_ONLY, ARCHIVED_ONLY, ALL = "ActiveOnly", "ArchivedOnly", "All"
V2_FIELDS = ("description", "tags", "properties", "osType", "build", "inferenceConfig", "isAnonymous")
CURATED_EPOCH = 1622505600.0  # 2021-06-01: curated version histories are dated from here, two weeks apart
_INTEGER = re.compile(r"^[1-9]\d{0,8}$")


def _engine(record):
    eng = _v1_engine(record)
    store.ensure(metadata, eng)
    return eng


# ---- definitions ---------------------------------------------------------------------------------------

def definition_from_spec(name: str, version: str, spec: dict) -> dict:
    """A v1-shaped definition for a v2 environment version.

    Args:
        spec: `image`, `conda` (the conda file as a dict, or None), and the v2 fields `description`, `tags`,
            `properties`, `osType`, `build`, `inferenceConfig`, `isAnonymous`.
    """
    conda = spec.get("conda")
    definition = {
        "name": name, "version": str(version),
        "python": {"userManagedDependencies": conda is None, "interpreterPath": "python",
                   "condaDependencies": conda, "baseCondaEnvironment": None},
        "docker": {"enabled": False, "baseImage": spec.get("image"), "baseDockerfile": None, "sharedVolumes": True,
                   "shmSize": "2g", "arguments": [], "baseImageRegistry": {}},
        "environmentVariables": {}, "inferencingStackVersion": None,
    }
    definition.update({key: spec.get(key) for key in V2_FIELDS})
    return definition


def _content(definition: dict) -> dict:
    return {k: v for k, v in definition.items() if k not in ("name", "version")}


def _curated_record(name: str, version: str) -> dict:
    definition = dict(curated.definition(name), version=str(version))
    listing = curated.listing(name)
    definition.update(description=listing.description, tags=dict(listing.tags), image=curated.image(name, version))
    return {"name": name, "version": str(version), "definition": definition, "curated": True, "archived": False,
            "created": CURATED_EPOCH + (int(version) - 1) * 14 * 86400}


# ---- reads ---------------------------------------------------------------------------------------------

def _stored_versions(record, name: str) -> list[dict]:
    with _engine(record).connect() as conn:
        numbered = conn.execute(select(environments).where(environments.c.name == name)).mappings().all()
        named = conn.execute(select(named_versions).where(named_versions.c.name == name)).mappings().all()
        flags = {r.version: r.archived for r in conn.execute(
            select(archive_flags).where(archive_flags.c.name == name))}
    rows = [{"name": name, "version": str(r["version"]), "definition": dict(r["definition"]),
             "created": r["created"], "curated": False} for r in [*numbered, *named]]
    for row in rows:
        row["archived"] = bool(flags.get(row["version"], False))
    return sorted(rows, key=lambda r: r["created"])


def list_versions(record, name: str, view: str = ACTIVE_ONLY) -> list[dict]:
    """Every version of an environment, oldest first, filtered by archive state."""
    if name in curated.names():
        rows = [_curated_record(name, v) for v in curated.versions(name)]
    else:
        rows = _stored_versions(record, name)
    return [r for r in rows if _in_view(r["archived"], view)]


def _in_view(archived: bool, view: str) -> bool:
    return view == ALL or (archived if view == ARCHIVED_ONLY else not archived)


def get_version(record, name: str, version) -> dict:
    """One version of an environment.

    Raises:
        NotFound: no such environment or version.
    """
    for row in list_versions(record, name, ALL):
        if row["version"] == str(version):
            return row
    raise NotFound(ENVIRONMENT, messages.ENV_VERSION_NOT_FOUND.format(name=name, version=version))


def latest_version(record, name: str) -> dict:
    """The most recently created active version (what the label `latest` means).

    Raises:
        NotFound: the environment has no active version.
    """
    rows = list_versions(record, name)
    if not rows:
        raise NotFound(ENVIRONMENT, messages.ENV_NOT_FOUND.format(name=name))
    return rows[-1]


def container(record, name: str) -> dict:
    """The environment itself: `name`, `archived`, `latestVersion`, `nextVersion`, `created`, `curated`.

    Raises:
        NotFound: no version of that name exists.
    """
    rows = list_versions(record, name, ALL)
    if not rows:
        raise NotFound(ENVIRONMENT, messages.ENV_NOT_FOUND.format(name=name))
    numbers = [int(r["version"]) for r in rows if _INTEGER.match(r["version"])]
    is_curated = rows[0]["curated"]
    return {"name": name, "archived": not is_curated and _container_archived(record, name), "curated": is_curated,
            "latestVersion": rows[-1]["version"], "nextVersion": str(max(numbers, default=0) + 1),
            "created": rows[0]["created"], "description": rows[-1]["definition"].get("description"),
            "tags": rows[-1]["definition"].get("tags") or {}}


def _container_archived(record, name: str) -> bool:
    with _engine(record).connect() as conn:
        flag = conn.execute(select(archive_flags.c.archived).where(
            archive_flags.c.name == name, archive_flags.c.version == "")).scalar()
    return bool(flag)


def list_containers(record, view: str = ACTIVE_ONLY) -> list[dict]:
    """Every environment (curated ones included), by name, filtered by archive state."""
    with _engine(record).connect() as conn:
        names = {r[0] for r in conn.execute(select(environments.c.name).distinct())}
        names |= {r[0] for r in conn.execute(select(named_versions.c.name).distinct())}
    found = [container(record, n) for n in sorted(names | set(curated.names()))]
    return [c for c in found if _in_view(c["archived"], view)]


# ---- writes --------------------------------------------------------------------------------------------

def put_version(record, name: str, version: str, spec: dict) -> tuple[bool, dict]:
    """Create an environment version, or re-state an existing one (only its archive flag may change).

    Returns:
        (created, the version record).

    Raises:
        UserError: a curated (reserved) name.
        Conflict: the version exists with other content (versions are immutable).
    """
    from sim.cloud import access

    if name.startswith(RESERVED_PREFIX):
        raise UserError(ENVIRONMENT, messages.ENV_RESERVED_NAME.format(name=name))
    access.authorize(record, WRITE_ACTION)
    definition = definition_from_spec(name, version, spec)
    existing = next((r for r in _stored_versions(record, name) if r["version"] == str(version)), None)
    if existing is not None:
        if _content(existing["definition"]) != _content(definition):
            raise Conflict(ENVIRONMENT, messages.ENV_VERSION_IMMUTABLE.format(name=name, version=version))
        _set_flag(record, name, str(version), bool(spec.get("isArchived")))
        return False, get_version(record, name, version)
    _insert(record, name, str(version), definition)
    _set_flag(record, name, str(version), bool(spec.get("isArchived")))
    return True, get_version(record, name, version)


def _insert(record, name: str, version: str, definition: dict) -> None:
    table = environments if _INTEGER.match(version) else named_versions
    value = int(version) if table is environments else version
    with _engine(record).begin() as conn:
        conn.execute(table.insert().values(name=name, version=value, definition=definition, created=time.time()))


def _set_flag(record, name: str, version: str, archived: bool) -> None:
    with _engine(record).begin() as conn:
        done = conn.execute(update(archive_flags).where(archive_flags.c.name == name,
                                                        archive_flags.c.version == version)
                            .values(archived=archived)).rowcount
        if not done:
            conn.execute(archive_flags.insert().values(name=name, version=version, archived=archived))


def set_archived(record, name: str, archived: bool) -> dict:
    """Archive (or restore) an environment as a whole; returns its container.

    Raises:
        NotFound: no such environment.
        UserError: a curated environment.
    """
    found = container(record, name)
    if found["curated"]:
        raise UserError(ENVIRONMENT, messages.ENV_RESERVED_NAME.format(name=name))
    _set_flag(record, name, "", archived)
    return container(record, name)


# ---- references (how a job names its environment) ------------------------------------------------------

_REFERENCES = (
    re.compile(r"/environments/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/?$", re.IGNORECASE),
    re.compile(r"/environments/(?P<name>[^/]+)/labels/(?P<label>[^/]+)/?$", re.IGNORECASE),
    re.compile(r"^(?:azureml:)?(?P<name>[^/:@]+)@(?P<label>[^/:@]+)$"),
    re.compile(r"^(?:azureml:)?(?P<name>[^/:@]+):(?P<version>[^/:@]+)$"),
    re.compile(r"^(?:azureml:)?(?P<name>AzureML-[^/:@]+)$"),
)


def resolve(record, reference: str) -> dict:
    """The environment version a job names: an ARM id, `azureml:name:version`, `name@latest`, a registry id
    (`azureml://registries/azureml/environments/<name>/labels/latest`) or a curated name alone (its latest).

    Raises:
        UserError: a reference in none of those forms, or a label other than `latest`.
        NotFound: no such environment or version.
    """
    for pattern in _REFERENCES:
        match = pattern.search(str(reference))
        if match is None:
            continue
        found = match.groupdict()
        if found.get("version"):
            return get_version(record, found["name"], found["version"])
        if found.get("label", "latest") != "latest":
            raise UserError(ENVIRONMENT, messages.ENV_LABEL_UNKNOWN.format(label=found["label"], name=found["name"]))
        return latest_version(record, found["name"])
    raise UserError(ENVIRONMENT, messages.ENV_REFERENCE_INVALID.format(reference=reference))
