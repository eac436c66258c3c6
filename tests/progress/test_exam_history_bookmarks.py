"""Schema 2 of the learner's record: finished exams and bookmarks, and an older record that must keep working."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from progress import Record, db


def _exam(rec: Record, when: datetime, scaled: int) -> None:
    rec.record_exam("dp-100-2025", started_at=when - timedelta(minutes=30), finished_at=when, questions=20,
                    minutes=40, scaled=scaled, passed=scaled >= 700, domains={"2025.design": 0.5})


def test_finished_exams_come_back_oldest_first_with_their_scores():
    rec = Record()
    now = datetime.now(UTC)
    _exam(rec, now, 760)
    _exam(rec, now - timedelta(days=2), 540)
    rows = rec.exam_attempts()
    assert [(r["scaled"], r["passed"]) for r in rows] == [(540, False), (760, True)]
    assert rows[1]["finished_at"] == now and rows[1]["domains"] == {"2025.design": 0.5}


def test_a_bookmark_is_set_once_and_can_be_removed():
    rec = Record()
    rec.set_bookmark("q1")
    rec.set_bookmark("q2")
    rec.set_bookmark("q1")  # again: still one bookmark
    assert sorted(rec.bookmarks()) == ["q1", "q2"]
    rec.set_bookmark("q1", on=False)
    assert rec.bookmarks() == ["q2"]


def test_a_schema_1_record_gains_the_new_tables_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.db"
    old = sa.create_engine(f"sqlite:///{path}")
    with old.begin() as conn:  # what version 1 created: every table but the two new ones
        db.metadata.create_all(conn, tables=[t for t in db.metadata.sorted_tables
                                             if t.name not in ("exam_attempts", "bookmarks")])
        conn.execute(sa.insert(db.meta).values(key="schema_version", value="1"))
        conn.execute(sa.insert(db.quiz_answers).values(
            question_id="kept", given_answer="A", correct=True, score=1.0, seconds=3.0, mode="practice",
            answered_at=datetime.now(UTC)))
    old.dispose()
    rec = Record(f"sqlite:///{path}")
    assert [a["question_id"] for a in rec.answers()] == ["kept"]
    rec.set_bookmark("kept")
    _exam(rec, datetime.now(UTC), 700)
    assert rec.bookmarks() == ["kept"] and len(rec.exam_attempts()) == 1
    assert db.migrate(rec.engine) == db.SCHEMA_VERSION == 2


def test_an_export_of_schema_1_imports_into_schema_2():
    rec = Record()
    rec.set_bookmark("dropped")  # an import replaces the whole record
    doc = {"format": "dp100-progress", "schema": 1, "tables": {"quiz_answers": [
        {"question_id": "q1", "given_answer": "A", "correct": True, "score": 1.0, "seconds": 2.0,
         "mode": "practice", "answered_at": "2026-11-01T10:00:00+00:00"}]}}
    assert rec.import_json(json.dumps(doc)) == 1
    assert rec.bookmarks() == [] and [a["question_id"] for a in rec.answers()] == ["q1"]


def test_exams_and_bookmarks_travel_in_an_export():
    rec = Record()
    rec.set_bookmark("q9")
    _exam(rec, datetime.now(UTC), 812)
    exported = rec.export_json()
    rec.set_bookmark("q9", on=False)
    rec.import_json(exported)
    assert rec.bookmarks() == ["q9"] and rec.exam_attempts()[0]["scaled"] == 812


def test_the_latest_score_of_each_question_and_the_questions_ever_missed():
    from quizzes.readiness import latest_scores

    rec = Record()
    for qid, correct, score in (("a", False, 0.0), ("a", True, 1.0), ("b", False, 0.5), ("c", True, 1.0),
                                ("b", False, 0.25)):
        rec.record_answer(qid, "x", correct, score=score)
    assert rec.latest_scores() == latest_scores(rec.answers()) == {"a": 1.0, "b": 0.25, "c": 1.0}
    assert rec.missed_ids() == {"a", "b"}
