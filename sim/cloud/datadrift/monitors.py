"""Dataset monitors (data drift detectors): what the service keeps of each, by workspace.

A monitor compares a baseline tabular dataset with a target tabular dataset that has a timestamp column, on a
compute cluster, per period of its frequency (Day, Week or Month). Its state is Enabled or Disabled (its schedule),
or Deleted.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa

from sim import messages
from sim.cloud import store
from sim.cloud.errors import DATASET, Conflict, NotFound, UserError

FREQUENCIES = ("Day", "Week", "Month")
DEFAULT_FREQUENCY = "Week"
DEFAULT_THRESHOLD = 0.2
DEFAULT_COMPUTE = "cpu-cluster"  # Workspace.DEFAULT_CPU_CLUSTER_NAME: the cluster a monitor uses when told none
ENABLED, DISABLED, DELETED = "Enabled", "Disabled", "Deleted"
DATASET_BASED = "DatasetBased"

_metadata = sa.MetaData()
_monitors = sa.Table(
    "data_drift_monitors", _metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("name", sa.String, nullable=False, index=True),
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("state", sa.String, nullable=False),
    sa.Column("created", sa.String, nullable=False),
)
SETTINGS = ("baseline_dataset_id", "target_dataset_id", "compute_target", "frequency", "interval", "feature_list",
            "drift_threshold", "latency", "alert_emails", "schedule_start")
# What `update` may change (as DataDriftDetector.update): the datasets, frequency and latency are fixed at creation.
UPDATABLE = ("compute_target", "feature_list", "drift_threshold", "alert_emails", "schedule_start")
STATES = (ENABLED, DISABLED, DELETED)


@dataclass
class Monitor:
    """A monitor as the service keeps it."""

    id: str
    name: str
    state: str
    created: str
    settings: dict = field(default_factory=dict)

    def __getattr__(self, name):
        if name in SETTINGS:
            return self.settings.get(name)
        raise AttributeError(name)


def _engine(record):
    engine = store.engine(record)
    store.ensure(_metadata, engine)
    return engine


def check_settings(frequency=None, drift_threshold=None, latency=None, feature_list=None) -> dict:
    """The settings with their defaults, refusing values the service would not take."""
    frequency = frequency or DEFAULT_FREQUENCY
    if frequency not in FREQUENCIES:
        raise UserError(DATASET, messages.DRIFT_FREQUENCY.format(value=frequency))
    threshold = DEFAULT_THRESHOLD if drift_threshold is None else drift_threshold
    if not isinstance(threshold, int | float) or isinstance(threshold, bool) or not 0 <= threshold <= 1:
        raise UserError(DATASET, messages.DRIFT_THRESHOLD.format(value=drift_threshold))
    latency = 0 if latency is None else latency
    if not isinstance(latency, int) or isinstance(latency, bool) or latency < 0:
        raise UserError(DATASET, messages.DRIFT_LATENCY.format(value=latency))
    if feature_list is not None and (not isinstance(feature_list, list | tuple)
                                     or not all(isinstance(f, str) for f in feature_list)):
        raise UserError(DATASET, messages.DRIFT_FEATURES.format(value=feature_list))
    return {"frequency": frequency, "interval": 1, "drift_threshold": float(threshold), "latency": latency,
            "feature_list": list(feature_list) if feature_list else None}


def create(record, name: str, baseline_dataset_id: str, target_dataset_id: str, compute_target: str | None,
           settings: dict, alert_emails: list[str] | None = None) -> Monitor:
    """A new monitor (Disabled until its schedule is enabled).

    Raises:
        Conflict: a monitor of that name exists in the workspace.
    """
    if not isinstance(name, str) or not name.strip():
        raise UserError(DATASET, messages.DRIFT_NAME.format(name=name))
    if find(record, name) is not None:
        raise Conflict(DATASET, messages.DRIFT_EXISTS.format(name=name))
    _check_datasets(record, baseline_dataset_id, target_dataset_id)
    values = {**settings, "baseline_dataset_id": baseline_dataset_id, "target_dataset_id": target_dataset_id,
              "compute_target": compute_target or DEFAULT_COMPUTE, "alert_emails": list(alert_emails or []),
              "schedule_start": None}
    monitor = Monitor(str(uuid.uuid4()), name, DISABLED, _dt.datetime.now(_dt.UTC).isoformat(), values)
    with _engine(record).begin() as conn:
        conn.execute(sa.insert(_monitors).values(id=monitor.id, name=name, settings=values, state=monitor.state,
                                                 created=monitor.created))
    return monitor


def _check_datasets(record, baseline_dataset_id: str, target_dataset_id: str) -> None:
    """Both datasets exist in the workspace, and the target has a timestamp column (the service checks what a
    caller names, rather than failing the first drift run later)."""
    from sim.cloud import datasets

    datasets.get_by_id(record, baseline_dataset_id)
    stamps = datasets.get_by_id(record, target_dataset_id).definition.get("timestamp_columns") or {}
    if not (stamps.get("timestamp") or stamps.get("partition_timestamp")):
        raise UserError(DATASET, messages.DRIFT_TARGET_TIMESTAMP)


def find(record, name: str) -> Monitor | None:
    """The monitor called `name` (not deleted), or None."""
    with _engine(record).connect() as conn:
        row = conn.execute(sa.select(_monitors).where(_monitors.c.name == name, _monitors.c.state != DELETED)).first()
    return _from_row(row) if row else None


def get(record, name: str) -> Monitor:
    """The monitor called `name`; NotFound when there is none."""
    found = find(record, name)
    if found is None:
        raise NotFound(DATASET, messages.DRIFT_NOT_FOUND.format(name=name))
    return found


def get_by_id(record, monitor_id: str) -> Monitor:
    """The monitor with id `monitor_id` (a deleted one too); NotFound when there is none."""
    with _engine(record).connect() as conn:
        row = conn.execute(sa.select(_monitors).where(_monitors.c.id == monitor_id)).first()
    if row is None:
        raise NotFound(DATASET, messages.DRIFT_NOT_FOUND.format(name=monitor_id))
    return _from_row(row)


def list_monitors(record, baseline_dataset_id: str | None = None, target_dataset_id: str | None = None):
    """The workspace's monitors (not deleted), oldest first, optionally of given datasets."""
    with _engine(record).connect() as conn:
        rows = conn.execute(sa.select(_monitors).where(_monitors.c.state != DELETED)
                            .order_by(_monitors.c.created)).all()
    found = [_from_row(r) for r in rows]
    return [m for m in found if baseline_dataset_id in (None, m.baseline_dataset_id)
            and target_dataset_id in (None, m.target_dataset_id)]


