"""A newcomer's first session in real Chromium: read a note, practise, sit a 5-question exam, do lab 1's
first step and check it, then look at their run in the Studio. Screenshots are kept as artefacts."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.test_navigation import _wait_for_run

FIRST_STEP = '''from azureml.core import Workspace
ws = Workspace.create(name="mlw-dp100-lab01", subscription_id="00000000-0000-0000-0000-000000000000",
                      resource_group="rg-dp100-lab01", create_resource_group=True, location="eastus", sku="basic")
print("created", ws.name)
'''
A_RUN = '''from azureml.core import Experiment
run = Experiment(ws, "first-steps").start_logging()
run.log("accuracy", 0.91)
run.complete()
print("logged", run.get_metrics())
'''


def _nav(page, title):
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    _wait_for_run(page)


def _click(page, key):
    page.locator(f".st-key-{key} button").first.click()
    _wait_for_run(page)


def _shot(page, folder, name):
    _wait_for_run(page)
    page.screenshot(path=str(folder / f"newcomer-{name}.png"), full_page=True)


def _run_cell(page, code, printed):
    """Type a cell, run it, and wait until its own output (`printed`) shows."""
    area = page.locator(".st-key-lab-01-create-workspace-area textarea")
    area.fill(code)
    area.press("Tab")  # leave the text area so Streamlit takes its value
    _wait_for_run(page)
    _click(page, "lab_run")
    expect(page.get_by_text(printed)).to_be_visible(timeout=90_000)


def test_newcomer_path(page, app_url, artifacts_dir):
    page.goto(app_url)
    _wait_for_run(page)

    _nav(page, "Study")
    page.get_by_role("button", name="Mark as read").first.click()
    _wait_for_run(page)
    expect(page.get_by_text("You marked this as read.")).to_be_visible()
    _shot(page, artifacts_dir, "1-study")

    page.goto(f"{app_url}/quiz?mode=practice&type=single")
    _wait_for_run(page)
    _click(page, "practice_start")
    page.get_by_test_id("stRadio").first.get_by_role("radio").first.check(force=True)
    _wait_for_run(page)
    _click(page, "practice_check")
    expect(page.get_by_text("Correct!").or_(page.get_by_text("Not quite")).first).to_be_visible()
    _shot(page, artifacts_dir, "2-practice")

    page.goto(f"{app_url}/quiz?mode=exam")
    _wait_for_run(page)
    questions = page.locator(".st-key-exam_total input")
    questions.fill("5")
    questions.press("Enter")
    _wait_for_run(page)
    _click(page, "exam_start")
    for i in range(4):
        expect(page.get_by_text("Time left")).to_be_visible()
        _click(page, "exam_next")
        following, confirm = page.get_by_text(f"Question {i + 2} of 5"), page.locator(".st-key-exam_leave_confirm")
        expect(following.or_(confirm)).to_be_visible(timeout=30_000)
        if confirm.is_visible():  # the next item opens a later section: asked first
            _click(page, "exam_leave_confirm")
        expect(following).to_be_visible(timeout=30_000)
    _click(page, "exam_finish")
    expect(page.get_by_text("Scaled score (estimate)")).to_be_visible()
    _shot(page, artifacts_dir, "3-exam")

    _nav(page, "Labs")
    _click(page, "lab-open-01")
    page.locator(".st-key-lab-01-create-workspace-plain label").click()  # the plain editor is easiest to type in
    _wait_for_run(page)
    _run_cell(page, FIRST_STEP, "created mlw-dp100-lab01")
    _click(page, "lab_check")
    expect(page.get_by_text("Every check of this step passes.")).to_be_visible()
    _run_cell(page, A_RUN, "logged {'accuracy': 0.91}")
    _shot(page, artifacts_dir, "4-lab")

    _nav(page, "Studio")
    page.get_by_role("tab", name="Experiments").click()
    status = page.locator("p", has_text="Status:")  # the run page's status line (table cells are canvas)
    expect(status).to_be_visible()
    expect(status).to_contain_text("Completed")
    _shot(page, artifacts_dir, "5-studio")
