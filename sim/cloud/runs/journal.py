"""The write-ahead journal of logged metrics: what makes an acknowledged `run.log` durable.

Each process that logs to a run appends one line per value to its own file,
`<workspace>/metric-journal/<run id>/<writer>.jsonl`, with one `os.write` on an `O_APPEND` descriptor before
`run.log` returns. That puts the line in the kernel's page cache: it survives a kill -9 of the logging process
(not a power cut, which would need an fsync per call and cost the performance goal; the simulator's promise is
about processes, as a real SDK's is about its upload). Nothing is held in Python buffers.

Lines reach the run's metrics table (`state.run_metrics`, the one truth of SDK-logged metrics) by `consume`,
which any process may call at any time: the logging process when enough lines wait, a reader before it reads,
the run's end. How far each file has been taken is stored next to the rows, in the same transaction and moved
only by a compare-and-set, so a line is taken exactly once however many processes consume at once and whoever
is killed midway. A line without its newline is a write that never returned (it was never acknowledged) and is
left alone.

A writer is named after its process's owner token (pid and start time, `sim._owner`), so a reader can tell the
file of a process that has ended, and removes it once everything in it has been taken.

A sandboxed lab kernel cannot see the workspace's folder (the simulated Azure runs as its own service there). It
asks the service for a journal file instead (`open_external`): the service makes it under `external_root()`, a
folder the sandbox keeps writable, and records it for the run; the kernel appends to it exactly as above, and the
service takes its lines in whenever it settles the run (a read, a flush, the run's end), so a kill -9 of the kernel
loses nothing it acknowledged. Only files the service made and recorded for an existing run are ever read.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dp100 import paths
from sim import _owner
from sim.cloud import store
from sim.cloud.runs import state

FOLDER = "metric-journal"
SUFFIX = ".jsonl"

metadata = MetaData()

# How many bytes of each journal file are in `run_metrics` (the key is '<run id>/<file name>'). A row outlives its
# file on purpose: a consumer that read the file before it was removed must find the old offset, not a fresh 0.
journals = Table(
    "metric_journals", metadata,
    Column("path", String, primary_key=True),
    Column("consumed", Integer, nullable=False),
)

# Journal files the service made for sandboxed writers (`open_external`), by run.
external_journals = Table(
    "metric_external_journals", metadata,
    Column("path", String, primary_key=True),
    Column("run_id", String, nullable=False, index=True),
)


class _Raced(Exception):
    """Another process took the same lines first (the compare-and-set found a different offset)."""


def run_folder(record, run_id: str) -> Path:
    """The folder of a run's journal files."""
    return record.folder / FOLDER / run_id


def encode(name: str, kind: str, value, logged: float, step: int | None) -> bytes:
    """One journal line. Raises TypeError or ValueError for a value JSON cannot hold."""
    return (json.dumps([name, kind, value, logged, step], allow_nan=True) + "\n").encode()


class Writer:
    """The journal file of one run in this process; `append` returns once the line is in the OS's hands."""

    def __init__(self, record, run_id: str):
        self.record = record
        self.run_id = run_id
        self._fd = None
        self._pid = None
        self.path = None

    def append(self, line: bytes) -> None:
        """Append one encoded line (a forked child gets a file of its own on its first line)."""
        if self._pid != os.getpid():
            self._open()
        written = os.write(self._fd, line)
        while written < len(line):  # a regular file writes everything at once, but never assume it
            written += os.write(self._fd, line[written:])

    def _open(self) -> None:
        folder = run_folder(self.record, self.run_id)
        for private in (folder.parent, folder):  # 0700 whatever the umask: what a learner logs is theirs alone
            private.mkdir(mode=0o700, exist_ok=True)
        writer = _owner.token().replace(":", "-")
        self.path = folder / f"{writer}-{secrets.token_hex(4)}{SUFFIX}"
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)
        self._pid = os.getpid()

    def close(self) -> None:
        """Stop writing: take what the file holds into the run's metrics, then remove the file."""
        if self._pid != os.getpid() or self._fd is None:
            return
        os.close(self._fd)
        self._fd, self._pid = None, None
        consume(self.record, self.path)
        self.path.unlink(missing_ok=True)


def _engine(record):
    eng = state.engine(record)
    store.ensure(metadata, eng)
    return eng


