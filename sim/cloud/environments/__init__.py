"""Environments of a simulated workspace: registered definitions (versioned) plus the curated ones.

An environment is a definition (Python/conda/pip packages, Docker settings, variables); registering the
same definition again keeps its version, a changed one gets the next version, as Azure ML does.
"""

from __future__ import annotations

import time

from sqlalchemy import JSON, Column, Float, Integer, MetaData, String, Table, func, select

from sim.cloud import store
from sim.cloud.environments import curated
from sim.cloud.errors import ENVIRONMENT, NotFound, UserError
from sim.cloud.runs import errors

WRITE_ACTION = "Microsoft.MachineLearningServices/workspaces/environments/write"
RESERVED_PREFIX = "AzureML"

metadata = MetaData()
environments = Table(
    "environments", metadata,
    Column("name", String, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("definition", JSON, nullable=False),
    Column("created", Float, nullable=False),
)


def _engine(record):
    eng = store.engine(record)
    store.ensure(metadata, eng)
    return eng


def _comparable(definition: dict) -> dict:
    return {k: v for k, v in definition.items() if k not in ("version", "name")}


def register(record, definition: dict) -> dict:
    """Register a definition under its name; returns the stored definition with its version.

    Raises:
        UserError: for a curated (reserved) name.
    """
    from sim.cloud import access

    name = definition["name"]
    if name.startswith(RESERVED_PREFIX):
        raise UserError(ENVIRONMENT, errors.ENVIRONMENT_CURATED_READONLY.format(name=name))
    access.authorize(record, WRITE_ACTION)
    with _engine(record).begin() as conn:
        latest = conn.execute(select(environments).where(environments.c.name == name)
                              .order_by(environments.c.version.desc())).mappings().first()
        if latest and _comparable(latest["definition"]) == _comparable(definition):
            return dict(latest["definition"])
        version = (latest["version"] if latest else 0) + 1
        stored = dict(definition, version=str(version))
        conn.execute(environments.insert().values(name=name, version=version, definition=stored,
                                                  created=time.time()))
    return stored


def get(record, name: str, version=None) -> dict:
    """A registered (latest or given version) or curated environment's definition.

    Raises:
        NotFound: when no such environment or version exists.
    """
    query = select(environments.c.version, environments.c.definition).where(environments.c.name == name)
    with _engine(record).connect() as conn:
        rows = conn.execute(query.order_by(environments.c.version)).all()
    if not rows:
        found = curated.definition(name)
        if found is None or not curated.has_version(name, version):
            raise NotFound(ENVIRONMENT, errors.ENVIRONMENT_NOT_FOUND.format(name=name))
        return dict(found, version=str(version or found["version"]))
    if version is None:
        return dict(rows[-1][1])
    for number, definition in rows:
        if str(number) == str(version):
            return dict(definition)
    raise NotFound(ENVIRONMENT, errors.ENVIRONMENT_VERSION_NOT_FOUND.format(
        name=name, version=version, versions=", ".join(str(r[0]) for r in rows)))


def list_latest(record) -> dict[str, dict]:
    """{name: latest definition} of every registered environment plus the curated ones."""
    latest = select(environments.c.name, func.max(environments.c.version).label("v")).group_by(
        environments.c.name).subquery()
    query = select(environments.c.name, environments.c.definition).join(
        latest, (environments.c.name == latest.c.name) & (environments.c.version == latest.c.v))
    with _engine(record).connect() as conn:
        registered = {name: dict(definition) for name, definition in conn.execute(query).all()}
    found = {name: curated.definition(name) for name in curated.names()}
    found.update(registered)
    return found


def versions(record, name: str) -> list[str]:
    """The registered versions of an environment, oldest first."""
    with _engine(record).connect() as conn:
        rows = conn.execute(select(environments.c.version).where(environments.c.name == name)
                            .order_by(environments.c.version)).all()
    return [str(r[0]) for r in rows]


# ---- image builds ---------------------------------------------------------------------------------------

def needs_image_build(definition: dict | None) -> bool:
    """Whether Azure would build an image for a job or deployment in this environment.

    A curated environment's image is pre-built, and an image given as is (packages managed by the user, no
    Dockerfile or build context) is used directly; conda packages for Azure to install, a Dockerfile or a build
    context mean a build. No environment at all means a build too: Azure makes one (a v1 run's default
    environment, a v2 MLflow model deployed with no environment).
    """
    if not definition:
        return True
    if str(definition.get("name") or "").startswith(RESERVED_PREFIX):
        return False
    python, docker = definition.get("python") or {}, definition.get("docker") or {}
    return bool(definition.get("build") or docker.get("baseDockerfile")
                or not python.get("userManagedDependencies", False))


def build_image(record, definition: dict | None):
    """Stand in for the image build a job or deployment starts: the workspace's first one creates its registry.

    Images are not built here (jobs run in the project's interpreter); what the learner can see of a build is
    the container registry that appears in the workspace's details. Returns the (possibly updated) record.
    """
    if not needs_image_build(definition):
        return record
    from sim.cloud import workspaces

    return workspaces.ensure_container_registry(record)
