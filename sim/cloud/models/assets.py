"""Model versions as the v2 asset API describes them: a type, a URI, a job, a stage, archived or not.

The registry (`_registry`: one row per version, shared by SDK v1 and mirrored in MLflow) stays the one list of
versions. What only the asset API describes lives beside it, in `model_asset_details`, one row per version keyed
by its id *and* asset id, so a version number that MLflow hands out again after a deletion never inherits old
details. A version registered through v1 or MLflow has no row and reads with defaults (its type from its files).
Archiving a whole model (its container) is a row of `model_containers`.

Versions are the registry's: positive integers handed out in sequence (Azure refuses other model versions, and
MLflow numbers them); a request for a version further ahead than the next one is refused with the next number.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field

import sqlalchemy as sa
import yaml

from sim import messages
from sim.cloud import store
from sim.cloud.errors import MODEL, NotFound, UserError
from sim.cloud.models import _registry, sources
from sim.cloud.models._registry import ModelVersion

CUSTOM_MODEL, MLFLOW_MODEL, TRITON_MODEL = "custom_model", "mlflow_model", "triton_model"
MODEL_TYPES = (CUSTOM_MODEL, MLFLOW_MODEL, TRITON_MODEL)
MLMODEL_FILE = "MLmodel"
_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9\-._]{0,254}$")

metadata = sa.MetaData()
details_table = sa.Table(
    "model_asset_details", metadata,
    sa.Column("id", sa.String, primary_key=True),          # "<name>:<version>", the registry's id
    sa.Column("asset_id", sa.String, nullable=False),      # the registry row it describes
    sa.Column("model_type", sa.String, nullable=False),
    sa.Column("model_uri", sa.String),
    sa.Column("job_name", sa.String),
    sa.Column("stage", sa.String),
    sa.Column("flavors", sa.JSON, nullable=False),
    sa.Column("archived", sa.Boolean, nullable=False),
    sa.Column("anonymous", sa.Boolean, nullable=False),
)
containers_table = sa.Table(
    "model_containers", metadata,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("archived", sa.Boolean, nullable=False),
)


@dataclass(frozen=True)
class ModelAsset:
    """One model version with its v2 description."""

    version: ModelVersion
    model_type: str
    model_uri: str
    job_name: str | None = None
    stage: str | None = None
    flavors: dict = field(default_factory=dict)
    archived: bool = False
    anonymous: bool = False

    @property
    def name(self) -> str:
        """The model's name."""
        return self.version.name


@dataclass(frozen=True)
class ModelContainer:
    """A model name with its versions: the newest, the next number, archived or not."""

    name: str
    latest_version: int
    next_version: int
    archived: bool
    created_time: object
    modified_time: object
    description: str | None = None


@dataclass(frozen=True)
class ModelRequest:
    """What a create-or-update of one version asks for (the REST body in the service's words)."""

    model_uri: str
    model_type: str = CUSTOM_MODEL
    description: str | None = None
    tags: dict = field(default_factory=dict)
    properties: dict = field(default_factory=dict)
    stage: str | None = None
    archived: bool = False
    anonymous: bool = False


def _engine(record):
    engine = store.engine(record)
    store.ensure(metadata, engine)
    return engine


def _details(record, versions: list[ModelVersion]) -> dict[str, sa.Row]:
    ids = [v.id for v in versions]
    with _engine(record).connect() as conn:
        rows = conn.execute(sa.select(details_table).where(details_table.c.id.in_(ids))).all() if ids else []
    return {r.id: r for r in rows}


def _mlmodel(path) -> dict | None:
    target = path / MLMODEL_FILE if path.is_dir() else None
    if target is None or not target.is_file():
        return None
    try:
        return yaml.safe_load(target.read_text()) or {}
    except (OSError, yaml.YAMLError):
        return {}


def flavors_of(path) -> dict[str, dict[str, str]]:
    """The MLflow flavors an `MLmodel` file in `path` declares, values as strings (as the service keeps them)."""
    flavors = (_mlmodel(path) or {}).get("flavors") or {}
    return {str(name): {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in (data or {}).items()}
            for name, data in flavors.items()}


