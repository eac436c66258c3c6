"""A `%%writefile` cell in the page's one-cell editor, in real Chromium: typed and run on its own it writes the file,
and the next run uses it; written below other code, the page says how to give it a cell of its own."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.helpers import click, open_lab

EDITOR = '[class*="st-key-lab-01-"][class*="-editor-"]'  # the rich editor of the step lab 01 opens on
WAIT = {"timeout": 90_000}


def _type(page, code: str) -> None:
    """Replace the editor's text by typing `code` (lines without leading spaces: the editor keeps indentation)."""
    page.locator(f"{EDITOR} textarea").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(code)


def test_a_writefile_cell_then_a_cell_that_uses_the_file(page, app_url):
    open_lab(page, app_url, "01")
    _type(page, '%%writefile page_cell.py\nprint("written by a page cell", 6 * 7)')
    click(page, "lab_run")
    expect(page.get_by_text(re.compile(r"(Writing|Overwriting) page_cell\.py"))).to_be_visible(**WAIT)
    _type(page, "%run page_cell.py")
    click(page, "lab_run")
    expect(page.get_by_text("written by a page cell 42")).to_be_visible(**WAIT)


def test_a_writefile_line_below_other_code_is_explained(page, app_url):
    open_lab(page, app_url, "01")
    _type(page, 'print("code first")\n%%writefile late_cell.py\nprint(1)')
    click(page, "lab_run")
    expect(page.get_by_text("%%writefile is a cell magic: it works only as the first line")).to_be_visible(**WAIT)
