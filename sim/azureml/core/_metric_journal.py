"""`run.log` in a process that reaches `sim.cloud` only through the service (a sandboxed lab kernel).

Why a journal and not a call per value: a call to the service costs a round trip (about a millisecond), so 10,000
`run.log` calls would cost ten seconds, and the goal is ≥ 30× faster than `mlflow.log_metric` per call. Why not a
buffer sent in batches: values waiting in a buffer die with a killed kernel, and an acknowledged `run.log` must
survive a kill -9. So the kernel keeps the in-process design (`sim.cloud.runs.metrics.MetricJournal`): one
`os.write` per value to an append-only journal file, but the file is one the service made for this run
(`journal.open_external`) in a folder the sandbox keeps writable, and the service, not the kernel, takes its lines
into the run's metrics (on a flush, a read or the run's end). The kernel never opens the workspace's state.
"""

from __future__ import annotations

import os

import sim.cloud.runs.journal
import sim.cloud.runs.metrics
from sim.azureml._common.cloud import cloud

_journal = cloud(sim.cloud.runs.journal)
_metrics = cloud(sim.cloud.runs.metrics)


class ExternalWriter:
    """This process's journal file of one run, made by the service; `append` returns once the OS has the line."""

    def __init__(self, record, run_id: str):
        self.record, self.run_id = record, run_id
        self.path = None
        self._fd = None
        self._pid = None

    def append(self, line: bytes) -> None:
        """Append one encoded line (a forked child asks for a file of its own)."""
        if self._pid != os.getpid():
            self.path = _journal.open_external(self.record, self.run_id)
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
            self._pid = os.getpid()
        written = os.write(self._fd, line)
        while written < len(line):
            written += os.write(self._fd, line[written:])

    def close(self) -> None:
        """Stop writing; the service takes the file's lines in and removes it."""
        if self._pid != os.getpid() or self._fd is None:
            return
        os.close(self._fd)
        self._fd, self._pid = None, None
        _journal.close_external(self.record, self.path)


class ServiceMetricJournal(sim.cloud.runs.metrics.MetricJournal):
    """`MetricJournal` whose file the service made and whose settling the service does."""

    def __init__(self, record, run_id: str):
        super().__init__(record, run_id)
        self._writer = ExternalWriter(record, run_id)

    def flush(self) -> None:
        """Have the service take what is journaled into the run's metrics."""
        with self._write_lock:
            with self._lock:
                self._waiting, self.oldest = 0, None
            _metrics.settle(self.record, self.run_id)

    def close(self) -> None:
        """Hand the file to the service (it takes the lines in and removes it)."""
        with self._write_lock, self._lock:
            self._waiting, self.oldest = 0, None
            self._writer.close()
