"""Run metrics: a write-ahead journal per logging process, the metrics table as the one truth, the SDK's shapes.

One `run.log` costs a few microseconds and is durable when it returns: the value is appended to the run's
journal (`sim.cloud.runs.journal`), which survives a kill -9 of the logging process. The journal's lines are
taken into `state.run_metrics` in one insert when many wait (`MAX_BUFFERED`), when the oldest has waited
`MAX_AGE_SECONDS` (a background thread checks), when the metrics are read, and when the run ends or the process
exits; numeric scalars are then copied to MLflow from there (`sim.cloud.runs.mirror`), so the two stores never
disagree once settled. A reader settles a run first, so it also sees what a killed process acknowledged.
`get_metrics` returns what the real SDK returns: a scalar for a metric logged once, a list for one
logged many times or with `log_list`, and a dict of lists for rows and tables.
"""

from __future__ import annotations

import atexit
import numbers
import os
import threading
import time
import weakref

from sqlalchemy import select

from sim.cloud.errors import RUN, UserError
from sim.cloud.runs import errors, journal, mirror, state
from sim.cloud.runs.tracking import client

MAX_BUFFERED = 5000          # values journaled before they are taken into the metrics table
MAX_AGE_SECONDS = 2.0        # a value never waits longer than this (checked on the next log call)
MLFLOW_BATCH = mirror.MLFLOW_BATCH

_live: weakref.WeakSet = weakref.WeakSet()  # journals of this process, settled at exit
_flusher: dict[int, threading.Thread] = {}   # pid -> the background flusher of that process


def flush_all(older_than: float | None = None) -> None:
    """Settle every journal of this process that holds values (optionally only values waiting that long)."""
    now = time.time()
    for buffer in list(_live):
        if buffer.pending() and (older_than is None or now - (buffer.oldest or now) >= older_than):
            buffer.flush()


def _flush_periodically() -> None:
    # A script that logs once and then trains for minutes should still show its metric meanwhile.
    while True:
        time.sleep(MAX_AGE_SECONDS / 2)
        try:
            flush_all(older_than=MAX_AGE_SECONDS)
        except Exception:  # the store is busy or gone: the journal keeps the values for the next try
            pass


def _ensure_flusher() -> None:
    pid = os.getpid()
    if pid not in _flusher:
        _flusher[pid] = threading.Thread(target=_flush_periodically, name="metric-flusher", daemon=True)
        _flusher[pid].start()


def close_all() -> None:
    """Settle and remove every journal of this process (at its end, or a job's)."""
    for buffer in list(_live):
        buffer.close()


atexit.register(close_all)


def is_number(value) -> bool:
    """True for ints/floats (numpy ones too) but not bools, which the SDK keeps as bools."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def plain(value):
    """A JSON-able copy of a logged value (numpy scalars and arrays become Python ones)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value  # NaN and infinities survive: the journal and the JSON column write and read them back


class MetricJournal:
    """Metrics one process logs to one run: journaled at once, taken into the metrics table in batches.

    Args:
        record: the workspace record.
        run_id: the run the metrics belong to.
    """

    def __init__(self, record, run_id: str):
        self.record = record
        self.run_id = run_id
        self._writer = journal.Writer(record, run_id)
        self._steps: dict[str, int] = {}
        self._waiting = 0
        self.oldest = None
        self._lock = threading.Lock()         # one append at a time: lines never interleave
        self._write_lock = threading.Lock()   # one flush at a time
        _live.add(self)
        _ensure_flusher()

    def add(self, name: str, kind: str, value, step=None) -> None:
        """Journal one logged value (durable on return); a numeric scalar gets its MLflow step.

        Raises:
            UserError: the value cannot be stored (e.g. an object JSON cannot hold).
        """
        now = time.time()
        value = plain(value)
        with self._lock:
            mlflow_step = self._next_step(name, step) if kind == "scalar" and is_number(value) else None
            self._writer.append(self._encoded(name, kind, value, now, mlflow_step))
            self._waiting += 1
            self.oldest = self.oldest or now
        if self._waiting >= MAX_BUFFERED or now - self.oldest >= MAX_AGE_SECONDS:
            self.flush()

    def _encoded(self, name, kind, value, now, step) -> bytes:
        try:
            return journal.encode(name, kind, value, now, step)
        except (TypeError, ValueError) as exc:
            raise UserError(RUN, errors.LOG_BAD_VALUE.format(
                name=name, problem=f"the value cannot be stored as JSON ({exc})")) from exc

    def _next_step(self, name: str, step) -> int:
        if step is None:
            step = self._steps.get(name, -1) + 1
        self._steps[name] = max(int(step), self._steps.get(name, -1))
        return int(step)

    def flush(self) -> None:
        """Take what is journaled into the run's metrics table, then copy it to MLflow."""
        with self._write_lock:
            with self._lock:
                self._waiting, self.oldest = 0, None
            settle(self.record, self.run_id)

    def close(self) -> None:
        """Settle and remove this process's journal of the run (at the run's end or the process's exit)."""
        with self._write_lock, self._lock:
            self._writer.close()
            self._waiting, self.oldest = 0, None
        mirror.copy_to_mlflow(self.record, self.run_id)

    def pending(self) -> int:
        """How many values were journaled since the last flush."""
        return self._waiting


