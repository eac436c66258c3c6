"""Flagging an exam item in real Chromium (issue 14, bug 12): going back to a flagged item shows it flagged, and the
app server logs no Streamlit warning about a widget given a default value and a Session State value at once."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import click, start_exam, wait_for_run

WAIT = 30_000  # ms: a loaded machine can take many seconds for a rerun
# Streamlit logs it (once per server process) for a widget drawn with `value=` whose key was also assigned.
STATE_WARNING = "had its value set via the Session State API"


def test_going_back_to_a_flagged_item_keeps_the_flag_and_logs_no_state_warning(page, app_url, app_log):
    start_exam(page, app_url, questions=3, minutes=10)
    expect(page.get_by_text("Question 1 of 3")).to_be_visible(timeout=WAIT)
    flag = page.locator('[class*="st-key-exam-flag-"]').get_by_role("checkbox")
    try:
        wait_for_run(page)  # a click during the exam's first run can be undone by it ("did not change its state")
        flag.click(force=True)  # Streamlit draws its own box over the input
        expect(flag).to_be_checked(timeout=WAIT)
        wait_for_run(page)
        click(page, "exam_review_open")
        expect(page.get_by_role("img", name="flag icon")).to_have_count(1, timeout=WAIT)  # item 1's row
        click(page, "exam_go_0")
        expect(page.get_by_text("Question 1 of 3")).to_be_visible(timeout=WAIT)
        expect(flag).to_be_checked()
        wait_for_run(page)
        warnings = [line for line in app_log.read_text().splitlines() if STATE_WARNING in line]
        assert not warnings, warnings
    finally:
        click(page, "exam_finish")  # later tests expect no running exam
        expect(page.get_by_text("Scaled score (estimate)")).to_be_visible(timeout=WAIT)
        click(page, "exam_new")
