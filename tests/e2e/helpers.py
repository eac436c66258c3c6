"""Small steps the browser tests share: wait for Streamlit, click a keyed button, open a lab, type and run code in
its editor, sit an exam across a reload, open the lab's notebook in JupyterLab and run a cell there."""

from __future__ import annotations

import json
import re
import urllib.request

from playwright.sync_api import expect

SLOW = {"timeout": 120_000}  # a lab's set-up, JupyterLab's first load, a kernel's start: long on a busy machine


def wait_for_run(page) -> None:
    """Wait until Streamlit has no script running (it marks the app while one runs)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)


def click(page, key: str) -> None:
    """Click the button drawn with `key` and wait for the rerun it starts."""
    page.locator(f".st-key-{key} button").first.click()
    wait_for_run(page)


def nav(page, title: str) -> None:
    """Go to a page through the sidebar menu, as a learner does."""
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    wait_for_run(page)


def open_lab(page, app_url: str, lab_id: str) -> None:
    """Open a lab from a fresh Labs page, waiting for its checklist (a lab's first opening runs its set-up).

    Waits are generous: on a busy machine a cold page or a lab's set-up can take tens of seconds.
    """
    if "/labs" not in page.url:
        page.goto(f"{app_url}/labs")
    button = page.locator(f".st-key-lab-open-{lab_id} button")
    expect(button).to_be_visible(timeout=90_000)
    # After "All labs" the catalogue shows while the old lab's checklist is still being cleared away; a click
    # in that moment can land on a button that moves and be lost.
    expect(page.locator('[class*="st-key-lab-step-"]')).to_have_count(0)
    wait_for_run(page)
    button.click()
    expect(page.locator(f".st-key-lab-step-list-{lab_id}")).to_be_visible(timeout=90_000)
    wait_for_run(page)


# -- the lab's code editor ---------------------------------------------------------------------------------
def editor(lab_id: str, step: str = "") -> str:
    """The selector of a lab step's rich editor (its key ends in "-editor-<generation>"); any step when not named."""
    if step:
        return f'[class*="st-key-lab-{lab_id}-{step}-editor-"]'
    return f'[class*="st-key-lab-{lab_id}-"][class*="-editor-"]'


def type_code(page, editor_selector: str, code: str) -> None:
    """Replace the editor's text by typing `code` key by key, as a learner does.

    Click into the editor first (waiting for its script to draw it: keys typed before are lost). Give lines without
    leading spaces: editors may auto-indent.
    """
    page.locator(f"{editor_selector} textarea").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(code)


def run_and_see(page, printed: str) -> None:
    """Click the red Run button and wait until `printed` shows in the output."""
    click(page, "lab_run")
    expect(page.get_by_text(printed)).to_be_visible(timeout=90_000)


def expect_lab_in_place(page, lab_id: str, heading: str, printed: str) -> None:
    """The lab is open on the step titled `heading`, showing the output of the last run (`printed`)."""
    expect(page.locator(f".st-key-lab-step-list-{lab_id}")).to_be_visible(timeout=90_000)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text(printed)).to_be_visible(timeout=30_000)


# -- exams -------------------------------------------------------------------------------------------------
def start_exam(page, app_url: str, questions: int, minutes: int) -> None:
    """Set up and start an exam of `questions` items and `minutes` minutes (closing an earlier report first)."""
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


def next_exam_question(page, number: int, total: int) -> None:
    """Click "Next" and arrive at item `number` (confirming the move when it opens a later section)."""
    expect(page.get_by_text("Time left")).to_be_visible()
    click(page, "exam_next")
    following, confirm = page.get_by_text(f"Question {number} of {total}"), page.locator(".st-key-exam_leave_confirm")
    expect(following.or_(confirm)).to_be_visible(timeout=30_000)
    if confirm.is_visible():  # the next item opens a later section: asked first
        click(page, "exam_leave_confirm")
    expect(following).to_be_visible(timeout=30_000)


def seconds_left(page) -> int:
    """The exam clock's reading, in seconds."""
    minutes, seconds = re.search(r"(\d+):(\d\d)", page.get_by_text("Time left").inner_text()).groups()
    return int(minutes) * 60 + int(seconds)