def _asset(version: ModelVersion, row) -> ModelAsset:
    if row is None or row.asset_id != version.asset_id:
        kind = MLFLOW_MODEL if _mlmodel(version.path) is not None else CUSTOM_MODEL
        return ModelAsset(version=version, model_type=kind, model_uri=version.url, job_name=version.run_id,
                          flavors=flavors_of(version.path))
    return ModelAsset(version=version, model_type=row.model_type, model_uri=row.model_uri or version.url,
                      job_name=row.job_name, stage=row.stage, flavors=dict(row.flavors or {}),
                      archived=bool(row.archived), anonymous=bool(row.anonymous))


def _with_details(record, versions: list[ModelVersion]) -> list[ModelAsset]:
    rows = _details(record, versions)
    return [_asset(v, rows.get(v.id)) for v in versions]


def find(record, name: str, version) -> ModelAsset | None:
    """Version `version` of model `name` with its description, or None."""
    found = _registry.find_by_id(record, f"{name}:{version}")
    return _with_details(record, [found])[0] if found else None


def get(record, name: str, version) -> ModelAsset:
    """Version `version` of model `name`; raises NotFound."""
    found = find(record, name, version)
    if found is None:
        raise NotFound(MODEL, messages.REST_MODEL_VERSION_NOT_FOUND.format(
            name=name, version=version, workspace=record.name))
    return found


def list_versions(record, name: str, archived: bool | None = False, stage: str | None = None) -> list[ModelAsset]:
    """The versions of `name`, newest first; `archived` False: active ones, True: archived ones, None: all."""
    found = _with_details(record, _registry.query(record, name=name))
    if stage:
        found = [a for a in found if (a.stage or "") == stage]
    return [a for a in found if archived is None or a.archived == archived]


def _archived_names(record) -> set[str]:
    with _engine(record).connect() as conn:
        return {r.name for r in conn.execute(sa.select(containers_table).where(containers_table.c.archived))}


def _container(name: str, versions: list[ModelVersion], archived: bool) -> ModelContainer:
    newest = max(versions, key=lambda v: v.version)
    oldest = min(versions, key=lambda v: v.created_time)
    return ModelContainer(name=name, latest_version=newest.version, next_version=newest.version + 1,
                          archived=archived, created_time=oldest.created_time, modified_time=newest.created_time,
                          description=newest.description)


def list_containers(record, archived: bool | None = False) -> list[ModelContainer]:
    """Every model name with versions (newest first); `archived` as in `list_versions`."""
    by_name: dict[str, list[ModelVersion]] = {}
    for version in _registry.query(record):
        by_name.setdefault(version.name, []).append(version)
    gone = _archived_names(record)
    found = [_container(n, vs, n in gone) for n, vs in by_name.items()]
    return [c for c in found if archived is None or c.archived == archived]


def get_container(record, name: str) -> ModelContainer:
    """The model `name` (its container); raises NotFound when it has no version."""
    versions = _registry.query(record, name=name)
    if not versions:
        raise NotFound(MODEL, messages.REST_MODEL_NOT_FOUND.format(name=name, workspace=record.name))
    return _container(name, versions, name in _archived_names(record))


def next_version(record, name: str) -> int:
    """The number the next version of `name` gets."""
    versions = _registry.query(record, name=name)
    return max((v.version for v in versions), default=0) + 1


def set_container_archived(record, name: str, archived: bool) -> ModelContainer:
    """Archive or restore a whole model."""
    get_container(record, name)
    with _engine(record).begin() as conn:
        conn.execute(containers_table.delete().where(containers_table.c.name == name))
        conn.execute(containers_table.insert().values(name=name, archived=bool(archived)))
    return get_container(record, name)


def _version_number(version) -> int:
    text = str(version).strip()
    if not text.isdigit() or int(text) < 1:
        raise UserError(MODEL, messages.REST_MODEL_VERSION_NOT_INT.format(version=version))
    return int(text)


