"""The lab's code editor in real Chromium: the red Run button runs exactly the code on screen.

Typed as a learner types: click into the editor, select all, type, then click Run (no Ctrl+Enter, no
leaving the editor first). Every run prints a marker, so the output proves which code ran.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import editor, open_lab, run_and_see, type_code, wait_for_run

EDITOR = editor("01")  # the rich editor of whichever step lab 01 opens on


def _open_lab01(page, app_url) -> None:
    open_lab(page, app_url, "01")


def _focus_editor(page) -> None:
    """Click into the editor's text area, waiting for its script to draw it (keys typed before are lost)."""
    page.locator(f"{EDITOR} textarea").first.click()


def _type(page, code: str) -> None:
    type_code(page, EDITOR, code)


def test_run_runs_the_code_typed_in_the_editor_each_time(page, app_url):
    _open_lab01(page, app_url)
    _type(page, 'print("typed first", 6 * 7)')
    run_and_see(page, "typed first 42")
    _type(page, 'print("typed again", 7 * 7)')  # an edit after a run: Run must not reuse the old text
    run_and_see(page, "typed again 49")
    _type(page, 'print("ctrl enter", 8 * 8)')
    page.keyboard.press("Control+Enter")  # the editor's own shortcut runs too
    expect(page.get_by_text("ctrl enter 64")).to_be_visible(timeout=90_000)


def test_tab_indents_in_the_editor(page, app_url):
    _open_lab01(page, app_url)
    _focus_editor(page)
    page.keyboard.press("Control+A")
    page.keyboard.type('s = """')
    page.keyboard.press("Tab")  # spaces in the text, not the focus moving to the next control
    page.keyboard.type('x"""\nprint("tab gives", len(s))')
    run_and_see(page, "tab gives 5")


def test_the_plain_editor_runs_its_text_and_shares_it_with_the_editor(page, app_url):
    _open_lab01(page, app_url)
    _type(page, 'print("from the editor", 1 + 1)')
    page.locator('[class*="st-key-lab-01-"][class*="-plain"] label').click()
    wait_for_run(page)
    area = page.locator('[class*="st-key-lab-01-"][class*="-area"] textarea')
    expect(area).to_have_value('print("from the editor", 1 + 1)')  # what was on screen carries over
    area.fill('print("from the plain editor", 2 + 2)')
    run_and_see(page, "from the plain editor 4")  # clicked straight away, without leaving the text area
