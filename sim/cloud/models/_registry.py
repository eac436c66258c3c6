"""The model registry's state: one row per model version, files in the workspace's asset folder.

Each version's files live under `<workspace folder>/models/assets/<asset id>/<root name>`, where the root
name is the last segment of the registered path (a file name or a folder name), as Azure keeps it.

A registration writes the MLflow version first, then the row. While it runs, `<asset id>.registering` next to the
files names the registering process (an owner token of `sim._owner`), so a reader that finds an MLflow version of
ours without its row can tell a registration under way from one whose process was killed; the latter was never
acknowledged and is rolled back (MLflow version and files), so the two registries never disagree.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from sim import _owner, messages
from sim.cloud import access, store
from sim.cloud.errors import MODEL, Conflict, NotFound, UserError
from sim.cloud.models import _mlflow_sync

WRITE_ACTION = "Microsoft.MachineLearningServices/workspaces/models/write"
DELETE_ACTION = "Microsoft.MachineLearningServices/workspaces/models/delete"

metadata = sa.MetaData()
models_table = sa.Table(
    "models", metadata,
    sa.Column("id", sa.String, primary_key=True),            # "<name>:<version>", as Azure spells it
    sa.Column("name", sa.String, nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("asset_id", sa.String, nullable=False),
    sa.Column("root_name", sa.String, nullable=False),
    sa.Column("description", sa.String),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("properties", sa.JSON, nullable=False),
    sa.Column("framework", sa.String),
    sa.Column("framework_version", sa.String),
    sa.Column("run_id", sa.String),
    sa.Column("experiment_name", sa.String),
    sa.Column("created_time", sa.String, nullable=False),
    sa.Column("created_by", sa.JSON),
    sa.UniqueConstraint("name", "version"),
)


@dataclass(frozen=True)
class ModelVersion:
    """One registered model version, as the service stores it."""

    id: str
    name: str
    version: int
    asset_id: str
    root_name: str
    folder: Path
    description: str | None = None
    tags: dict = field(default_factory=dict)
    properties: dict = field(default_factory=dict)
    framework: str | None = None
    framework_version: str | None = None
    run_id: str | None = None
    experiment_name: str | None = None
    created_time: datetime | None = None
    created_by: dict | None = None

    @property
    def path(self) -> Path:
        """The registered file or folder itself."""
        return self.folder / self.root_name

    @property
    def url(self) -> str:
        """The asset URL Azure reports for the model."""
        return f"aml://asset/{self.asset_id}"


def assets_dir(record) -> Path:
    """Folder holding every model version's files."""
    return Path(record.folder) / "models" / "assets"


@contextmanager
def staging_dir(record):
    """A fresh folder (on the same disk as the assets) to gather a model's files in; removed on exit.

    It is named after this process, so the folders of processes killed while staging are removed by the next one.
    """
    staging = Path(record.folder) / "models" / "staging"
    for abandoned in staging.glob("*") if staging.is_dir() else ():
        if not _alive_in_name(abandoned.name):
            shutil.rmtree(abandoned, ignore_errors=True)
    path = staging / f"{_owner.token().replace(':', '-')}-{uuid.uuid4().hex}"
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _alive_in_name(name: str) -> bool:
    """Whether the process a '<pid>-<start time>-...' folder name names still runs (other names: assume so)."""
    pid, started = (name.split("-") + ["", ""])[:2]
    return not pid.isdigit() or _owner.alive(f"{pid}:{started}")


def caller_identity() -> dict:
    """The `createdBy` block Azure stamps on what the simulated caller creates."""
    caller = access.current_caller()
    return {"userObjectId": caller.object_id, "userPuId": None, "userIdp": None, "userAltSecId": None,
            "userIss": None, "userTenantId": None, "userName": caller.principal}


def _engine(record):
    engine = store.engine(record)
    store.ensure(metadata, engine)
    return engine


def _from_row(record, row) -> ModelVersion:
    return ModelVersion(
        id=row.id, name=row.name, version=row.version, asset_id=row.asset_id, root_name=row.root_name,
        folder=assets_dir(record) / row.asset_id, description=row.description, tags=dict(row.tags),
        properties=dict(row.properties), framework=row.framework, framework_version=row.framework_version,
        run_id=row.run_id, experiment_name=row.experiment_name,
        created_time=datetime.fromisoformat(row.created_time), created_by=row.created_by)


