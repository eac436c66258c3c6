"""A step's check report in real Chromium: a new run of the cell clears the report of the code before it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import click, open_lab

# The table of a step's checks (show_checks draws one per report).
REPORT = '[data-testid="stTable"]'
EDITOR = '[class*="st-key-lab-01-"][class*="-editor-"]'


def test_a_new_run_clears_the_previous_check_report(page, app_url):
    open_lab(page, app_url, "01")
    click(page, "lab_check")
    expect(page.locator(REPORT)).to_be_visible(timeout=90_000)
    page.locator(f"{EDITOR} textarea").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.type('print("a new run", 3 * 3)')
    click(page, "lab_run")
    expect(page.get_by_text("a new run 9")).to_be_visible(timeout=90_000)
    expect(page.locator(REPORT)).to_have_count(0)  # the old verdict no longer sits under the new output