def _validate(name: str, request: ModelRequest) -> None:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise UserError(MODEL, messages.REST_MODEL_NAME_INVALID.format(name=name))
    if request.model_type not in MODEL_TYPES:
        raise UserError(MODEL, messages.REST_MODEL_TYPE_INVALID.format(
            type=request.model_type, types=", ".join(MODEL_TYPES)))
    if not request.model_uri:
        raise UserError(MODEL, messages.REST_MODEL_URI_MISSING)


def create_or_update(record, name: str, version, request: ModelRequest) -> tuple[ModelAsset, bool]:
    """Register version `version` of `name` from `request.model_uri`, or update it when it exists.

    Returns:
        (the version, True when it was created). An existing version keeps its files: only its description,
        tags, stage and archive flag change, and new property keys are added; another URI is refused.
    """
    _validate(name, request)
    number = _version_number(version)
    existing = find(record, name, number)
    if existing is not None:
        return _update(record, existing, request), False
    expected = next_version(record, name)
    if number != expected:
        raise UserError(MODEL, messages.REST_MODEL_VERSION_NOT_NEXT.format(name=name, version=number, next=expected))
    return _register(record, name, request), True


def _register(record, name: str, request: ModelRequest) -> ModelAsset:
    source = sources.resolve(record, request.model_uri)
    if request.model_type == MLFLOW_MODEL and _mlmodel(source.path) is None:
        raise UserError(MODEL, messages.REST_MODEL_NOT_MLFLOW.format(uri=request.model_uri))
    with _registry.staging_dir(record) as staging:
        staged = staging / source.root_name
        if source.path.is_dir():
            shutil.copytree(source.path, staged)
        else:
            shutil.copy2(source.path, staged)
        version = _registry.register(
            record, staged, name, tags=request.tags, properties=request.properties,
            description=request.description, framework="Custom", run_id=source.job_name,
            experiment_name=source.experiment_name)
    row = dict(id=version.id, asset_id=version.asset_id, model_type=request.model_type,
               model_uri=source.uri or request.model_uri, job_name=source.job_name, stage=request.stage,
               flavors=flavors_of(version.path), archived=bool(request.archived), anonymous=bool(request.anonymous))
    with _engine(record).begin() as conn:
        conn.execute(details_table.delete().where(details_table.c.id == version.id))
        conn.execute(details_table.insert().values(**row))
    return get(record, name, version.version)


def _same_uri(a: str, b: str) -> bool:
    return a.rstrip("/").lower() == b.rstrip("/").lower()


def _update(record, existing: ModelAsset, request: ModelRequest) -> ModelAsset:
    if not _same_uri(existing.model_uri, sources.reported_uri(record, request.model_uri)):
        raise UserError(MODEL, messages.REST_MODEL_PATH_IMMUTABLE)
    version = existing.version
    _registry.update(record, version.id, tags=request.tags or {}, description=request.description)
    added = {k: v for k, v in (request.properties or {}).items() if k not in version.properties}
    if added:
        _registry.add_properties(record, version.id, added)
    row = dict(id=version.id, asset_id=version.asset_id, model_type=existing.model_type,
               model_uri=existing.model_uri, job_name=existing.job_name, stage=request.stage,
               flavors=existing.flavors, archived=bool(request.archived), anonymous=existing.anonymous)
    with _engine(record).begin() as conn:
        conn.execute(details_table.delete().where(details_table.c.id == version.id))
        conn.execute(details_table.insert().values(**row))
    return get(record, version.name, version.version)


def delete_version(record, name: str, version, in_use_by: list[str] | None = None) -> None:
    """Delete one version (its files, its MLflow version, its description)."""
    found = get(record, name, _version_number(version))
    _registry.delete(record, found.version.id, in_use_by=in_use_by)
    with _engine(record).begin() as conn:
        conn.execute(details_table.delete().where(details_table.c.id == found.version.id))