def _stringify(values: dict | None) -> dict[str, str]:
    # The service stores tags and properties as strings (its REST schema is {str: str}).
    return {str(k): v if isinstance(v, str) else json.dumps(v) if isinstance(v, (dict, list)) else str(v)
            for k, v in (values or {}).items()}


def register(record, staged: Path, name: str, *, tags=None, properties=None, description=None,
             framework=None, framework_version=None, run_id=None, experiment_name=None,
             created_by=None) -> ModelVersion:
    """Register the file or folder `staged` (moved, not copied) as the next version of model `name`.

    Args:
        record: the workspace record.
        staged: a file or folder inside a `staging_dir(record)` folder; its name becomes the root name.
            Nothing is moved when the caller may not write models.
        name: the model name (already validated by the caller).
        tags, properties: string dictionaries (other values are converted to strings).
        description, framework, framework_version, run_id, experiment_name, created_by: metadata.

    Returns:
        The new ModelVersion. On any failure nothing stays registered (no row, no MLflow version, no files).
    """
    access.authorize(record, WRITE_ACTION, family=MODEL)
    created_by = created_by or caller_identity()
    asset_id = uuid.uuid4().hex
    folder = assets_dir(record) / asset_id
    folder.parent.mkdir(parents=True, exist_ok=True)
    _marker(record, asset_id).write_text(_owner.token())  # before the files: a kill from here on leaves a trace
    folder.mkdir()
    shutil.move(str(staged), str(folder / staged.name))
    tags, properties = _stringify(tags), _stringify(properties)
    version = None
    try:
        version = _mlflow_sync.create_version(
            record.mlflow_uri, name, _mlflow_source(folder / staged.name), tags=tags, properties=properties,
            description=description, framework=framework, run_id=run_id)
        row = dict(id=f"{name}:{version}", name=name, version=version, asset_id=asset_id,
                   root_name=staged.name, description=description, tags=tags, properties=properties,
                   framework=framework, framework_version=framework_version, run_id=run_id,
                   experiment_name=experiment_name, created_time=datetime.now(UTC).isoformat(),
                   created_by=created_by)
        with _engine(record).begin() as conn:
            conn.execute(models_table.insert().values(**row))
    except BaseException:
        if version is not None:
            _mlflow_sync.delete_version(record.mlflow_uri, name, version)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        _marker(record, asset_id).unlink(missing_ok=True)
    return get_by_id(record, f"{name}:{version}")


def _marker(record, asset_id: str) -> Path:
    """The file naming the process that is registering the version whose files are in `asset_id`."""
    return assets_dir(record) / f"{asset_id}.registering"


def _interrupted(record, files: Path) -> str | None:
    """The asset id of an MLflow version of ours whose registering process has ended before writing its row."""
    try:
        asset_id = files.resolve().relative_to(assets_dir(record).resolve()).parts[0]
    except (ValueError, IndexError):
        return None
    try:
        owner = _marker(record, asset_id).read_text().strip()
    except OSError:
        owner = ""  # no marker: the registration has ended, with its row or without one
    if owner and _owner.alive(owner):
        return None
    # Read the row now, not from the caller's earlier listing: a registration may have written its row and removed
    # its marker since then (four concurrent writers lost an acknowledged version that way).
    with _engine(record).connect() as conn:
        completed = conn.execute(sa.select(models_table.c.id).where(models_table.c.asset_id == asset_id)).first()
    return None if completed is not None else asset_id


def _roll_back(record, key: tuple[str, int], asset_id: str) -> None:
    """Undo a registration killed between its MLflow version and its row (it was never acknowledged)."""
    _mlflow_sync.delete_version(record.mlflow_uri, key[0], key[1])
    shutil.rmtree(assets_dir(record) / asset_id, ignore_errors=True)
    _marker(record, asset_id).unlink(missing_ok=True)


def _mlflow_source(registered: Path) -> str:
    """The MLflow version's source: an MLflow model's own folder (where its MLmodel file is), so
    `mlflow.pyfunc.load_model("models:/<name>/<version>")` loads it; the version's folder for other files."""
    return (registered if (registered / "MLmodel").is_file() else registered.parent).as_uri()


