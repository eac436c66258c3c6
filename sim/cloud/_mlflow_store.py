"""Each workspace's own MLflow store, made fast by copying a pre-migrated empty SQLite file.

Creating an MLflow SQLite store runs its migrations (about 1.6 s here); copying a ready empty store
takes milliseconds. The template is built once per MLflow version under the cloud root and reused; its
bytes are also kept in memory so a process that creates workspaces under several DP100_HOME folders
(a test session) migrates only once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import tempfile
import threading
from importlib import metadata
from pathlib import Path

_template_bytes: dict[str, bytes] = {}
# Alembic (MLflow's migrations) keeps process-global state: two threads migrating at once corrupt each
# other (e.g. the app's start-up warm-up racing a learner's first Workspace.create).
_BUILD_LOCK = threading.Lock()


TEMPLATE_DIR_ENV = "DP100_MLFLOW_TEMPLATE_DIR"  # optional shared folder (the test suite shares one)


def _template_path(cloud_root: Path) -> Path:
    version = metadata.version("mlflow")
    shared = os.environ.get(TEMPLATE_DIR_ENV)
    folder = Path(shared) if shared else cloud_root / ".templates"
    return folder / f"mlflow-{version}.db"


def _build_template(target: Path) -> None:
    """Run MLflow's migrations on a fresh SQLite file, then move it into place atomically."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("DO_NOT_TRACK", "true")
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    target.parent.mkdir(parents=True, exist_ok=True)
    quiet = [logging.getLogger(n) for n in ("mlflow.store.db.utils", "alembic.runtime.migration")]
    levels = [log.level for log in quiet]
    for log in quiet:
        log.setLevel(logging.WARNING)  # the migration chatter means nothing to a learner
    try:
        with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
            db = Path(scratch) / "mlflow.db"
            store = SqlAlchemyStore(f"sqlite:///{db}", (Path(scratch) / "artifacts").as_uri())
            store.engine.dispose()
            os.replace(db, target)  # atomic: a racing process either sees no template or a whole one
    finally:
        for log, level in zip(quiet, levels, strict=True):
            log.setLevel(level)


def _template(cloud_root: Path) -> bytes:
    path = _template_path(cloud_root)
    with _BUILD_LOCK:
        cached = _template_bytes.get(path.name)
        if cached is not None:
            return cached
        if not path.exists():
            _build_template(path)
        _template_bytes[path.name] = path.read_bytes()
        return _template_bytes[path.name]


def warm_up(cloud_root: Path) -> Path:
    """Build the template store now (e.g. while the app starts) so the first workspace is fast."""
    data, path = _template(cloud_root), _template_path(cloud_root)
    if not path.exists():  # built by this process under another DP100_HOME: keep a copy here too
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_bytes(data)
        os.replace(scratch, path)
    return path


def create_store(cloud_root: Path, db_path: Path, default_artifact_location: str) -> None:
    """Give a new workspace its MLflow store at `db_path`.

    Args:
        cloud_root: where the template store is kept.
        db_path: the new store's file.
        default_artifact_location: artifact URI of the store's Default experiment.
    """
    db_path.write_bytes(_template(cloud_root))
    # The template's Default experiment points at the template's scratch folder; repoint it.
    with contextlib.closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE experiments SET artifact_location = ? WHERE experiment_id = 0",
                     (default_artifact_location,))
