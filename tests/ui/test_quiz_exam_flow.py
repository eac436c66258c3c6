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