def sync_with_mlflow(record) -> None:
    """Make the registry agree with the workspace's MLflow registry (they are one registry in Azure):
    adopt versions registered through MLflow alone, forget versions deleted through MLflow."""
    # Rows first, then MLflow's versions: a registration writes its MLflow version before its row, so a row read
    # here always has its version in the later read (the other order took a concurrent writer's new row for one
    # deleted through MLflow, and removed it).
    with _engine(record).connect() as conn:
        rows = conn.execute(sa.select(models_table.c.id, models_table.c.name, models_table.c.version,
                                      models_table.c.asset_id)).all()
    versions = _mlflow_sync.registry_versions(record.mlflow_db)
    if versions is None:
        return
    known = {(r.name, r.version): r for r in rows}
    ours = str(assets_dir(record))
    for key, info in versions.items():
        if key in known or info["files"] is None:
            continue
        if not str(info["files"]).startswith(ours):
            _adopt(record, info)
        elif (asset_id := _interrupted(record, Path(info["files"]))) is not None:
            _roll_back(record, key, asset_id)
    for key, row in known.items():
        if key not in versions:
            with _engine(record).begin() as conn:
                conn.execute(models_table.delete().where(models_table.c.id == row.id))
            shutil.rmtree(assets_dir(record) / row.asset_id, ignore_errors=True)
    _remove_abandoned_assets(record)


def _remove_abandoned_assets(record) -> None:
    """Remove the files of registrations killed before they had an MLflow version (markers of ended processes)."""
    for marker in assets_dir(record).glob("*.registering") if assets_dir(record).is_dir() else ():
        try:
            owner = marker.read_text().strip()
        except OSError:
            continue
        if owner and _owner.alive(owner):
            continue
        asset_id = marker.name.removesuffix(".registering")
        with _engine(record).connect() as conn:  # read now: a row means the registration did complete
            used = conn.execute(sa.select(models_table.c.id).where(models_table.c.asset_id == asset_id)).first()
        if used is None:
            shutil.rmtree(assets_dir(record) / asset_id, ignore_errors=True)
        marker.unlink(missing_ok=True)


def _adopt(record, info: dict) -> None:
    asset_id = uuid.uuid4().hex
    folder = assets_dir(record) / asset_id
    files: Path = info["files"]
    root = "model" if files.is_dir() else files.name
    folder.mkdir(parents=True)
    if files.is_dir():
        shutil.copytree(files, folder / root)
    else:
        shutil.copy2(files, folder / root)
    created = datetime.fromtimestamp((info["creation_time"] or 0) / 1000, UTC)
    row = dict(id=f"{info['name']}:{info['version']}", name=info["name"], version=info["version"],
               asset_id=asset_id, root_name=root, description=info["description"], tags=info["tags"],
               properties=info["properties"], framework=info["framework"] or "Custom", framework_version=None,
               run_id=info["run_id"], experiment_name=None, created_time=created.isoformat(),
               created_by=caller_identity())
    try:
        with _engine(record).begin() as conn:
            conn.execute(models_table.insert().values(**row))
    except sa.exc.IntegrityError:  # another process adopted it first
        shutil.rmtree(folder, ignore_errors=True)


def find_by_id(record, model_id: str) -> ModelVersion | None:
    """The version with this id ("name:version"), or None."""
    sync_with_mlflow(record)
    with _engine(record).connect() as conn:
        row = conn.execute(sa.select(models_table).where(models_table.c.id == model_id)).first()
    return _from_row(record, row) if row else None


def get_by_id(record, model_id: str) -> ModelVersion:
    """The version with this id; raises NotFound (ModelNotFound) when absent."""
    found = find_by_id(record, model_id)
    if found is None:
        raise NotFound(MODEL, messages.MODEL_NOT_FOUND.format(details=f"id {model_id}"))
    return found


def _matches(values: dict, wanted) -> bool:
    # The SDK's filter list: each item is 'key' (present) or [key, value] (equal).
    for item in wanted or []:
        if isinstance(item, (list, tuple)):
            if values.get(str(item[0])) != str(item[1]):
                return False
        elif str(item) not in values:
            return False
    return True


def query(record, name=None, tags=None, properties=None, run_id=None, latest=False,
          framework=None) -> list[ModelVersion]:
    """Model versions matching every given filter, newest first (as the service lists them)."""
    sync_with_mlflow(record)
    stmt = sa.select(models_table).order_by(models_table.c.created_time.desc(), models_table.c.version.desc())
    if name:
        stmt = stmt.where(models_table.c.name == name)
    if run_id:
        stmt = stmt.where(models_table.c.run_id == run_id)
    if framework:
        stmt = stmt.where(models_table.c.framework == framework)
    with _engine(record).connect() as conn:
        rows = conn.execute(stmt).all()
    found = [_from_row(record, r) for r in rows]
    found = [m for m in found if _matches(m.tags, tags) and _matches(m.properties, properties)]
    if latest:
        newest: dict[str, ModelVersion] = {}
        for m in found:
            if m.name not in newest or m.version > newest[m.name].version:
                newest[m.name] = m
        found = [m for m in found if newest[m.name] is m]
    return found