def reload_mid_exam(page, number: int, total: int) -> None:
    """Reload the page on item `number`: the same item comes back with its clock still counting down."""
    before = seconds_left(page)
    # Not a synchronisation: time passing, so that a clock restarted (or paused) by the reload would read more.
    page.wait_for_timeout(3_000)
    page.reload()
    wait_for_run(page)
    expect(page.get_by_text(f"Question {number} of {total}")).to_be_visible(timeout=30_000)
    after = seconds_left(page)
    assert before - 60 < after <= before - 2, f"the clock read {before} s, then {after} s after the reload"


# -- JupyterLab --------------------------------------------------------------------------------------------
def open_jupyterlab(page, notebook: str):
    """Click "Open in JupyterLab", check its link (the lab's `notebook` path, a token, a new tab), check that the
    JupyterLab server's API answers, and follow the link; return the new tab."""
    click(page, "lab_jupyterlab")
    link = page.get_by_role("link", name=re.compile("JupyterLab"))
    expect(link).to_be_visible(**SLOW)
    href = link.get_attribute("href")
    found = re.fullmatch(r"(http://127\.0\.0\.1:\d+)/lab/tree/" + re.escape(notebook) + r"\?token=([0-9a-f]{48})", href)
    assert found, href
    assert link.get_attribute("target") == "_blank"
    assert jupyterlab_api(found[1], found[2], "/api/status")["kernels"] >= 0
    with page.context.expect_page() as opened:
        link.click()
    tab = opened.value
    expect(tab).to_have_url(re.compile(r"/lab/tree/" + re.escape(notebook)), **SLOW)
    return tab


def jupyterlab_api(base_url: str, token: str, path: str):
    """One GET of the JupyterLab server's REST API (straight to the loopback, no proxy); its parsed JSON."""
    request = urllib.request.Request(base_url + path, headers={"Authorization": f"token {token}"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=30) as resp:
        assert resp.status == 200, f"{path} answered {resp.status}"
        return json.loads(resp.read())


def open_notebook(tab):
    """The notebook on show in a JupyterLab tab (JupyterLab restores notebooks opened before, in hidden panels)."""
    return tab.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")


def wait_for_notebook_kernel(tab, kernel_name: str = "Python 3.8 - AzureML") -> None:
    """The notebook's kernel (named as on an Azure ML compute instance) has started and is idle."""
    notebook = open_notebook(tab)
    expect(notebook.locator(".jp-Toolbar-kernelName")).to_have_text(re.compile(re.escape(kernel_name)), **SLOW)
    expect(notebook.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]')).to_be_attached(**SLOW)


def _edit(tab, cell, tries: int = 3) -> None:
    """Put `cell`'s editor in edit mode, clicking again if a click missed it: keys typed in command mode are
    shortcuts (a CI run's click landed while cells above were still being drawn, and the code went to other cells)."""
    for attempt in range(tries):
        cell.evaluate("element => element.scrollIntoView({block: 'center'})")
        cell.locator(".cm-content").click()
        try:
            expect(cell).to_have_class(re.compile(r"\bjp-mod-active\b"), timeout=5_000)
            expect(open_notebook(tab).locator(".jp-Notebook.jp-mod-editMode")).to_be_attached(timeout=5_000)
            return
        except AssertionError:
            if attempt == tries - 1:
                raise


def run_notebook_cell(tab, index: int, code: str, printed: str) -> None:
    """Replace code cell `index` with `code` (one statement per line, no indenting), run it with Shift+Enter and
    wait for `printed` in its output."""
    cell = open_notebook(tab).locator(".jp-CodeCell").nth(index)
    # JupyterLab leaves cells out of view unrendered (CSS content-visibility), which Playwright counts as hidden:
    # bring the cell into view as a learner scrolls to it.
    expect(cell).to_be_attached(**SLOW)
    _edit(tab, cell)
    tab.keyboard.press("Control+A")
    tab.keyboard.insert_text(code)
    tab.keyboard.press("Shift+Enter")
    expect(cell.locator(".jp-OutputArea-output")).to_contain_text(printed, **SLOW)
