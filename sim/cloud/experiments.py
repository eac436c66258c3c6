"""Experiments of a simulated workspace: each one is an MLflow experiment in the workspace's own store.

Azure ML keeps experiments by name; archiving hides an experiment from the default listing and
reactivating brings it back. MLflow's soft delete/restore has exactly those semantics, so an archived
experiment is a deleted MLflow experiment.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sim.cloud.errors import EXPERIMENT, NotFound, UserError
from sim.cloud.runs import errors
from sim.cloud.runs.tracking import client

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,254}$")
ACTIVE_ONLY, ARCHIVED_ONLY, ALL = "ActiveOnly", "ArchivedOnly", "All"


@dataclass(frozen=True)
class ExperimentInfo:
    """What the service knows about one experiment."""

    id: str
    name: str
    archived_time: str | None
    tags: dict


def validate_name(name) -> str:
    """Check an experiment name the way the service does.

    Raises:
        UserError: when the name is not a string of 1-255 letters, digits, '_' or '-'.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise UserError(EXPERIMENT, errors.BAD_EXPERIMENT_NAME.format(name=name))
    return name


def _info(exp) -> ExperimentInfo:
    archived = None
    if exp.lifecycle_stage == "deleted":
        archived = _iso(exp.last_update_time)
    tags = {k: v for k, v in (exp.tags or {}).items() if not k.startswith("mlflow.")}
    return ExperimentInfo(str(exp.experiment_id), exp.name, archived, tags)


def _iso(millis) -> str | None:
    if millis is None:
        return None
    from datetime import UTC, datetime

    return datetime.fromtimestamp(millis / 1000, UTC).isoformat().replace("+00:00", "Z")


def _artifact_location(record) -> str:
    folder = record.artifact_root / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True, exist_ok=True)
    return folder.as_uri()


def get_or_create(record, name: str, create: bool = True) -> ExperimentInfo:
    """The experiment called `name`, created (with artifacts inside the workspace folder) when absent.

    Raises:
        UserError, NotFound: when the name is invalid, the experiment is archived, or it is absent
            and `create` is False.
    """
    validate_name(name)
    mlc = client(record)
    exp = mlc.get_experiment_by_name(name)
    if exp is None:
        if not create:
            raise NotFound(EXPERIMENT, errors.EXPERIMENT_NOT_FOUND.format(name=name))
        _authorize(record, "experiments/write")
        try:
            mlc.create_experiment(name, artifact_location=_artifact_location(record))
        except Exception:  # another process created it first: fine, read it back
            pass
        exp = mlc.get_experiment_by_name(name)
    if exp.lifecycle_stage == "deleted":
        raise UserError(EXPERIMENT, errors.EXPERIMENT_ARCHIVED.format(name=name))
    return _info(exp)


def get_by_id(record, experiment_id: str) -> ExperimentInfo:
    """The experiment with this id (archived or not)."""
    return _info(client(record).get_experiment(str(experiment_id)))


def list_experiments(record, experiment_name=None, view_type=ACTIVE_ONLY, tags=None) -> list[ExperimentInfo]:
    """Experiments of a workspace, filtered like `Experiment.list`."""
    from mlflow.entities import ViewType

    views = {ACTIVE_ONLY: ViewType.ACTIVE_ONLY, ARCHIVED_ONLY: ViewType.DELETED_ONLY, ALL: ViewType.ALL}
    if view_type not in views:
        raise UserError(EXPERIMENT, errors.BAD_VIEW_TYPE.format(view_type=view_type))
    found = [_info(e) for e in client(record).search_experiments(view_type=views[view_type])]
    found = [e for e in found if e.name != "Default"]
    if experiment_name is not None:
        found = [e for e in found if e.name == experiment_name]
    if tags:
        found = [e for e in found if all(e.tags.get(k) == v for k, v in dict(tags).items())]
    return sorted(found, key=lambda e: e.name)


def archive(record, name: str) -> ExperimentInfo:
    """Archive an experiment (its runs stay in the store)."""
    _authorize(record, "experiments/write")
    info = get_or_create(record, name, create=False)
    client(record).delete_experiment(info.id)
    return get_by_id(record, info.id)


def reactivate(record, experiment_id: str, new_name: str | None = None) -> ExperimentInfo:
    """Bring an archived experiment back, optionally under a new name."""
    _authorize(record, "experiments/write")
    mlc = client(record)
    mlc.restore_experiment(str(experiment_id))
    if new_name:
        mlc.rename_experiment(str(experiment_id), validate_name(new_name))
    return get_by_id(record, experiment_id)


def set_tags(record, experiment_id: str, tags: dict) -> None:
    """Set (or overwrite) experiment tags."""
    mlc = client(record)
    for key, value in tags.items():
        mlc.set_experiment_tag(str(experiment_id), str(key), "" if value is None else str(value))


def remove_tags(record, experiment_id: str, keys) -> None:
    """Remove experiment tags by key (absent keys are ignored)."""
    mlc = client(record)
    current = get_by_id(record, experiment_id).tags
    for key in keys:
        if key in current:
            mlc.delete_experiment_tag(str(experiment_id), key)


def _authorize(record, action: str) -> None:
    from sim.cloud import access

    access.authorize(record, f"Microsoft.MachineLearningServices/workspaces/{action}")
