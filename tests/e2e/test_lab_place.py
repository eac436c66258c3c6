"""Labs keep their place in real Chromium: after a reload, and after going Home and back, the same lab shows on
the same step with the outputs of its last run and its last check report."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import click, editor, expect_lab_in_place, nav, open_lab, run_and_see, type_code, wait_for_run

STEP_2 = "inspect-resources"
EDITOR = editor("01", STEP_2)
HEADING = "2. Inspect the associated resources"
REPORT = '[data-testid="stTable"]'


def _in_place(page) -> None:
    """Lab 01 is open on step 2, with the output of the run made there and the report of the check after it."""
    expect_lab_in_place(page, "01", HEADING, "kept in place 42")
    expect(page.locator(REPORT)).to_contain_text("resources file present")


def test_a_lab_keeps_its_step_and_outputs_over_a_reload_and_a_visit_home(page, app_url):
    open_lab(page, app_url, "01")
    click(page, f"lab-goto-01-{STEP_2}")
    expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    type_code(page, EDITOR, 'print("kept in place", 6 * 7)')
    run_and_see(page, "kept in place 42")
    click(page, "lab_check")
    expect(page.locator(REPORT)).to_be_visible(timeout=90_000)
    try:
        page.reload()
        wait_for_run(page)
        _in_place(page)
        nav(page, "Home")
        expect(page.locator(".st-key-lab-step-list-01")).to_have_count(0)
        nav(page, "Labs")
        _in_place(page)
    finally:
        click(page, "lab-goto-01-create-workspace")  # later tests expect lab 01 to open on its first step
