"""The learner's record as one object: what they read, answered, reviewed, checked and chose."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from progress import db

EXPORT_FORMAT = "dp100-progress"


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    # SQLite hands datetimes back naive; they were written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Record:
    """Read and write the learner's record.

    Args:
        url: a SQLAlchemy database URL; default: the configured progress database.
    """

    def __init__(self, url: str | None = None):
        self.engine = db.engine_for(url) if url else db.default_engine()

    # -- notes ---------------------------------------------------------------------------------
    def mark_note_read(self, note_id: str, section: str = "", language: str = "en") -> None:
        """Remember that a note (or one of its sections) was read."""
        with self.engine.begin() as conn:
            conn.execute(sa.delete(db.notes_read).where(
                (db.notes_read.c.note_id == note_id) & (db.notes_read.c.section == section)))
            conn.execute(sa.insert(db.notes_read).values(
                note_id=note_id, section=section, language=language, read_at=_now()))

    def notes_read(self) -> set[tuple[str, str]]:
        """Pairs of (note id, section) read so far; section "" means the whole note."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(db.notes_read.c.note_id, db.notes_read.c.section))
            return {(r.note_id, r.section) for r in rows}

    # -- quiz answers --------------------------------------------------------------------------
    def record_answer(self, question_id: str, given_answer: Any, correct: bool, *, score: float | None = None,
                      seconds: float = 0.0, mode: str = "practice") -> None:
        """Store one answer; `score` is the partial credit in 0..1 (defaults to 1 or 0)."""
        if mode not in ("practice", "exam", "review"):
            raise ValueError(f"Unknown quiz mode {mode!r}; use practice, exam or review.")
        with self.engine.begin() as conn:
            conn.execute(sa.insert(db.quiz_answers).values(
                question_id=question_id, given_answer=given_answer, correct=bool(correct),
                score=float(score if score is not None else bool(correct)), seconds=float(seconds),
                mode=mode, answered_at=_now()))

    def answers(self, question_id: str | None = None) -> list[dict]:
        """All answers, oldest first, optionally for one question."""
        stmt = sa.select(db.quiz_answers).order_by(db.quiz_answers.c.id)
        if question_id:
            stmt = stmt.where(db.quiz_answers.c.question_id == question_id)
        return self._rows(stmt)

    def latest_scores(self) -> dict[str, float]:
        """The score (0..1) of each question's latest answer, in one query (pages ask on every rerun)."""
        answers = db.quiz_answers.c
        latest = sa.select(sa.func.max(answers.id)).group_by(answers.question_id)
        stmt = sa.select(answers.question_id, answers.score).where(answers.id.in_(latest))
        with self.engine.connect() as conn:
            return {r.question_id: float(r.score) for r in conn.execute(stmt)}

    def missed_ids(self) -> set[str]:
        """Question ids answered wrong at least once."""
        answers = db.quiz_answers.c
        stmt = sa.select(answers.question_id).where(answers.correct.is_(False)).distinct()
        with self.engine.connect() as conn:
            return {r.question_id for r in conn.execute(stmt)}

    # -- review cards (FSRS state) -------------------------------------------------------------
    def save_card(self, question_id: str, card: dict, due: datetime) -> None:
        """Store the spaced-repetition card of a question (its FSRS dict form) and when it is due."""
        with self.engine.begin() as conn:
            conn.execute(sa.delete(db.review_cards).where(db.review_cards.c.question_id == question_id))
            conn.execute(sa.insert(db.review_cards).values(
                question_id=question_id, card=card, due=due, updated_at=_now()))

    def card(self, question_id: str) -> dict | None:
        """The stored card of a question, or None."""
        stmt = sa.select(db.review_cards.c.card).where(db.review_cards.c.question_id == question_id)
        with self.engine.connect() as conn:
            row = conn.execute(stmt).first()
        return row[0] if row else None

    def due_cards(self, now: datetime | None = None) -> list[str]:
        """Question ids whose card is due, most overdue first."""
        moment = now or _now()
        stmt = sa.select(db.review_cards.c.question_id, db.review_cards.c.due).order_by(db.review_cards.c.due)
        with self.engine.connect() as conn:
            return [r.question_id for r in conn.execute(stmt) if _aware(r.due) <= moment]

    def card_dues(self) -> dict[str, datetime]:
        """When each question's card is next due (UTC), by question id."""
        stmt = sa.select(db.review_cards.c.question_id, db.review_cards.c.due)
        with self.engine.connect() as conn:
            return {r.question_id: _aware(r.due) for r in conn.execute(stmt)}

    # -- exam history and bookmarks ------------------------------------------------------------
    def record_exam(self, blueprint_id: str, *, started_at: datetime, finished_at: datetime, questions: int,
                    minutes: int, scaled: int, passed: bool, domains: dict[str, float]) -> None:
        """Store a finished exam: its outline, size, time limit, scaled score, verdict and domain shares."""
        with self.engine.begin() as conn:
            conn.execute(sa.insert(db.exam_attempts).values(
                blueprint_id=blueprint_id, started_at=started_at, finished_at=finished_at,
                questions=int(questions), minutes=int(minutes), scaled=int(scaled), passed=bool(passed),
                domains=dict(domains)))

    def exam_attempts(self) -> list[dict]:
        """Every finished exam, oldest first (times in UTC)."""
        rows = self._rows(sa.select(db.exam_attempts).order_by(db.exam_attempts.c.finished_at, db.exam_attempts.c.id))
        for row in rows:
            row["started_at"], row["finished_at"] = _aware(row["started_at"]), _aware(row["finished_at"])
        return rows

    def set_bookmark(self, question_id: str, on: bool = True) -> None:
        """Bookmark a question (or, with `on=False`, remove its bookmark)."""
        with self.engine.begin() as conn:
            conn.execute(sa.delete(db.bookmarks).where(db.bookmarks.c.question_id == question_id))
            if on:
                conn.execute(sa.insert(db.bookmarks).values(question_id=question_id, created_at=_now()))

    def bookmarks(self) -> list[str]:
        """Bookmarked question ids, in the order they were bookmarked."""
        stmt = sa.select(db.bookmarks.c.question_id).order_by(db.bookmarks.c.created_at)
        with self.engine.connect() as conn:
            return [r.question_id for r in conn.execute(stmt)]

    # -- labs ----------------------------------------------------------------------------------
    def record_lab_step(self, lab_id: str, step_id: str, passed: bool, message: str = "", *,
                        hints_used: int = 0, solution_shown: bool = False) -> None:
        """Store the outcome of checking one lab step."""
        with self.engine.begin() as conn:
            conn.execute(sa.insert(db.lab_step_results).values(
                lab_id=lab_id, step_id=step_id, passed=bool(passed), message=message,
                hints_used=int(hints_used), solution_shown=bool(solution_shown), checked_at=_now()))

    def lab_steps(self, lab_id: str) -> dict[str, dict]:
        """The latest result of each step of a lab, by step id."""
        stmt = (sa.select(db.lab_step_results).where(db.lab_step_results.c.lab_id == lab_id)
                .order_by(db.lab_step_results.c.id))
        return {row["step_id"]: row for row in self._rows(stmt)}

    def reset_lab(self, lab_id: str) -> None:
        """Forget every step result of one lab."""
        with self.engine.begin() as conn:
            conn.execute(sa.delete(db.lab_step_results).where(db.lab_step_results.c.lab_id == lab_id))

    # -- settings and reports ------------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        """A stored setting (for example `language`), or `default`."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(db.settings.c.value).where(db.settings.c.key == key)).first()
        return row[0] if row else default

    def set_setting(self, key: str, value: Any) -> None:
        """Store a setting; the value must be JSON-serialisable."""
        with self.engine.begin() as conn:
            conn.execute(sa.delete(db.settings).where(db.settings.c.key == key))
            conn.execute(sa.insert(db.settings).values(key=key, value=value))

    def report_problem(self, question_id: str, text: str) -> None:
        """Record a learner's report that a question is wrong or unclear."""
        with self.engine.begin() as conn:
            conn.execute(sa.insert(db.problem_reports).values(
                question_id=question_id, text=text.strip(), created_at=_now()))

    def problem_reports(self) -> list[dict]:
        """Every problem report, oldest first."""
        return self._rows(sa.select(db.problem_reports).order_by(db.problem_reports.c.id))

    # -- export / import -----------------------------------------------------------------------
    def export_json(self) -> str:
        """The whole record as a JSON document (to back up or move to another machine)."""
        tables = {t.name: self._rows(sa.select(t)) for t in _exported_tables()}
        return json.dumps({"format": EXPORT_FORMAT, "schema": db.SCHEMA_VERSION, "tables": tables},
                          default=_json_default, indent=1)

    def import_json(self, text: str) -> int:
        """Replace the record with an exported one; returns the number of rows imported.

        Raises:
            ExportRejected: the text is not a dp100 progress export; nothing is changed then.
        """
        doc = _parse_export(text)
        revived = {table: [_revive(table, r) for r in _table_rows(doc, table)] for table in _exported_tables()}
        try:
            with self.engine.begin() as conn:  # one transaction: all or nothing
                for table, rows in revived.items():
                    conn.execute(sa.delete(table))
                    if rows:
                        conn.execute(sa.insert(table), rows)
        except (sa.exc.IntegrityError, sa.exc.StatementError) as exc:
            # A hand-edited or truncated export: the rollback kept the old record.
            raise ExportRejected("incomplete_row", detail=_first_line(exc)) from exc
        return sum(len(rows) for rows in revived.values())

    def _rows(self, stmt) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]


