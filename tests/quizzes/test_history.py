"""The exam history: a finished exam is stored once with its score, and the summary reads the trend."""

from __future__ import annotations

import pytest

from progress import Record
from quizzes.exam import ExamSession
from quizzes.history import save_attempt, summarize
from tests.quizzes.test_exam import FORM, QUESTIONS


def _finished(answers: dict) -> tuple[ExamSession, object]:
    ex = ExamSession(FORM, started=1_800_000_000.0, _shown_at=1_800_000_000.0)
    for qid, answer in answers.items():
        ex.answer(qid, answer)
    ex.finish(now=1_800_000_300.0)
    return ex, ex.report(QUESTIONS, {"d1": "Domain 1", "d2": "Domain 2"})


def test_a_finished_exam_is_stored_with_its_score_dates_and_domains():
    ex, report = _finished({"q-1": "A", "yn-1": {"s1": True, "s2": True}})
    save_attempt(Record(), ex, report)
    [row] = Record().exam_attempts()
    assert (row["blueprint_id"], row["questions"], row["minutes"]) == ("t", 4, 10)
    assert (row["scaled"], row["passed"]) == (report.scaled, report.passed)
    assert (row["finished_at"] - row["started_at"]).total_seconds() == 300
    assert row["domains"] == {"d1": 1.0, "d2": 0.0}


def test_an_exam_still_running_is_not_stored():
    with pytest.raises(ValueError, match="finish it first"):
        save_attempt(Record(), ExamSession(FORM), _finished({})[1])


def test_the_summary_follows_the_trend():
    assert summarize([]) is None
    rows = [{"scaled": s, "passed": s >= 700} for s in (520, 610, 700, 760)]
    s = summarize(rows)
    assert (s.exams, s.passed, s.best, s.last, s.change) == (4, 2, 760, 760, 60)
    assert s.recent_average == round((610 + 700 + 760) / 3)
    assert summarize(rows[:1]).change is None