def _key(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def consumed(record, path: Path) -> int:
    """How many bytes of a journal file are already in the run's metrics."""
    with _engine(record).connect() as conn:
        found = conn.execute(select(journals.c.consumed).where(journals.c.path == _key(path))).scalar()
    return found or 0


def consume(record, path: Path) -> int:
    """Move the complete lines of one journal file that are not taken yet into the run's metrics.

    Returns:
        How many values were taken (0 when there was nothing new, or another process took them first).
    """
    done = consumed(record, path)
    try:
        with open(path, "rb") as handle:
            handle.seek(done)
            data = handle.read()
    except FileNotFoundError:  # its writer removed it after taking everything
        return 0
    end = data.rfind(b"\n") + 1
    if not end:
        return 0
    rows = [row for line in data[:end].splitlines() if (row := _row(path.parent.name, line)) is not None]
    try:
        _commit(record, path, done, done + end, rows)
    except _Raced:
        return 0
    return len(rows)


def _commit(record, path: Path, start: int, end: int, rows: list[dict]) -> None:
    key = _key(path)
    with _engine(record).begin() as conn:
        conn.execute(sqlite_insert(journals).values(path=key, consumed=0).on_conflict_do_nothing())
        moved = conn.execute(update(journals).where(journals.c.path == key, journals.c.consumed == start)
                             .values(consumed=end)).rowcount
        if not moved:
            raise _Raced  # rolls the transaction back: those lines are someone else's now
        if rows:
            conn.execute(state.run_metrics.insert(), rows)


def _row(run_id: str, line: bytes) -> dict | None:
    try:
        name, kind, value, logged, step = json.loads(line)
    except ValueError:  # cannot happen for a line with its newline; skipped rather than blocking the rest
        return None
    return {"run_id": run_id, "name": name, "kind": kind, "value": value, "logged": logged, "step": step}


def settle(record, run_id: str) -> int:
    """Take every journal line of a run into its metrics; remove the files of writers that have ended.

    Returns:
        How many values were taken.
    """
    taken = sum(consume(record, path) for path in _external_paths(record, run_id))
    folder = run_folder(record, run_id)
    if not folder.is_dir():
        return taken
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        taken += consume(record, path)
        if not _writer_alive(path):
            _remove_if_taken(record, path)
    return taken


def _writer_alive(path: Path) -> bool:
    pid, started, _ = (path.name[: -len(SUFFIX)].split("-") + ["", ""])[:3]
    return _owner.alive(f"{pid}:{started}")


def _remove_if_taken(record, path: Path) -> None:
    try:
        with open(path, "rb") as handle:
            handle.seek(consumed(record, path))
            rest = handle.read()
    except FileNotFoundError:
        return
    # What is left without a newline is a write its writer died inside: it was never acknowledged.
    if b"\n" not in rest:
        path.unlink(missing_ok=True)


def external_root() -> Path:
    """The folder of journal files for sandboxed writers (made 0700; a lab kernel's sandbox binds it writable)."""
    return paths.subdir("kernels", "metric-journals")


def open_external(record, run_id: str) -> Path:
    """Make an empty journal file for a writer that cannot see the workspace's folder; returns its path.

    Raises:
        NotFound: when the run does not exist.
    """
    from sim.cloud.runs import lifecycle

    lifecycle.record_of(record, run_id)  # a file only for a run that is there
    folder = external_root() / (record.workspace_id or record.name) / run_id
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"ext-{secrets.token_hex(8)}{SUFFIX}"
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    with _engine(record).begin() as conn:
        conn.execute(external_journals.insert().values(path=str(path), run_id=run_id))
    return path


def close_external(record, path) -> int:
    """Take what a sandboxed writer's file holds into its run's metrics, then remove the file (its writer is done).

    Returns:
        How many values were taken (0 for a path the service never made: nothing is read then).
    """
    path = Path(path)
    if path not in _external_paths(record, run_id=None, path=path):
        return 0
    taken = consume(record, path)
    path.unlink(missing_ok=True)
    with _engine(record).begin() as conn:
        conn.execute(external_journals.delete().where(external_journals.c.path == str(path)))
    return taken


def _external_paths(record, run_id: str | None, path: Path | None = None) -> list[Path]:
    query = select(external_journals.c.path)
    query = query.where(external_journals.c.run_id == run_id) if path is None else \
        query.where(external_journals.c.path == str(path))
    with _engine(record).connect() as conn:
        return [Path(found) for found in conn.execute(query).scalars()]


def has_pending(record, run_id: str) -> bool:
    """True when the run has journal files (values logged and maybe not taken yet)."""
    folder = run_folder(record, run_id)
    return folder.is_dir() and any(folder.glob(f"*{SUFFIX}"))

