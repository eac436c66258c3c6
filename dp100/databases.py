"""`dp100 doctor`'s look inside every SQLite database under DP100_HOME: SQLite's own integrity check, and what
to do about each one that fails it.

The databases: the learner's record (`progress.db`), each simulated workspace's state (`state.db`) and MLflow
store (`mlflow-*.db`), and the pre-migrated MLflow template the simulator copies. Files set aside after damage
(`*.damaged-*`) are not checked again.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".db", ".sqlite", ".sqlite3")


@dataclass(frozen=True)
class DatabaseHealth:
    """The verdict on one database file."""

    path: Path
    problem: str | None  # None: the integrity check said ok
    advice: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None


def databases(root: Path) -> list[Path]:
    """Every SQLite database file under `root`, in a stable order."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.suffix in SUFFIXES and ".damaged-" not in p.name and p.is_file())


def integrity(path: Path) -> str | None:
    """The first problem `PRAGMA integrity_check` reports (or why the file cannot be opened), None when ok."""
    if path.stat().st_size == 0:
        return "the file is empty"
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as conn:
            rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    problems = [row[0] for row in rows if row[0] != "ok"]
    if not problems:
        return None
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return problems[0] + more


def advice(path: Path, root: Path) -> str:
    """What the learner can do about this damaged database, by what it holds."""
    where = path.parent
    if path.name == "progress.db":
        return ("open the app or run any dp100 command (for example `dp100 lab list`): the record is moved aside, "
                "what can be read is exported next to it to import on the Progress page, and a new one starts")
    if path.name == "state.db":
        return (f"the simulated workspace in {where} cannot be trusted: delete it (ws.delete() or `az ml "
                "workspace delete`) and create it again, or run `dp100 reset --yes`")
    if path.name.startswith("mlflow-") and where.name == ".templates":
        return f"delete {path}; the simulator builds the template again on the next workspace creation"
    if path.name.startswith("mlflow"):
        return (f"the MLflow runs of the simulated workspace in {where} cannot be trusted: delete the workspace "
                "and create it again, or run `dp100 reset --yes`")
    return f"move {path} out of {root}; dp100 recreates what it needs"


def check_all(root: Path) -> list[DatabaseHealth]:
    """The integrity verdict of every database under `root`."""
    found = []
    for path in databases(root):
        try:
            problem = integrity(path)
        except OSError as exc:  # removed or unreadable while we looked
            problem = f"cannot be read ({exc.strerror or exc})"
        found.append(DatabaseHealth(path, problem, advice(path, root) if problem else ""))
    return found