def settle(record, run_id: str) -> None:
    """Bring a run's metrics up to date: every journal taken into the table, the table copied to MLflow."""
    journal.settle(record, run_id)
    mirror.copy_to_mlflow(record, run_id)


def check_name(name) -> str:
    """A metric name must be a non-empty string."""
    if not isinstance(name, str) or not name:
        raise UserError(RUN, errors.LOG_BAD_VALUE.format(name=name, problem="the name must be a non-empty "
                                                                               "string"))
    return name


def get_metrics(record, run_id: str, name=None) -> dict:
    """All metrics of a run in the SDK's shapes (optionally only `name`), journaled values included."""
    _settle_for_read(record, run_id)
    with state.engine(record).connect() as conn:
        query = select(state.run_metrics.c.name, state.run_metrics.c.kind, state.run_metrics.c.value)
        query = query.where(state.run_metrics.c.run_id == run_id)
        if name is not None:
            query = query.where(state.run_metrics.c.name == name)
        rows = conn.execute(query.order_by(state.run_metrics.c.id)).all()
    grouped: dict[str, tuple[str, list]] = {}
    for metric, kind, value in rows:
        grouped.setdefault(metric, (kind, []))[1].append(value)
    shaped = {metric: _shape(kind, values) for metric, (kind, values) in grouped.items()}
    for metric, values in _mlflow_only(record, run_id, set(shaped), name).items():
        shaped[metric] = values[0] if len(values) == 1 else values
    return shaped


def _settle_for_read(record, run_id: str) -> None:
    from mlflow.exceptions import MlflowException
    from sqlalchemy.exc import OperationalError

    journal.settle(record, run_id)  # the truth: a failure here is the reader's to see
    try:
        mirror.copy_to_mlflow(record, run_id)
    except (MlflowException, OperationalError):  # MLflow busy: its copy catches up on the next flush or read
        pass


def _shape(kind: str, values: list):
    if kind in ("scalar", "image"):
        return values[0] if len(values) == 1 else values
    if kind == "list":
        return [item for value in values for item in value]
    if kind == "row":
        columns: dict[str, list] = {}
        for row in values:
            for key, cell in row.items():
                columns.setdefault(key, []).append(cell)
        return columns
    if kind == "table":
        table: dict[str, list] = {}
        for part in values:
            for key, cells in part.items():
                table.setdefault(key, []).extend(cells)
        return table
    return values[0] if len(values) == 1 else values


def _mlflow_only(record, run_id, known: set, name) -> dict[str, list]:
    """Metrics written with the mlflow API directly (not through the SDK), oldest value first."""
    mlc = client(record)
    keys = [k for k in mlc.get_run(run_id).data.metrics if k not in known and (name is None or k == name)]
    out = {}
    for key in keys:
        history = sorted(mlc.get_metric_history(run_id, key), key=lambda m: (m.timestamp, m.step))
        out[key] = [_as_logged(m.value) for m in history]
    return out


def _as_logged(value: float):
    # MLflow stores floats; a whole number was almost always logged as an int (row counts, epochs).
    return int(value) if float(value).is_integer() else value
