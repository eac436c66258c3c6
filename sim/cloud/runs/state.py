"""The service-side record of each run: Azure ML status, number, type, target, properties, errors.

MLflow holds what MLflow can hold (the run itself, numeric metrics, tags, artifacts); this table holds
what Azure ML adds on top. Runs that only MLflow knows (a learner's own `mlflow.start_run()`) are
adopted the first time the service looks at them, so they get a number and a status like any other.
"""

from __future__ import annotations

import json
import os
import time

from sqlalchemy import JSON, Column, Float, Index, Integer, MetaData, String, Table, func, select, update

from sim.cloud import store
from sim.cloud.errors import RUN, UserError

metadata = MetaData()

run_records = Table(
    "run_records", metadata,
    Column("run_id", String, primary_key=True),
    Column("experiment", String, nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("run_type", String, nullable=False),
    Column("status", String, nullable=False),
    Column("parent_run_id", String, index=True),
    Column("target", String, nullable=False, default="local"),
    Column("definition", JSON, nullable=False, default=dict),
    Column("properties", JSON, nullable=False, default=dict),
    Column("error", JSON),
    Column("pid", Integer),
    Column("created", Float, nullable=False),
    Column("started", Float),
    Column("ended", Float),
    # Listings read an experiment's runs newest first a page at a time; a new run's number is its experiment's
    # highest plus one; the jobs list reads the whole workspace newest first. Each has its index.
    Index("ix_run_records_experiment_created", "experiment", "created", "number"),
    Index("ix_run_records_experiment_number", "experiment", "number"),
    Index("ix_run_records_created", "created"),
)

# Metrics as the SDK logged them (kind: scalar, list, row, table, image), with their Python types kept: the one
# truth of SDK-logged metrics. Numeric scalars are copied to MLflow from here (`sim.cloud.runs.mirror`) at their
# MLflow `step`; a row without a step was written before that copy existed, directly to both.
run_metrics = Table(
    "run_metrics", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String, nullable=False, index=True),
    Column("name", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("value", JSON),
    Column("logged", Float, nullable=False),
    Column("step", Integer),
)
_ADDED_COLUMNS = (("run_metrics", "step", "INTEGER"),)  # columns a state.db made by an older version lacks
_migrated: set[int] = set()

# Azure ML run states, in the documented order a run moves through them.
NOT_STARTED, STARTING, PREPARING, QUEUED, RUNNING = "NotStarted", "Starting", "Preparing", "Queued", "Running"
FINALIZING, COMPLETED, FAILED, CANCELED = "Finalizing", "Completed", "Failed", "Canceled"
TERMINAL = (COMPLETED, FAILED, CANCELED)
# A run holds a node of its cluster from Running on: Preparing (image) comes before Queued (waiting for a node).
ACTIVE_ON_COMPUTE = (RUNNING, FINALIZING)

# How an Azure ML state shows in MLflow.
TO_MLFLOW = {NOT_STARTED: "SCHEDULED", QUEUED: "SCHEDULED", PREPARING: "SCHEDULED", STARTING: "SCHEDULED",
             RUNNING: "RUNNING", FINALIZING: "RUNNING", COMPLETED: "FINISHED", FAILED: "FAILED",
             CANCELED: "KILLED"}
FROM_MLFLOW = {"SCHEDULED": QUEUED, "RUNNING": RUNNING, "FINISHED": COMPLETED, "FAILED": FAILED,
               "KILLED": CANCELED}

INTERACTIVE, SCRIPT = "experimentrun", "azureml.scriptrun"


def engine(record):
    """The workspace's state engine with the run tables in place (and older tables given their new columns)."""
    eng = store.engine(record)
    store.ensure(metadata, eng)
    if id(eng) not in _migrated:
        _add_missing_columns(eng)
        _migrated.add(id(eng))
    return eng


def _add_missing_columns(eng) -> None:
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import OperationalError

    for table, column, sql_type in _ADDED_COLUMNS:
        if column in {c["name"] for c in inspect(eng).get_columns(table)}:
            continue
        try:
            with eng.begin() as conn:
                conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}"))
        except OperationalError:  # another process added it a moment ago ("duplicate column name")
            pass


def insert(record, run_id, experiment, run_type, status, *, parent_run_id=None, target="local",
           definition=None, properties=None, created=None, ended=None) -> dict:
    """Record a new run; its number is the next one in its experiment.

    The number is computed inside the INSERT itself, so two processes starting runs at the same moment
    (SQLite serializes writers) never get the same number.
    """
    row = dict(run_id=run_id, experiment=experiment, run_type=run_type, status=status,
               parent_run_id=parent_run_id, target=target, definition=definition or {},
               properties=properties or {}, error=None, pid=None, created=created or time.time(),
               started=time.time() if status == RUNNING else None, ended=ended)
    next_number = (select(func.coalesce(func.max(run_records.c.number), 0) + 1)
                   .where(run_records.c.experiment == experiment).scalar_subquery())
    with engine(record).begin() as conn:
        conn.execute(run_records.insert().values(**row, number=next_number))
        row["number"] = conn.execute(select(run_records.c.number)
                                     .where(run_records.c.run_id == run_id)).scalar_one()
    return row


