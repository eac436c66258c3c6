"""Per-workspace SQL state: one cached SQLAlchemy engine per workspace `state.db`.

Several processes (the app, a lab kernel, submitted scripts, graders) open the same file, so SQLite
runs in WAL mode with a busy timeout. Each cloud module declares its tables on its own `MetaData()` and
calls `ensure(metadata, engine)` before use; `create_all` then runs once per (metadata, engine).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, event

BUSY_TIMEOUT_MS = 30_000
# Set in a lab kernel whose sandbox hides DP100_HOME: what it would write here lands in an empty private folder and
# is lost, so every way into the state refuses with a sentence instead (the service is the way in there).
STATE_HIDDEN_ENV = "DP100_STATE_HIDDEN"

_lock = threading.Lock()
_ensure_lock = threading.Lock()  # apart from _lock: a create_all may wait on SQLite while others open engines
_engines: dict[tuple[int, str, str], Engine] = {}
_ensured: set[tuple[int, int]] = set()


def _on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class StateNotHere(RuntimeError):
    """This process cannot reach the simulated Azure's state (a sandboxed kernel): only the service can."""


def require_state_here(what: str) -> None:
    """Refuse, with a sentence naming `what`, when this process's view of DP100_HOME is hidden by its sandbox.

    Raises:
        StateNotHere: in a kernel whose sandbox hides DP100_HOME (env `STATE_HIDDEN_ENV`).
    """
    if os.environ.get(STATE_HIDDEN_ENV) == "1":
        from sim import messages

        raise StateNotHere(messages.SIM_SERVICE_STATE_HIDDEN.format(what=what))


def engine_for_path(db_path: Path, generation: str = "") -> Engine:
    """A cached engine on the SQLite file `db_path` (per process: a forked child gets its own).

    Args:
        db_path: the SQLite file.
        generation: tells apart files re-created at the same path (a workspace deleted and created again,
            perhaps by another process), whose old pooled connections would point at the deleted file.
    """
    require_state_here(f"Opening {Path(db_path).name}")
    key = (os.getpid(), str(Path(db_path).resolve()), generation)
    with _lock:
        cached = _engines.get(key)
        if cached is None:
            cached = create_engine(f"sqlite:///{key[1]}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            event.listen(cached, "connect", _on_connect)
            _engines[key] = cached
        return cached


def engine(record) -> Engine:
    """The engine on a workspace's `state.db`.

    Args:
        record: a `sim.cloud.workspaces.WorkspaceRecord`.
    """
    return engine_for_path(record.state_db, record.workspace_id)


def ensure(metadata: MetaData, eng: Engine) -> None:
    """Create `metadata`'s tables and indexes in `eng` once per process (cheap to call before every use).

    `create_all` skips a table that exists, indexes included, so an index declared after a workspace's
    `state.db` was made is added here (CREATE INDEX IF NOT EXISTS): an older state.db keeps working, faster.
    """
    key = (id(metadata), id(eng))
    if key in _ensured:
        return
    with _ensure_lock:  # two threads of this process: one creates, the other then finds the tables
        if key in _ensured:
            return
        _create_all(metadata, eng)
        _ensured.add(key)


def _create_all(metadata: MetaData, eng: Engine) -> None:
    from sqlalchemy.exc import OperationalError

    # create_all checks, then creates: another process may create a table in between ("already exists"). The
    # second attempt finds it there, so every process sees the same tables whoever made them.
    for attempt in range(2):
        try:
            metadata.create_all(eng)
            for table in metadata.sorted_tables:
                for index in table.indexes:
                    index.create(eng, checkfirst=True)
            return
        except OperationalError as exc:
            if "already exists" not in str(exc) or attempt:
                raise


def dispose(db_path: Path) -> None:
    """Close and forget the cached engine of `db_path` (before its folder is deleted)."""
    target = str(Path(db_path).resolve())
    _dispose_where(lambda path: path == target)


def dispose_under(folder: Path) -> None:
    """Close and forget the cached engines of every SQLite file under `folder` (before the folder is deleted:
    a pooled connection would keep the deleted files open, three descriptors each, for the process's life)."""
    prefix = str(Path(folder).resolve()) + os.sep
    _dispose_where(lambda path: path.startswith(prefix))


def _dispose_where(chosen) -> None:
    with _lock:
        for key in [k for k in _engines if chosen(k[1])]:
            eng = _engines.pop(key)
            _ensured.difference_update({k for k in _ensured if k[1] == id(eng)})
            eng.dispose()
