"""The learner's record database: schema, versioned migrations and a safe engine.

SQLAlchemy Core with a database URL (default: a SQLite file in DP100_HOME). SQLite runs in WAL mode
with a busy timeout, so the app, lab kernels and the CLI can write at the same time without losing
rows. A SQLite file is checked when a process first opens it: a damaged one is moved aside, what can be read is
exported, and a fresh record starts (`progress.repair`), never an exception in the learner's face.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

from dp100 import paths
from dp100.errors import SetupError
from progress import repair

SCHEMA_VERSION = 2

metadata = sa.MetaData()

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)
notes_read = sa.Table(
    "notes_read", metadata,
    sa.Column("note_id", sa.String(128), primary_key=True),
    sa.Column("section", sa.String(128), primary_key=True, default=""),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
)
quiz_answers = sa.Table(
    "quiz_answers", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("question_id", sa.String(128), nullable=False, index=True),
    sa.Column("given_answer", sa.JSON, nullable=False),
    sa.Column("correct", sa.Boolean, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
)
review_cards = sa.Table(
    "review_cards", metadata,
    sa.Column("question_id", sa.String(128), primary_key=True),
    sa.Column("card", sa.JSON, nullable=False),  # the FSRS card as its own dict form
    sa.Column("due", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)
lab_step_results = sa.Table(
    "lab_step_results", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("lab_id", sa.String(64), nullable=False, index=True),
    sa.Column("step_id", sa.String(64), nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("hints_used", sa.Integer, nullable=False, default=0),
    sa.Column("solution_shown", sa.Boolean, nullable=False, default=False),
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
)
settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.JSON, nullable=False),
)
problem_reports = sa.Table(
    "problem_reports", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("question_id", sa.String(128), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Schema 2: finished exams (the history and its trend) and the questions a learner bookmarked.
exam_attempts = sa.Table(
    "exam_attempts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("blueprint_id", sa.String(64), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("questions", sa.Integer, nullable=False),
    sa.Column("minutes", sa.Integer, nullable=False),
    sa.Column("scaled", sa.Integer, nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("domains", sa.JSON, nullable=False),  # domain id -> share of its points earned (0..1)
)
bookmarks = sa.Table(
    "bookmarks", metadata,
    sa.Column("question_id", sa.String(128), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

# Ordered migrations: MIGRATIONS[n] brings a database from version n to n + 1. Version 0 means empty.
# Each step only adds what is missing (create_all skips existing tables), so a record written by an older
# version keeps every row, and a fresh one (made whole by step 0) passes through the later steps unchanged.
MIGRATIONS = {
    0: lambda conn: metadata.create_all(conn),
    1: lambda conn: metadata.create_all(conn, tables=[exam_attempts, bookmarks]),
}


def _on_sqlite_connect(dbapi_conn, _record) -> None:
    # WAL lets readers and one writer work at once; the busy timeout makes a second writer wait
    # instead of failing with "database is locked".
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout = 30000")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()


def _create_engine(url: str) -> sa.Engine:
    try:
        engine = sa.create_engine(url)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise SetupError(
            f"Unknown database URL {url!r}; use a SQLAlchemy URL such as sqlite:///path/progress.db "
            "or unset DP100_DATABASE_URL to use the default."
        ) from exc
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _on_sqlite_connect)
    return engine


def _where(url: str) -> str:
    return sa.make_url(url).database or url


def _current_version(conn: sa.Connection) -> int:
    if not sa.inspect(conn).has_table("meta"):
        return 0
    row = conn.execute(sa.select(meta.c.value).where(meta.c.key == "schema_version")).first()
    return int(row[0]) if row else 0


def migrate(engine: sa.Engine) -> int:
    """Bring the schema to `SCHEMA_VERSION`; safe to call any number of times. Returns the version."""
    with engine.begin() as conn:
        version = _current_version(conn)
        if version > SCHEMA_VERSION:
            raise SetupError(
                f"The progress database {_where(str(engine.url))} was written by a newer version "
                f"(schema {version}); upgrade dp100 or point DP100_HOME elsewhere."
            )
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](conn)
            version += 1
        stmt = sa.delete(meta).where(meta.c.key == "schema_version")
        conn.execute(stmt)
        conn.execute(sa.insert(meta).values(key="schema_version", value=str(version)))
    return version


# One engine (a connection pool, no learner state) per database URL in this process.
_ENGINES: dict[str, sa.Engine] = {}
# Damaged records this process set aside (the CLI tells the learner; the app reads the notice in the record).
recoveries: list[repair.Recovery] = []


def engine_for(url: str) -> sa.Engine:
    """An engine on `url` whose schema is current (made once per URL and process).

    Raises:
        SetupError: the URL is unknown, the database is corrupt, or it cannot be opened.
    """
    if url in _ENGINES:
        return _ENGINES[url]
    path = sqlite_file(url)
    if path is None:
        engine = _open(url)
    else:
        with repair.locked(path):  # one process at a time checks, sets aside or creates the file
            reason = repair.damage(path)
            recovery = repair.set_aside(path, reason, exported_tables()) if reason else None
            engine = _open(url)
        if recovery:
            _keep_notice(engine, recovery)
            recoveries.append(recovery)
    _ENGINES[url] = engine
    return engine


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory ones)."""
    parsed = sa.make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def exported_tables() -> list[sa.Table]:
    """The record's tables, in dependency order, without the schema bookkeeping."""
    return [t for t in metadata.sorted_tables if t.name != "meta"]


def _keep_notice(engine: sa.Engine, recovery: repair.Recovery) -> None:
    with engine.begin() as conn:
        conn.execute(sa.delete(settings).where(settings.c.key == repair.NOTICE_SETTING))
        conn.execute(sa.insert(settings).values(key=repair.NOTICE_SETTING, value=asdict(recovery)))


def _open(url: str) -> sa.Engine:
    """An engine on `url` with the schema brought up to date."""
    engine = _create_engine(url)
    try:
        migrate(engine)
    except (DatabaseError, OperationalError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise SetupError(
            f"The progress database {_where(url)} cannot be read ({_first_line(exc)}); "
            "move the file aside to keep it, or run `dp100 reset --yes` to start a new record."
        ) from exc
    return engine


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else type(exc).__name__


def default_engine() -> sa.Engine:
    """The engine for the configured progress database (see `dp100.paths.progress_db_url`)."""
    return engine_for(paths.progress_db_url())


def forget_engines() -> None:
    """Close every cached engine, so a deleted or replaced database file is reopened afresh."""
    while _ENGINES:
        _ENGINES.popitem()[1].dispose()
