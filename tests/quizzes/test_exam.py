"""The exam's rules: locked sections, flags, the clock, and the report."""

from __future__ import annotations

import pytest

from quizzes.exam import ExamSession
from quizzes.forms import ExamForm, FormItem
from quizzes.items import QUESTION_ADAPTER

COMMON = {"skills": ["t.g.s"], "sdk": "none", "difficulty": "easy", "stem": "S?",
          "references": ["n#a", "https://learn.microsoft.com/x"]}
OPTS = [{"id": "A", "text": "a", "rationale": "r"}, {"id": "B", "text": "b", "rationale": "r"}]
QUESTIONS = {
    "q-1": QUESTION_ADAPTER.validate_python({"id": "q-1", **COMMON, "type": "single", "options": OPTS, "answer": "A"}),
    "q-2": QUESTION_ADAPTER.validate_python({"id": "q-2", **COMMON, "type": "single", "options": OPTS, "answer": "B"}),
    "yn-1": QUESTION_ADAPTER.validate_python({"id": "yn-1", **COMMON, "type": "yesno", "statements": [
        {"id": "s1", "text": "x", "answer": True, "rationale": "r"},
        {"id": "s2", "text": "y", "answer": True, "rationale": "r"}]}),
}
QUESTIONS["yn-2"] = QUESTIONS["yn-1"].model_copy(update={"id": "yn-2"})
FORM = ExamForm("t", [FormItem("q-1", "d1", "main"), FormItem("q-2", "d2", "main"),
                      FormItem("yn-1", "d1", "yesno"), FormItem("yn-2", "d2", "yesno")], minutes=10)


def session():
    return ExamSession(FORM, started=1000.0, _shown_at=1000.0)


def test_main_section_items_can_be_revisited_until_the_section_is_left():
    ex = session()
    ex.go_to(1, now=1010)
    ex.go_to(0, now=1020)
    assert ex.can_visit(1) and not ex.locked
    assert not ex.leaves_section(1) and ex.leaves_section(2)


def test_entering_a_later_section_closes_the_one_behind_and_yesno_items_lock_once_left():
    ex = session()
    ex.go_to(2, now=1010)  # into the yes/no section: the main section closes, as in the real exam
    assert {"q-1", "q-2"} <= ex.locked and not ex.can_visit(0) and not ex.can_visit(1)
    with pytest.raises(ValueError, match="cannot be revisited"):
        ex.go_to(0)
    with pytest.raises(ValueError, match="no longer be changed"):
        ex.answer("q-1", "A")
    ex.answer("yn-1", {"s1": True, "s2": True})
    ex.go_to(3, now=1020)
    assert "yn-1" in ex.locked and not ex.can_visit(2)
    with pytest.raises(ValueError, match="no longer be changed"):
        ex.answer("yn-1", {"s1": False})


def test_time_on_each_item_is_counted():
    ex = session()
    ex.go_to(1, now=1012)
    ex.go_to(0, now=1020)
    assert ex.seconds == {"q-1": 12, "q-2": 8}


def test_clock_runs_out_and_finishing_stops_answers():
    ex = session()
    assert ex.remaining(now=1000 + 599) == 1
    assert ex.time_is_up(now=1000 + 601)
    ex.finish(now=5000)
    assert ex.finished_at == 1600  # never later than the end of the clock
    with pytest.raises(ValueError):
        ex.answer("q-1", "A")


def test_flags_and_unanswered():
    ex = session()
    ex.toggle_flag("q-2")
    ex.answer("q-1", "A")
    assert ex.flagged == {"q-2"} and ex.unanswered() == [1, 2, 3]
    ex.toggle_flag("q-2")
    assert ex.flagged == set()


def test_report_counts_unanswered_as_zero_and_groups_by_domain():
    ex = session()
    ex.answer("q-1", "A")
    ex.answer("yn-1", {"s1": True, "s2": False})
    report = ex.report(QUESTIONS, {"d1": "One", "d2": "Two"})
    assert (report.points, report.max_points) == (2, 6)
    assert {d.domain_id: d.points for d in report.domains} == {"d1": 2, "d2": 0}
    assert not report.passed


def test_an_answer_taken_back_is_no_longer_scored():
    ex = session()
    ex.answer("q-1", "A")
    ex.answer("q-1", None)  # the learner cleared every choice
    assert "q-1" not in ex.answers and ex.unanswered() == [0, 1, 2, 3]
    ex.answer("q-2", None)  # clearing an item never answered is harmless
    assert ex.scores(QUESTIONS)["q-1"].points == 0


def test_an_attempt_survives_a_round_trip_through_json():
    import json

    ex = session()
    ex.answer("q-1", "A")
    ex.answer("yn-1", {"s1": True, "s2": None})
    ex.toggle_flag("q-2")
    ex.go_to(2, now=1010.0)  # entering the yes/no section closes the main one
    ex.go_to(3, now=1020.0)  # leaving the yes/no item locks it
    back = ExamSession.from_dict(json.loads(json.dumps(ex.to_dict())))
    assert back.to_dict() == ex.to_dict()
    assert back.form == FORM and back.locked == {"q-1", "q-2", "yn-1"} and back.flagged == {"q-2"}
    assert back.remaining(now=1060.0) == ex.remaining(now=1060.0)
    assert back.scores(QUESTIONS) == ex.scores(QUESTIONS)


def test_a_damaged_saved_attempt_is_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="start a new exam"):
        ExamSession.from_dict({"form": {"items": []}})


def test_a_saved_snapshot_does_not_follow_later_answers():
    ex = session()
    ex.answer("yn-1", {"s1": True, "s2": None})
    before = ex.to_dict()
    ex.answers["yn-1"]["s2"] = False  # the page updates answers in place
    ex.answer("q-1", "A")
    assert before["answers"] == {"yn-1": {"s1": True, "s2": None}} and ex.to_dict() != before


def test_finishing_counts_the_time_on_the_item_still_on_screen():
    ex = session()
    ex.go_to(1, now=1012)
    ex.finish(now=1050)
    assert ex.seconds == {"q-1": 12, "q-2": 38}
    assert ex.time_used() == 50


def test_the_time_limit_scales_with_the_number_of_questions():
    from quizzes.forms import DEFAULT_MINUTES, DEFAULT_QUESTIONS, exam_minutes

    assert exam_minutes(20) == 40 and exam_minutes(DEFAULT_QUESTIONS) == DEFAULT_MINUTES == 100
    assert exam_minutes(20, per_question=1.5) == 30  # an outline whose exam allows 1.5 minutes a question
    assert exam_minutes(0) == 1
