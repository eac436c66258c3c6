"""Run metrics: buffered writes (MLflow `log_batch` plus one SQL insert) and the SDK's read shapes.

One `run.log` costs a few microseconds: values wait in a `MetricBuffer` and are written together when
the buffer is full, when the oldest value has waited `MAX_AGE_SECONDS` (a background thread checks),
when the metrics are read, and when the run completes or the process exits.
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

from sqlalchemy import insert, select

from sim.cloud.errors import RUN, UserError
from sim.cloud.runs import errors, state
from sim.cloud.runs.tracking import client

MAX_BUFFERED = 5000          # values held before a write
MAX_AGE_SECONDS = 2.0        # a value never waits longer than this (checked on the next log call)
MLFLOW_BATCH = 1000          # MLflow's own limit of metrics per log_batch

_live: weakref.WeakSet = weakref.WeakSet()  # buffers of this process, flushed at exit
_flusher: dict[int, threading.Thread] = {}   # pid -> the background flusher of that process


def flush_all(older_than: float | None = None) -> None:
    """Write every buffer of this process that holds values (optionally only values waiting that long)."""
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
        except Exception:  # the store is busy or gone: the next tick or the final flush retries
            pass


def _ensure_flusher() -> None:
    pid = os.getpid()
    if pid not in _flusher:
        _flusher[pid] = threading.Thread(target=_flush_periodically, name="metric-flusher", daemon=True)
        _flusher[pid].start()


atexit.register(flush_all)


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
    return value  # NaN and infinities survive: the JSON column writes and reads them back


class MetricBuffer:
    """Metrics of one run waiting to be written.

    Args:
        record: the workspace record.
        run_id: the run the metrics belong to.
    """

    def __init__(self, record, run_id: str):
        self.record = record
        self.run_id = run_id
        self._rows: list[dict] = []
        self._mlflow: list = []
        self._steps: dict[str, int] = {}
        self.oldest = None
        self._lock = threading.Lock()         # guards the queues
        self._write_lock = threading.Lock()   # one flush at a time, so rows keep their logging order
        _live.add(self)
        _ensure_flusher()

    def add(self, name: str, kind: str, value, step=None) -> None:
        """Queue one logged value (a numeric scalar also goes to MLflow)."""
        now = time.time()
        with self._lock:
            self._rows.append({"run_id": self.run_id, "name": name, "kind": kind, "value": plain(value),
                               "logged": now})
            if kind == "scalar" and is_number(value):
                self._queue_mlflow(name, float(value), now, step)
            self.oldest = self.oldest or now
        if len(self._rows) >= MAX_BUFFERED or now - self.oldest >= MAX_AGE_SECONDS:
            self.flush()

    def _queue_mlflow(self, name, value, now, step):
        from mlflow.entities import Metric

        if step is None:
            step = self._steps.get(name, -1) + 1
        self._steps[name] = max(int(step), self._steps.get(name, -1))
        self._mlflow.append(Metric(name, value, int(now * 1000), int(step)))

    def flush(self) -> None:
        """Write everything queued: one SQL insert and MLflow batches of at most 1000."""
        with self._write_lock:
            with self._lock:
                rows, metrics = self._rows, self._mlflow
                self._rows, self._mlflow, self.oldest = [], [], None
            if rows:
                with state.engine(self.record).begin() as conn:
                    conn.execute(insert(state.run_metrics), rows)
            mlc = client(self.record) if metrics else None
            for start in range(0, len(metrics), MLFLOW_BATCH):
                mlc.log_batch(self.run_id, metrics=metrics[start:start + MLFLOW_BATCH], synchronous=True)

    def pending(self) -> int:
        """How many values wait to be written."""
        return len(self._rows)


def check_name(name) -> str:
    """A metric name must be a non-empty string."""
    if not isinstance(name, str) or not name:
        raise UserError(RUN, errors.LOG_BAD_VALUE.format(name=name, problem="the name must be a non-empty "
                                                                               "string"))
    return name


def get_metrics(record, run_id: str, name=None) -> dict:
    """All metrics of a run in the SDK's shapes (optionally only `name`)."""
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