def insert_many(record, experiment, run_ids, run_type, status, created, *, parent_run_id=None) -> list[dict]:
    """Record many new runs in one transaction, numbered one after another in their experiment.

    The first row takes its number inside its INSERT, as `insert` does, which also takes SQLite's write lock:
    no other process can number a run of the experiment until the batch is committed.
    """
    started = status == RUNNING or status in TERMINAL
    rows = [dict(run_id=run_id, experiment=experiment, run_type=run_type, status=status, parent_run_id=parent_run_id,
                 target="local", definition={}, properties={}, error=None, pid=None, created=when,
                 started=when if started else None, ended=when if status in TERMINAL else None)
            for run_id, when in zip(run_ids, created, strict=True)]
    next_number = (select(func.coalesce(func.max(run_records.c.number), 0) + 1)
                   .where(run_records.c.experiment == experiment).scalar_subquery())
    with engine(record).begin() as conn:
        conn.execute(run_records.insert().values(**rows[0], number=next_number))
        first = conn.execute(select(run_records.c.number).where(run_records.c.run_id == rows[0]["run_id"])).scalar_one()
        for offset, row in enumerate(rows):
            row["number"] = first + offset
        if len(rows) > 1:
            conn.execute(run_records.insert(), rows[1:])
    return rows


def overwrite_adopted(record, run_id, run_type, status, *, parent_run_id=None, target="local",
                      definition=None) -> dict:
    """Give a run the record it was created with, over the one a concurrent listing adopted it with.

    A new run exists in MLflow a moment before its service record; a listing in another thread or
    process in that moment adopts it as an interactive run. The creator's values win.
    """
    values = dict(run_type=run_type, status=status, parent_run_id=parent_run_id, target=target,
                  definition=definition or {}, started=time.time() if status == RUNNING else None, ended=None)
    with engine(record).begin() as conn:
        conn.execute(update(run_records).where(run_records.c.run_id == run_id).values(**values))
    return get(record, run_id)


def get(record, run_id) -> dict | None:
    """The stored record of a run, or None when the service never saw it."""
    with engine(record).connect() as conn:
        row = conn.execute(select(run_records).where(run_records.c.run_id == run_id)).mappings().first()
    return dict(row) if row else None


def list_for(record, experiment=None, parent_run_id=None) -> list[dict]:
    """Records of an experiment's runs or of a run's children, oldest first."""
    query = select(run_records).order_by(run_records.c.created, run_records.c.number)
    if experiment is not None:
        query = query.where(run_records.c.experiment == experiment)
    if parent_run_id is not None:
        query = query.where(run_records.c.parent_run_id == parent_run_id)
    with engine(record).connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def set_status(record, run_id, status, *, error=None, pid=None, only_if_active=True) -> bool:
    """Move a run to `status` (a finished run never moves again unless `only_if_active` is False).

    Returns:
        True when the status changed.
    """
    values = {"status": status}
    now = time.time()
    if status == RUNNING:
        values["started"] = now
    if status in TERMINAL:
        values["ended"] = now
    if error is not None:
        values["error"] = error
    if pid is not None:
        values["pid"] = pid
    query = update(run_records).where(run_records.c.run_id == run_id)
    if only_if_active:
        query = query.where(run_records.c.status.not_in(TERMINAL))
    with engine(record).begin() as conn:
        return conn.execute(query.values(**values)).rowcount > 0


def set_pid(record, run_id, pid) -> None:
    """Remember which process supervises a submitted run."""
    with engine(record).begin() as conn:
        conn.execute(update(run_records).where(run_records.c.run_id == run_id).values(pid=pid))


def add_properties(record, run_id, properties: dict) -> dict:
    """Merge new properties into a run's (existing keys must keep their value); returns them all."""
    from sim.cloud.runs import errors

    with engine(record).begin() as conn:
        current = conn.execute(select(run_records.c.properties)
                               .where(run_records.c.run_id == run_id)).scalar_one()
        merged = dict(current or {})
        for key, value in properties.items():
            value = str(value)
            if key in merged and merged[key] != value:
                raise UserError(RUN, errors.PROPERTY_IMMUTABLE.format(key=key, old=merged[key], run_id=run_id))
            merged[key] = value
        conn.execute(update(run_records).where(run_records.c.run_id == run_id).values(properties=merged))
    return merged


def count_active_on(record, target: str) -> int:
    """How many runs hold nodes of a compute target right now (dead supervisors are cleaned first)."""
    with engine(record).connect() as conn:
        rows = conn.execute(select(run_records.c.run_id, run_records.c.pid)
                            .where(run_records.c.target == target,
                                   run_records.c.status.in_(ACTIVE_ON_COMPUTE))).all()
    alive = 0
    for run_id, pid in rows:
        if pid and not process_alive(pid):
            mark_lost(record, run_id)
        else:
            alive += 1
    return alive


def process_alive(pid: int) -> bool:
    """True when `pid` is a live process (a zombie that was never reaped counts as dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def mark_lost(record, run_id) -> None:
    """Fail a run whose supervising process vanished without finishing it."""
    error = {"error": {"code": "ServiceError", "message": "The process running this job exited unexpectedly "
                                                          "before the run finished."}}
    set_status(record, run_id, FAILED, error=error)


def dumps(value) -> str:
    """JSON text of a stored value (used for logs and details)."""
    return json.dumps(value, default=str)