def latest_versions(record) -> list[ModelVersion]:
    """The newest version of every model name (what `ws.models` shows)."""
    return query(record, latest=True)


def _update_row(record, model_id: str, **values) -> ModelVersion:
    with _engine(record).begin() as conn:
        conn.execute(models_table.update().where(models_table.c.id == model_id).values(**values))
    return get_by_id(record, model_id)


def update_tags(record, model_id: str, add=None, remove=None) -> ModelVersion:
    """Add (or replace) and remove tags of one version."""
    access.authorize(record, WRITE_ACTION, family=MODEL)
    current = get_by_id(record, model_id)
    tags = dict(current.tags)
    tags.update(_stringify(add))
    removed = [k for k in (remove or []) if k in tags]
    for key in removed:
        del tags[key]
    updated = _update_row(record, model_id, tags=tags)
    _mlflow_sync.set_tags(record.mlflow_uri, current.name, current.version, _stringify(add), removed)
    return updated


def add_properties(record, model_id: str, properties: dict) -> ModelVersion:
    """Add properties; existing keys are immutable, as in Azure."""
    access.authorize(record, WRITE_ACTION, family=MODEL)
    current = get_by_id(record, model_id)
    clash = [k for k in properties if k in current.properties]
    if clash:
        raise UserError(MODEL, messages.MODEL_PROPERTIES_IMMUTABLE.format(keys=clash))
    merged = {**current.properties, **_stringify(properties)}
    updated = _update_row(record, model_id, properties=merged)
    _mlflow_sync.set_properties(record.mlflow_uri, current.name, current.version, _stringify(properties))
    return updated


def update(record, model_id: str, tags=None, description=None) -> ModelVersion:
    """Replace the tags and/or the description of one version."""
    access.authorize(record, WRITE_ACTION, family=MODEL)
    current = get_by_id(record, model_id)
    values = {}
    if tags is not None:
        values["tags"] = _stringify(tags)
    if description:
        values["description"] = description
    updated = _update_row(record, model_id, **values) if values else current
    if tags is not None:
        gone = [k for k in current.tags if k not in values["tags"]]
        _mlflow_sync.set_tags(record.mlflow_uri, current.name, current.version, values["tags"], gone)
    if description:
        _mlflow_sync.set_description(record.mlflow_uri, current.name, current.version, description)
    return updated


def delete(record, model_id: str, in_use_by: list[str] | None = None) -> None:
    """Delete one version (row, MLflow version, files). Refused while a web service uses it."""
    access.authorize(record, DELETE_ACTION, family=MODEL)
    current = get_by_id(record, model_id)
    if in_use_by:
        raise Conflict(MODEL, messages.MODEL_IN_USE.format(id=model_id, services=in_use_by))
    with _engine(record).begin() as conn:
        conn.execute(models_table.delete().where(models_table.c.id == model_id))
    _mlflow_sync.delete_version(record.mlflow_uri, current.name, current.version)
    shutil.rmtree(current.folder, ignore_errors=True)


def copy_files(version: ModelVersion, target_dir: Path, exist_ok: bool) -> Path:
    """Copy a version's file or folder into `target_dir`; return the copied path."""
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / version.root_name
    if target.exists() and not exist_ok:
        raise Conflict(MODEL, messages.MODEL_DOWNLOAD_EXISTS.format(path=target))
    if version.path.is_dir():
        shutil.copytree(version.path, target, dirs_exist_ok=True, copy_function=_copy_whole)
    else:
        _copy_whole(version.path, target)
    return target


def _copy_whole(source, target) -> str:
    """Copy a file so that no reader ever sees it half written: the worker processes of a parallel step each call
    Model.get_model_path, and each download of the same model then replaces the file whole instead of truncating
    it under a worker that is loading it."""
    scratch = f"{target}.{uuid.uuid4().hex[:8]}.part"
    try:
        shutil.copy2(source, scratch)
        os.replace(scratch, target)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)
    return str(target)
