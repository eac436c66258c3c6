"""Mirror of registered models into the workspace's MLflow model registry.

Azure ML's model registry and its MLflow registry are one and the same, so every model version the
simulator registers is also an MLflow model version: `mlflow`, `MlflowClient` and `mlflow ui` see it. The
simulator's own table keeps the Azure-only fields (properties, framework, run and experiment names); MLflow
hands out the version numbers, so versions made directly with `mlflow.register_model` and with the SDK
share one sequence as they do in Azure; `registry_versions` lets the registry adopt versions registered
through MLflow alone (they then show in `Model.list` too).
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

PROPERTY_TAG_PREFIX = "azureml.property."
FRAMEWORK_TAG = "azureml.framework"


@lru_cache(maxsize=32)
def _client(uri: str):
    # Imported lazily: mlflow costs about a second to import and most simulator calls never need it.
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("DO_NOT_TRACK", "true")
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def _version_tags(tags: dict, properties: dict, framework: str | None) -> dict[str, str]:
    out = {str(k): str(v) for k, v in (tags or {}).items()}
    out.update({PROPERTY_TAG_PREFIX + str(k): str(v) for k, v in (properties or {}).items()})
    if framework:
        out[FRAMEWORK_TAG] = framework
    return out


def _known_run_id(client, run_id: str | None) -> str | None:
    """The run id when MLflow knows that run (so the UI links model and run), else None."""
    if not run_id:
        return None
    try:
        client.get_run(run_id)
    except Exception:  # noqa: BLE001 - an Azure run id MLflow does not know is simply not linked
        return None
    return run_id


def create_version(uri: str, name: str, source: str, *, tags: dict, properties: dict,
                   description: str | None, framework: str | None, run_id: str | None) -> int:
    """Create an MLflow model version (and its registered model when new); return its version number."""
    from mlflow.exceptions import MlflowException

    client = _client(uri)
    try:
        client.get_registered_model(name)
    except MlflowException:
        try:
            client.create_registered_model(name)
        except MlflowException as exc:  # another registration of this new name made it first: use theirs
            if exc.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
    version = client.create_model_version(
        name, source, run_id=_known_run_id(client, run_id),
        tags=_version_tags(tags, properties, framework), description=description or None)
    return int(version.version)


def delete_version(uri: str, name: str, version: int) -> None:
    """Delete one MLflow model version, and the registered model once it has no version left."""
    from mlflow.exceptions import MlflowException

    client = _client(uri)
    try:
        client.delete_model_version(name, str(version))
    except MlflowException:
        return  # already gone (deleted through mlflow directly): nothing to mirror
    if not client.search_model_versions(f"name='{name}'", max_results=1):
        client.delete_registered_model(name)


def set_tags(uri: str, name: str, version: int, tags: dict, removed: list[str]) -> None:
    """Mirror a tag update onto the MLflow model version."""
    client = _client(uri)
    for key in removed:
        client.delete_model_version_tag(name, str(version), key)
    for key, value in tags.items():
        client.set_model_version_tag(name, str(version), key, str(value))


def set_properties(uri: str, name: str, version: int, properties: dict) -> None:
    """Mirror added properties onto the MLflow model version (as `azureml.property.*` tags)."""
    client = _client(uri)
    for key, value in properties.items():
        client.set_model_version_tag(name, str(version), PROPERTY_TAG_PREFIX + key, str(value))


def set_description(uri: str, name: str, version: int, description: str) -> None:
    """Mirror a description update onto the MLflow model version."""
    _client(uri).update_model_version(name, str(version), description=description)


def _local_path(uri: str | None) -> Path | None:
    if not uri:
        return None
    path = Path(unquote(urlparse(uri).path)) if uri.startswith("file:") else Path(uri)
    return path if path.is_absolute() and path.exists() else None


def registry_versions(mlflow_db: Path) -> dict[tuple[str, int], dict] | None:
    """Every MLflow model version of the store, read with plain SQL (no mlflow import: this runs on every
    model query); None when the store has no model registry tables yet."""
    if not mlflow_db.exists():
        return None
    try:
        with closing(sqlite3.connect(mlflow_db, timeout=30)) as conn:
            rows = conn.execute("SELECT name, version, creation_time, description, source, run_id, "
                                "storage_location FROM model_versions "
                                "WHERE current_stage IS NULL OR current_stage != 'Deleted_Internal'").fetchall()
            tags = conn.execute("SELECT name, version, key, value FROM model_version_tags").fetchall()
    except sqlite3.OperationalError:
        return None
    found = {(r[0], int(r[1])): {"name": r[0], "version": int(r[1]), "creation_time": r[2], "description": r[3],
                                 "source": r[4], "run_id": r[5], "files": _local_path(r[6]) or _local_path(r[4]),
                                 "tags": {}, "properties": {}, "framework": None} for r in rows}
    for name, version, key, value in tags:
        entry = found.get((name, int(version)))
        if entry is None:
            continue
        if key.startswith(PROPERTY_TAG_PREFIX):
            entry["properties"][key[len(PROPERTY_TAG_PREFIX):]] = value
        elif key == FRAMEWORK_TAG:
            entry["framework"] = value
        elif not key.startswith("mlflow."):
            entry["tags"][key] = value
    return found
