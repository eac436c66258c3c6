"""The exam mode's flow: flags, section boundaries, minutes, time per question, the history of attempts."""

from __future__ import annotations

import logging

import pytest

from tests.ui.test_quiz_page import exam_on


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def widget_warnings(monkeypatch):
    """The warnings Streamlit logs about widget state (its logger does not propagate, so caplog misses them)."""
    from streamlit.elements.lib import policies

    # Streamlit warns once per process; an earlier test must not have used the warning up.
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    handler = _Collect()
    policies._LOGGER.addHandler(handler)
    yield handler.messages
    policies._LOGGER.removeHandler(handler)


def test_going_back_to_a_flagged_item_keeps_its_flag_without_a_state_warning(page_test, sample_bank,
                                                                            widget_warnings):
    at = exam_on(page_test, [("ui-single-1", "main"), ("ui-multiple-1", "main")])
    at.checkbox(key="exam-flag-ui-single-1").check().run()
    at.button(key="exam_next").click().run()
    assert not at.checkbox(key="exam-flag-ui-multiple-1").value
    at.button(key="exam_prev").click().run()
    assert at.checkbox(key="exam-flag-ui-single-1").value
    at.checkbox(key="exam-flag-ui-single-1").uncheck().run()
    assert at.session_state["exam"].flagged == set()
    assert not [m for m in widget_warnings if "exam-flag" in m], widget_warnings


def test_the_time_limit_follows_the_number_of_questions_and_can_still_be_changed(page_test, sample_bank,
                                                                               widget_warnings):
    from tests.ui.test_quiz_page import quiz

    at = quiz(page_test, "exam")
    assert at.number_input(key="exam_minutes").value == 100  # 50 questions by default
    at.number_input(key="exam_total").set_value(5).run()
    assert at.number_input(key="exam_minutes").value == 10  # 2 minutes a question
    at.number_input(key="exam_minutes").set_value(7).run()
    at.button(key="exam_start").click().run()
    assert at.session_state["exam"].form.minutes == 7
    assert not widget_warnings


def test_leaving_a_section_asks_first_and_staying_changes_nothing(page_test, sample_bank):
    at = exam_on(page_test, [("ui-single-1", "main"), ("ui-yesno-1", "yesno")])
    exam = at.session_state["exam"]
    at.button(key="exam_next").click().run()
    assert "will not be able to return to this section" in at.warning[-1].value
    assert exam.index == 0 and not exam.locked
    assert not [b for b in at.button if b.key in ("exam_next", "exam_finish")]  # one question at a time
    at.button(key="exam_leave_cancel").click().run()
    assert exam.index == 0 and at.button(key="exam_next") and not exam.locked
    at.button(key="exam_next").click().run()
    at.button(key="exam_leave_confirm").click().run()
    assert exam.index == 1 and exam.locked == {"ui-single-1"}
    assert not [b for b in at.button if b.key == "exam_leave_confirm"]


def test_the_report_gives_the_time_spent_on_each_question(page_test, sample_bank):
    import re

    at = exam_on(page_test, [("ui-single-1", "main"), ("ui-multiple-1", "main")])
    exam = at.session_state["exam"]
    exam.started -= 200
    exam._shown_at -= 75  # the first question has been on screen for 75 s
    at.button(key="exam_next").click().run()
    exam._shown_at -= 30
    at.button(key="exam_finish").click().run()
    labels = [e.label for e in at.expander]
    assert re.search(r"· time 01:1[5-9]$", labels[0]) and re.search(r"· time 00:3\d$", labels[1]), labels
    assert any(re.match(r"Time used: 03:2\d of 30:00, 01:4\d per question", c.value) for c in at.caption)


def test_finished_exams_are_listed_with_their_scores_and_a_trend(page_test, sample_bank):
    from progress import Record
    from tests.ui.test_quiz_page import fill_in, quiz
    from ui.data import catalog

    at = quiz(page_test, "exam")
    assert any("No exam finished yet" in c.value for c in at.caption)
    for answered in (False, True):
        at = exam_on(page_test, [("ui-single-1", "main")])
        if answered:
            fill_in(at, catalog().bank.questions["ui-single-1"], "exam-ui-single-1")
            at.run()
        at.button(key="exam_finish").click().run()
        at.button(key="exam_new").click().run()
    assert [(a["scaled"], a["passed"]) for a in Record().exam_attempts()] == [(1, False), (1000, True)]
    summary = next(m.value for m in at.markdown if m.value.startswith("2 exam(s)"))
    assert "1 passed" in summary and "latest 1000 (+999 on the one before)" in summary
    table = at.dataframe[0].value
    assert list(table["Scaled score"]) == [1000, 1]  # newest first
    assert list(table["Result"]) == ["pass", "not yet"] and set(table["Outline"]) == {"DP-100 2020"}
    assert at.get("vega_lite_chart")  # the trend


def test_an_outline_can_set_its_own_minutes_per_question(page_test, sample_bank):
    from tests.ui.test_quiz_page import quiz
    from ui.data import catalog

    at = quiz(page_test, "exam")  # loads the catalog afresh; the outline is changed in the loaded one
    outlines = catalog().blueprints.blueprints
    outlines["dp-100-2020"] = outlines["dp-100-2020"].model_copy(update={"minutes_per_question": 1.5})
    at.run()  # drawn with the changed outline (its widgets' callbacks carry its minutes)
    at.number_input(key="exam_total").set_value(20).run()
    assert at.number_input(key="exam_minutes").value == 30
    assert "1.5 minutes per question" in at.number_input(key="exam_minutes").help
