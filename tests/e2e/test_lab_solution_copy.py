""""Copy the solution into the editor" in real Chromium: the code editor (its text lives in the browser) shows
the solution, replacing what the learner had typed."""

from __future__ import annotations

from playwright.sync_api import expect

from labs.spec import get_lab
from tests.e2e.helpers import click, open_lab

STEP = "inspect-resources"
EDITOR = f'[class*="st-key-lab-01-{STEP}-editor-"] textarea'


def test_copying_the_solution_puts_it_in_the_code_editor(page, app_url):
    solution = get_lab("01").spec.step(STEP).solution
    open_lab(page, app_url, "01")
    click(page, f"lab-goto-01-{STEP}")
    try:
        page.locator(EDITOR).first.click()
        page.keyboard.press("Control+A")
        page.keyboard.type('print("my own attempt")')
        click(page, "lab_solution")
        click(page, "lab_copy_solution")
        # One editor, rebuilt with the solution. While Streamlit swaps the old editor for the new one both can be
        # on the page for a moment: `.first` (retried until it holds) keeps that moment from failing the test.
        editors = page.locator(EDITOR)
        expect(editors).to_have_count(1)
        expect(editors.first).to_have_value(solution)
    finally:
        click(page, "lab-goto-01-create-workspace")  # later tests expect lab 01 to open on its first step
