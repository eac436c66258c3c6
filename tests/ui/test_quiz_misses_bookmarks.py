"""Practise my misses, and bookmarks set in practice, review and the exam report."""

from __future__ import annotations

from progress import Record
from tests.ui.test_quiz_page import exam_on, quiz


def _source_labels(at) -> list[str]:
    return list(at.button_group(key="practice_source").options)  # as shown, counts included


def test_practise_my_misses_serves_the_questions_last_answered_wrong(page_test, sample_bank):
    rec = Record()
    rec.record_answer("ui-single-1", "B", False)
    rec.record_answer("ui-multiple-1", ["A"], False, score=0.5)
    rec.record_answer("ui-yesno-1", {"s1": True}, False)
    rec.record_answer("ui-yesno-1", {"s1": False, "s2": True}, True)  # right since
    at = quiz(page_test)
    assert "My misses (2)" in _source_labels(at)
    at.button_group(key="practice_source").set_value("misses").run()
    at.button(key="practice_start").click().run()
    assert sorted(at.session_state["practice_queue"]) == ["ui-multiple-1", "ui-single-1"]


def test_no_misses_says_so_instead_of_serving_everything(page_test, sample_bank):
    at = quiz(page_test)
    at.button_group(key="practice_source").set_value("misses").run()
    at.button(key="practice_start").click().run()
    assert at.session_state["practice_queue"] == []
    assert "No missed question here" in at.warning[0].value


def test_a_question_bookmarked_in_practice_can_be_practised_again(page_test, sample_bank):
    at = quiz(page_test)
    at.multiselect(key="practice_types").set_value(["match"]).run()
    at.button(key="practice_start").click().run()
    key = "practice-ui-match-1-0-bookmark"
    assert at.button(key=key).label == "Bookmark"
    at.button(key=key).click().run()
    assert Record().bookmarks() == ["ui-match-1"]
    assert at.button(key=key).label.startswith("Bookmarked")

    fresh = quiz(page_test)
    assert "Bookmarked (1)" in _source_labels(fresh)
    fresh.button_group(key="practice_source").set_value("bookmarks").run()
    fresh.button(key="practice_start").click().run()
    assert fresh.session_state["practice_queue"] == ["ui-match-1"]
    fresh.button(key=key).click().run()  # the bookmark taken off again
    assert Record().bookmarks() == []


def test_review_and_the_exam_report_can_bookmark_a_question(page_test, sample_bank):
    Record().record_answer("ui-single-1", "B", False)
    at = quiz(page_test, "review")
    at.button(key="review-ui-single-1-0-bookmark").click().run()
    assert Record().bookmarks() == ["ui-single-1"]

    at = exam_on(page_test, [("ui-yesno-1", "yesno")])
    at.button(key="exam_finish").click().run()
    at.button(key="exam_bookmark_ui-yesno-1").click().run()
    assert sorted(Record().bookmarks()) == ["ui-single-1", "ui-yesno-1"]
