"""What drift runs found, per monitor and period, and the shapes `get_output` returns them in.

One row per (run, period): the period's start and end, the drift coefficient, whether it crossed the monitor's
threshold, and each feature's metrics. `outputs` keeps the newest result per period start, as the service
de-duplicates results computed more than once for the same target date.
"""

from __future__ import annotations

import datetime as _dt

import sqlalchemy as sa

from sim.cloud import store
from sim.cloud.datadrift.monitors import DATASET_BASED

SCHEMA_VERSION = "0.1"
_metadata = sa.MetaData()
_results = sa.Table(
    "data_drift_results", _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("monitor_id", sa.String, nullable=False, index=True),
    sa.Column("run_id", sa.String, nullable=False, index=True),
    sa.Column("start_date", sa.String, nullable=False),
    sa.Column("end_date", sa.String, nullable=False),
    sa.Column("coefficient", sa.Float, nullable=False),
    sa.Column("drift_threshold", sa.Float, nullable=False),
    sa.Column("columns", sa.JSON, nullable=False),
    sa.Column("baseline_dataset_id", sa.String, nullable=False),
    sa.Column("target_dataset_id", sa.String, nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("created", sa.Float, nullable=False),
)


def _engine(record):
    engine = store.engine(record)
    store.ensure(_metadata, engine)
    return engine


def add(record, monitor, run_id: str, start: _dt.datetime, end: _dt.datetime, found: dict, rows: int) -> None:
    """Keep one period's result."""
    with _engine(record).begin() as conn:
        conn.execute(sa.insert(_results).values(
            monitor_id=monitor.id, run_id=run_id, start_date=start.isoformat(), end_date=end.isoformat(),
            coefficient=found["coefficient"], drift_threshold=monitor.drift_threshold, columns=found["columns"],
            baseline_dataset_id=monitor.baseline_dataset_id, target_dataset_id=monitor.target_dataset_id,
            rows=rows, created=_dt.datetime.now(_dt.UTC).timestamp()))


def rows_of(record, monitor_id: str, run_id: str | None = None, start=None, end=None) -> list[dict]:
    """The newest result per period start, oldest period first; of one run, or overlapping [start, end]."""
    query = sa.select(_results).where(_results.c.monitor_id == monitor_id).order_by(_results.c.created)
    if run_id is not None:
        query = query.where(_results.c.run_id == run_id)
    with _engine(record).connect() as conn:
        found = [dict(r._mapping) for r in conn.execute(query)]
    newest = {r["start_date"]: r for r in found}  # later rows win: the latest computation of a period
    kept = [r for r in newest.values() if _overlaps(r, start, end)]
    return sorted(kept, key=lambda r: r["start_date"])


def _overlaps(row: dict, start, end) -> bool:
    # A result belongs to the window when its period overlaps it (the service's rule), bounds included.
    return (end is None or row["start_date"] <= end.isoformat()) and \
        (start is None or row["end_date"] >= start.isoformat())


def outputs(rows: list[dict]) -> tuple[list, list]:
    """(results, metrics) in the shapes of DataDriftDetector.get_output for a dataset-based monitor."""
    if not rows:
        return [], []
    results = [{"has_drift": r["coefficient"] > r["drift_threshold"], "drift_threshold": r["drift_threshold"],
                "start_date": r["start_date"], "end_date": r["end_date"],
                "base_dataset_id": r["baseline_dataset_id"], "target_dataset_id": r["target_dataset_id"]}
               for r in rows]
    metrics = [{"schema_version": SCHEMA_VERSION, "start_date": r["start_date"], "end_date": r["end_date"],
                "baseline_dataset_id": r["baseline_dataset_id"], "target_dataset_id": r["target_dataset_id"],
                "dataset_metrics": [{"name": "datadrift_coefficient", "value": r["coefficient"]}],
                "column_metrics": [{name: [{"name": k, "value": v} for k, v in values.items()]}
                                   for name, values in r["columns"].items()]}
               for r in rows]
    return [{"drift_type": DATASET_BASED, "result": results}], [{"drift_type": DATASET_BASED, "metrics": metrics}]
