"""A damaged progress database: detect it when it is opened, keep what can be read, start a fresh record.

SQLite's `PRAGMA quick_check` finds a damaged page that opening the file does not (random bytes in a data page
only fail the query that reads that page). A damaged file - an empty one included, which SQLite would silently
take for a new database - is moved aside as `progress.db.damaged-<timestamp>`, every row that can still be read
is exported next to it as JSON (row by row, skipping unreadable pages) in the format the Progress page imports,
and a fresh record starts. The fresh record remembers what happened (`notice`) until the learner dismisses it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import JSON, Boolean

NOTICE_SETTING = "damaged_record"  # the settings key the fresh record keeps the notice under
_MAX_SKIP = 1 << 40  # past this many row ids an unreadable stretch is taken to be the end of the table
BATCH = 500  # rows read at once while the pages are sound


@dataclass(frozen=True)
class Recovery:
    """What was done with a damaged record."""

    reason: str
    moved_to: str
    export_to: str
    rows_saved: int
    incomplete_tables: list[str]
    at: str

    def message(self) -> str:
        """One paragraph for the learner (the app shows the same facts in their language)."""
        text = (f"Your progress record was damaged ({self.reason}). It was moved to {self.moved_to}; "
                f"{self.rows_saved} row(s) that could still be read were saved to {self.export_to} "
                "(import that file on the Progress page to get them back), and a new record was started.")
        if self.incomplete_tables:
            text += f" Some rows of {', '.join(self.incomplete_tables)} could not be read."
        return text


def damage(path: Path) -> str | None:
    """Why the SQLite file at `path` cannot be trusted, or None when it is sound (or does not exist)."""
    try:
        if path.stat().st_size == 0:
            return "the file is empty"
    except FileNotFoundError:
        return None
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=30)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    problems = [row[0] for row in rows if row[0] != "ok"]
    return problems[0] if problems else None


@contextlib.contextmanager
def locked(path: Path):
    """Hold an exclusive lock beside `path` (`<path>.lock`), so one process at a time checks, moves or creates
    the file (another process would otherwise find a half-made database empty and take it for damaged)."""
    try:
        import fcntl
    except ImportError:  # no advisory locks here: go ahead unlocked
        yield
        return
    fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def set_aside(path: Path, reason: str, tables) -> Recovery:
    """Move the damaged file (and its WAL) aside, export what is readable next to it; return what was done.

    Args:
        path: the damaged database file.
        reason: why it is damaged (from `damage`).
        tables: the SQLAlchemy tables to export (the record's schema).
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    moved = path.with_name(f"{path.name}.damaged-{stamp}")
    os.replace(path, moved)
    for suffix in ("-wal", "-journal"):  # committed pages waiting in the log belong to the moved file
        if Path(f"{path}{suffix}").exists():
            os.replace(f"{path}{suffix}", f"{moved}{suffix}")
    Path(f"{path}-shm").unlink(missing_ok=True)  # an index of the log, rebuilt on the next open
    export = Path(f"{moved}.json")
    saved, incomplete = export_readable(moved, export, tables)
    return Recovery(reason=reason, moved_to=str(moved), export_to=str(export), rows_saved=saved,
                    incomplete_tables=incomplete, at=datetime.now(UTC).isoformat())


def export_readable(source: Path, target: Path, tables) -> tuple[int, list[str]]:
    """Write every readable row of `tables` in `source` to `target` as a dp100 progress export.

    Returns:
        (rows written, names of the tables with rows that could not be read).
    """
    from progress.db import SCHEMA_VERSION
    from progress.record import EXPORT_FORMAT

    out, incomplete = {}, []
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError:
        conn, present = None, set()
    for table in tables:
        if conn and table.name not in present:  # an older schema without this table: nothing was lost
            out[table.name] = []
            continue
        rows, complete = _readable_rows(conn, table) if conn else ([], False)
        out[table.name] = rows
        if not complete:
            incomplete.append(table.name)
    if conn:
        conn.close()
    doc = {"format": EXPORT_FORMAT, "schema": SCHEMA_VERSION, "recovered_from": str(source), "tables": out}
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(doc))  # one string, no indent: json's C encoder (indenting into a file is 10x slower)
    return sum(len(rows) for rows in out.values()), incomplete


def _readable_rows(conn: sqlite3.Connection, table) -> tuple[list[dict], bool]:
    """The rows of one table that can be read, in row id order, and whether none had to be left out.

    Rows are read by row id in batches; where a batch hits a damaged page they are read one at a time, and past
    an unreadable stretch the search finds the next readable row id (`_skip_unreadable`), so one damaged page
    costs the rows on it, not the rest of the table.
    """
    names = [c.name for c in table.columns]
    columns = ", ".join(f'"{name}"' for name in names)
    query = f'SELECT rowid, {columns} FROM "{table.name}" WHERE rowid > ? ORDER BY rowid LIMIT '
    rows, after, complete = [], 0, True
    while True:
        ok, found = _read(conn, query + str(BATCH), after, many=True)
        if not ok:  # somewhere in this batch: go one row at a time
            ok, one = _read(conn, query + "1", after)
            found = [one] if ok and one else []
        if not ok:
            complete = False
            after = _skip_unreadable(conn, query + "1", after)
            if after is None:
                return rows, False
            continue
        if not found:
            return rows, complete
        for row_id, *values in found:
            after = row_id
            row = _revived(table, dict(zip(names, values, strict=True)))
            complete = complete and row is not None
            rows += [row] if row is not None else []


def _read(conn: sqlite3.Connection, query: str, after: int, many: bool = False) -> tuple[bool, object]:
    """(True, the first row or all rows after `after`) or (False, None) when a damaged page stops the read."""
    try:
        cursor = conn.execute(query, (after,))
        return True, cursor.fetchall() if many else cursor.fetchone()
    except sqlite3.DatabaseError:
        return False, None


def _skip_unreadable(conn: sqlite3.Connection, query: str, bad: int) -> int | None:
    """The smallest row id past `bad` from which reading works again (None: nothing readable follows).

    Steps ahead in doubling strides until a read works, then bisects back to the start of the readable part.
    """
    step = 1
    while not _read(conn, query, bad + step)[0]:
        step *= 2
        if step > _MAX_SKIP:
            return None
    low, high = (bad + step // 2 if step > 1 else bad), bad + step
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if _read(conn, query, middle)[0] else (middle, high)
    return high


def _revived(table, row: dict) -> dict | None:
    """A raw SQLite row in export form (JSON columns decoded, booleans as booleans); None when garbled."""
    json_columns, bool_columns = _typed_columns(table)
    if any(isinstance(value, bytes) for value in row.values()):
        return None  # no column of the record holds bytes: the page was overwritten
    try:
        for name in json_columns:
            if isinstance(row[name], str):
                row[name] = json.loads(row[name])
    except ValueError:
        return None
    for name in bool_columns:
        if row[name] is not None:
            row[name] = bool(row[name])
    return row


@functools.cache
def _typed_columns(table) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(JSON column names, boolean column names) of a table."""
    return (tuple(c.name for c in table.columns if isinstance(c.type, JSON)),
            tuple(c.name for c in table.columns if isinstance(c.type, Boolean)))


def notice(record) -> Recovery | None:
    """The recovery the learner has not dismissed yet, if the record was started afresh from a damaged one."""
    stored = record.get_setting(NOTICE_SETTING)
    if not isinstance(stored, dict):
        return None
    try:
        return Recovery(**stored)
    except TypeError:
        return None


def dismiss(record) -> None:
    """The learner has read the notice: stop showing it."""
    record.set_setting(NOTICE_SETTING, None)
