"""Registering a model from files the caller names, in one service call: a local file or folder, or a run's files.

The SDK v1 face used to stage the files itself in the workspace's folder (`staging_dir`) and then call `register`;
a caller that cannot see that folder (a sandboxed lab kernel, which reaches the simulated Azure only through its
service) names the files instead, and the service stages and registers them. The local path must be one the
service can read: the lab folder is, a kernel's private /tmp is not (the client refuses that with a sentence).

The deployment information `Model.register` records (sample datasets' ids, resource configuration) is kept here
too, one small JSON document per version beside the registry.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from sim.cloud import storage_ceiling
from sim.cloud.errors import MODEL
from sim.cloud.models._registry import ModelVersion, register, staging_dir


def register_path(record, source, name: str, child_paths=None, **details) -> ModelVersion:
    """Register a local file or folder (or only `child_paths` below the folder) as the next version of `name`.

    Args:
        record: the workspace record.
        source: an absolute path the service can read (validated by the caller, as the SDK does).
        name: the model name.
        child_paths: paths below `source` to register instead of all of it.
        **details: `register`'s keyword arguments (tags, properties, description, framework ...).
    """
    source = Path(source)
    size = sum(storage_ceiling.disk_use(source / c) if (source / c).is_dir() else _file_size(source / c)
               for c in (child_paths or ["."]))
    with storage_ceiling.accepting(size, f"the files of model '{name}'", MODEL), staging_dir(record) as staging:
        _stage(source, staging / source.name, child_paths)
        return register(record, staging / source.name, name, **details)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # missing: staging it says so


def _stage(source: Path, staged: Path, child_paths) -> None:
    if child_paths:
        for child in child_paths:
            target = staged / child
            target.parent.mkdir(parents=True, exist_ok=True)
            if (source / child).is_dir():
                shutil.copytree(source / child, target, dirs_exist_ok=True)
            else:
                shutil.copy2(source / child, target)
    elif source.is_dir():
        shutil.copytree(source, staged)
    else:
        shutil.copy2(source, staged)


def register_run_files(record, run_id: str, experiment_name: str, prefix: str, files: list[str], name: str,
                       **details) -> ModelVersion:
    """Register a run's `files` (all under `prefix`) as the next version of `name`, linked to the run."""
    from sim.cloud.runs import files as run_files

    parent = os.path.dirname(prefix)
    root = run_files.artifact_root(record, run_id)
    size = sum(_file_size(root / f) for f in files)  # a registered version is a copy of the run's files
    with storage_ceiling.accepting(size, f"the files of model '{name}'", MODEL), staging_dir(record) as staging:
        for file_name in files:
            target = staging / os.path.relpath(file_name, parent or ".")
            target.parent.mkdir(parents=True, exist_ok=True)
            run_files.download_file(record, run_id, file_name, target)
        return register(record, staging / os.path.basename(prefix), name, run_id=run_id,
                        experiment_name=experiment_name, **details)


def _deploy_info_path(record, model_id: str) -> Path:
    return Path(record.folder) / "model-deploy-info" / f"{model_id.replace(':', '_')}.json"


def save_deploy_info(record, model_id: str, info: dict) -> None:
    """Keep what a version's registration said for deployment (JSON-able: dataset ids, resources)."""
    path = _deploy_info_path(record, model_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(info))


def deploy_info(record, model_id: str) -> dict | None:
    """What `save_deploy_info` kept for a version, or None."""
    path = _deploy_info_path(record, model_id)
    return json.loads(path.read_text()) if path.exists() else None
