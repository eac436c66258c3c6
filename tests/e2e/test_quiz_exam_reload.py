"""A reload in the middle of an exam, in real Chromium: the running exam comes back, on the same item, with
its clock still counting down from the start (not restarted, not paused)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.helpers import click, wait_for_run


def _seconds_left(page) -> int:
    """The exam clock's reading, in seconds."""
    minutes, seconds = re.search(r"(\d+):(\d\d)", page.get_by_text("Time left").inner_text()).groups()
    return int(minutes) * 60 + int(seconds)


def _start_exam(page, app_url, questions: int, minutes: int) -> None:
    page.goto(f"{app_url}/quiz")
    wait_for_run(page)
    page.locator(".st-key-quiz_mode").get_by_role("radio", name="Exam").click()
    setup, report = page.locator(".st-key-exam_total input"), page.locator(".st-key-exam_new button")
    expect(setup.or_(report)).to_be_visible()
    if report.is_visible():  # an earlier test's exam report: start afresh
        click(page, "exam_new")
    for key, value in (("exam_total", questions), ("exam_minutes", minutes)):
        box = page.locator(f".st-key-{key} input")
        box.fill(str(value))
        box.press("Enter")
        wait_for_run(page)
    click(page, "exam_start")


def test_a_reload_mid_exam_shows_the_running_exam_with_its_clock(page, app_url):
    _start_exam(page, app_url, questions=3, minutes=5)
    click(page, "exam_next")
    second, confirm = page.get_by_text("Question 2 of 3"), page.locator(".st-key-exam_leave_confirm button")
    expect(second.or_(confirm)).to_be_visible(timeout=30_000)
    if confirm.is_visible():  # item 2 opens a later section: asked first
        click(page, "exam_leave_confirm")
    expect(second).to_be_visible(timeout=30_000)
    before = _seconds_left(page)
    page.wait_for_timeout(3_000)  # long enough that a clock restarted by the reload would read more
    try:
        page.reload()  # the address the exam was on
        wait_for_run(page)
        expect(page.get_by_text("Question 2 of 3")).to_be_visible()
        after = _seconds_left(page)
        assert before - 60 < after <= before - 2, f"the clock read {before} s, then {after} s after the reload"
        page.goto(f"{app_url}/quiz")  # the bare address, as the menu opens it
        wait_for_run(page)
        expect(page.get_by_text("Question 2 of 3")).to_be_visible()
    finally:
        page.goto(f"{app_url}/quiz?mode=exam")  # end it: later tests expect no running exam
        wait_for_run(page)
        click(page, "exam_finish")
    expect(page.get_by_text("Scaled score (estimate)")).to_be_visible()
    click(page, "exam_new")  # and leave the exam set-up, as other tests find it
