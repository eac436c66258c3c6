"""A reload in the middle of an exam, in real Chromium: the running exam comes back, on the same item, with
its clock still counting down from the start (not restarted, not paused)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import click, next_exam_question, reload_mid_exam, start_exam, wait_for_run


def test_a_reload_mid_exam_shows_the_running_exam_with_its_clock(page, app_url):
    start_exam(page, app_url, questions=3, minutes=5)
    next_exam_question(page, 2, 3)
    try:
        reload_mid_exam(page, 2, 3)  # the address the exam was on
        page.goto(f"{app_url}/quiz")  # the bare address, as the menu opens it
        wait_for_run(page)
        expect(page.get_by_text("Question 2 of 3")).to_be_visible()
    finally:
        page.goto(f"{app_url}/quiz?mode=exam")  # end it: later tests expect no running exam
        wait_for_run(page)
        click(page, "exam_finish")
    expect(page.get_by_text("Scaled score (estimate)")).to_be_visible()
    click(page, "exam_new")  # and leave the exam set-up, as other tests find it
