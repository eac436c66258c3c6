"""MLflow's copy of SDK-logged metrics, derived from the run's metrics table (the one truth).

A value logged with `run.log` is first a row of `state.run_metrics`; its numeric scalars are then copied into the
workspace's MLflow store with `log_batch`, so MLflow clients (`mlflow.get_run`, `mlflow ui`, the v2 SDK) see them.
The two cannot disagree for long: how far a run's rows have been copied is a watermark stored with the rows,
moved only after MLflow has committed, and every flush, read and run end copies what lies beyond it. A process
killed between MLflow's commit and the watermark leaves rows that are copied again: harmless, because each copy
carries the row's own timestamp and step, and MLflow's `log_batch` skips a metric it already holds with the same
key, value, timestamp and step.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sim.cloud import store
from sim.cloud.runs import state
from sim.cloud.runs.tracking import client

MLFLOW_BATCH = 1000  # MLflow's own limit of metrics per log_batch

metadata = MetaData()

# The highest `run_metrics.id` of a run already in MLflow.
mirrored = Table(
    "metric_mirror", metadata,
    Column("run_id", String, primary_key=True),
    Column("upto", Integer, nullable=False),
)


def _engine(record):
    eng = state.engine(record)
    store.ensure(metadata, eng)
    return eng


def watermark(record, run_id: str) -> int:
    """The id of the last metric row of the run that MLflow holds (0: none yet)."""
    with _engine(record).connect() as conn:
        return conn.execute(select(mirrored.c.upto).where(mirrored.c.run_id == run_id)).scalar() or 0


def copy_to_mlflow(record, run_id: str) -> int:
    """Copy the run's metric rows beyond the watermark into MLflow; returns how many values MLflow received."""
    upto = watermark(record, run_id)
    metrics_table = state.run_metrics
    query = (select(metrics_table.c.id, metrics_table.c.name, metrics_table.c.kind, metrics_table.c.value,
                    metrics_table.c.logged, metrics_table.c.step)
             .where(metrics_table.c.run_id == run_id, metrics_table.c.id > upto).order_by(metrics_table.c.id))
    with _engine(record).connect() as conn:
        rows = conn.execute(query).all()
    if not rows:
        return 0
    values = [_as_mlflow(row) for row in rows if _for_mlflow(row)]
    mlc = client(record) if values else None
    for start in range(0, len(values), MLFLOW_BATCH):
        mlc.log_batch(run_id, metrics=values[start:start + MLFLOW_BATCH], synchronous=True)
    _advance(record, run_id, rows[-1].id)
    return len(values)


def _for_mlflow(row) -> bool:
    # A row with no step predates this copy: it was written to MLflow directly when it was logged.
    from sim.cloud.runs.metrics import is_number

    return row.kind == "scalar" and row.step is not None and is_number(row.value)


def _as_mlflow(row):
    from mlflow.entities import Metric

    return Metric(row.name, float(row.value), int(row.logged * 1000), int(row.step))


def _advance(record, run_id: str, upto: int) -> None:
    with _engine(record).begin() as conn:
        conn.execute(sqlite_insert(mirrored).values(run_id=run_id, upto=0).on_conflict_do_nothing())
        conn.execute(update(mirrored).where(mirrored.c.run_id == run_id, mirrored.c.upto < upto).values(upto=upto))


def behind(record, run_id: str) -> bool:
    """True when some of the run's metric rows have not been copied to MLflow yet."""
    with _engine(record).connect() as conn:
        newest = conn.execute(select(state.run_metrics.c.id).where(state.run_metrics.c.run_id == run_id)
                              .order_by(state.run_metrics.c.id.desc()).limit(1)).scalar()
    return bool(newest) and newest > watermark(record, run_id)