# Why an export was refused, by reason: one sentence that says what to do. The app shows the same reasons in
# the learner's language (ui/texts.yaml, "progress.refused_<reason>"), with the same fields.
REFUSALS = {
    "not_json": "The file is not JSON ({detail} at line {line}); choose a dp100 export.",
    "not_export": "The file is not a dp100 progress export; export one from the Progress page.",
    "bad_schema": "The export's schema version is not a number; export the record again.",
    "newer": "The export comes from a newer dp100; upgrade before importing it.",
    "bad_table": "The export's '{table}' table is not a list of rows; export the record again.",
    "bad_time": "The export's {column} value {value} is not a date and time; export the record again.",
    "incomplete_row": "The export has an incomplete row ({detail}); nothing was imported.",
}


class ExportRejected(ValueError):
    """An import refused before anything changed; `reason` (a key of REFUSALS) and `fields` say why."""

    def __init__(self, reason: str, **fields):
        super().__init__(REFUSALS[reason].format(**fields))
        self.reason = reason
        self.fields = fields


def _exported_tables() -> list[sa.Table]:
    return db.exported_tables()


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return _aware(value).isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")


def _parse_export(text: str) -> dict:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportRejected("not_json", detail=exc.msg, line=exc.lineno) from exc
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT or not isinstance(doc.get("tables"), dict):
        raise ExportRejected("not_export")
    if not isinstance(doc.get("schema", 0), int):
        raise ExportRejected("bad_schema")
    if doc.get("schema", 0) > db.SCHEMA_VERSION:
        raise ExportRejected("newer")
    return doc


def _table_rows(doc: dict, table: sa.Table) -> list[dict]:
    rows = doc["tables"].get(table.name, [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ExportRejected("bad_table", table=table.name)
    return rows


def _revive(table: sa.Table, row: dict) -> dict:
    out = {}
    for col in table.columns:
        if col.name not in row:
            continue
        value = row[col.name]
        if isinstance(col.type, sa.DateTime) and isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                raise ExportRejected("bad_time", column=f"{table.name}.{col.name}", value=repr(value)) from None
        out[col.name] = value
    return out


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]