def update(record, monitor_id: str, state: str | None = None, **settings) -> Monitor:
    """Change a monitor's settings (those in `UPDATABLE`) and/or state.

    Raises:
        UserError: a setting that cannot change after creation, or a state that is not Enabled, Disabled or Deleted.
    """
    fixed = sorted(set(settings) - set(UPDATABLE))
    if fixed:
        raise UserError(DATASET, messages.DRIFT_NOT_UPDATABLE.format(names=", ".join(fixed),
                                                                     allowed=", ".join(UPDATABLE)))
    if state is not None and state not in STATES:
        raise UserError(DATASET, messages.DRIFT_STATE.format(value=state))
    monitor = get_by_id(record, monitor_id)
    values = {**monitor.settings, **_checked(settings)}
    if state == ENABLED and not values.get("schedule_start"):
        values["schedule_start"] = _dt.datetime.now(_dt.UTC).isoformat()
    with _engine(record).begin() as conn:
        conn.execute(sa.update(_monitors).where(_monitors.c.id == monitor_id)
                     .values(settings=values, state=state or monitor.state))
    return get_by_id(record, monitor_id)


def _checked(settings: dict) -> dict:
    """Changed settings, the threshold and feature list checked as at creation (callers are learner kernels)."""
    checked = check_settings(drift_threshold=settings.get("drift_threshold"), feature_list=settings.get("feature_list"))
    return {**settings, **{key: checked[key] for key in ("drift_threshold", "feature_list") if key in settings}}


def _from_row(row) -> Monitor:
    return Monitor(row.id, row.name, row.state, row.created, dict(row.settings))
