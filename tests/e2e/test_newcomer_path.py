"""A newcomer's first session in real Chromium, as one learner's path: read a note, practise, sit a 5-question exam
(reloading the page in the middle of it), do lab 01's first step by typing in the code editor and clicking Run, check
it, reload in the middle of the lab, open the lab in JupyterLab and do the next step there, check it in the app, then
look at their run in the Studio. Screenshots are kept as artefacts."""

from __future__ import annotations

from playwright.sync_api import expect

from progress import Record
from tests.e2e.helpers import (
    SLOW,
    click,
    editor,
    expect_lab_in_place,
    nav,
    next_exam_question,
    open_jupyterlab,
    open_lab,
    reload_mid_exam,
    run_and_see,
    run_notebook_cell,
    start_exam,
    type_code,
    wait_for_notebook_kernel,
    wait_for_run,
)
from ui.views.quiz_practice import SAVED

# Typed key by key into the editor: no line starts with spaces (the editor may auto-indent).
FIRST_STEP = '''from azureml.core import Workspace
ws = Workspace.create(name="mlw-dp100-lab01", subscription_id="00000000-0000-0000-0000-000000000000",
resource_group="rg-dp100-lab01", create_resource_group=True, location="eastus", sku="basic")
print("created", ws.name)'''
A_RUN = '''from azureml.core import Experiment
run = Experiment(ws, "first-steps").start_logging()
run.log("accuracy", 0.91)
run.complete()
print("logged", run.get_metrics())'''
LOGGED = "logged {'accuracy': 0.91}"
# Lab 01's second step, done in the notebook: a fresh kernel, so it connects to the workspace first.
RESOURCES = '''import json
from azureml.core import Workspace
subscription = "00000000-0000-0000-0000-000000000000"
ws = Workspace.get(name="mlw-dp100-lab01", subscription_id=subscription, resource_group="rg-dp100-lab01")
details = ws.get_details()
keys = ("storageAccount", "keyVault", "applicationInsights", "containerRegistry")
resources = {key: details.get(key) for key in keys}
open("resources.json", "w").write(json.dumps(resources, indent=2))
print("saved", len(resources), "resource ids from JupyterLab")'''
STEP_1, STEP_2 = "1. Create the workspace", "2. Inspect the associated resources"


def _shot(page, folder, name):
    wait_for_run(page)
    page.screenshot(path=str(folder / f"newcomer-{name}.png"), full_page=True)


def _study_and_practise(page, app_url, artifacts_dir):
    nav(page, "Study")
    page.get_by_role("button", name="Mark as read").first.click()
    wait_for_run(page)
    expect(page.get_by_text("You marked this as read.")).to_be_visible()
    _shot(page, artifacts_dir, "1-study")
    page.goto(f"{app_url}/quiz?mode=practice&type=single")
    wait_for_run(page)
    click(page, "practice_start")
    page.get_by_test_id("stRadio").first.get_by_role("radio").first.check(force=True)
    wait_for_run(page)
    click(page, "practice_check")
    expect(page.get_by_text("Correct!").or_(page.get_by_text("Not quite")).first).to_be_visible()
    _shot(page, artifacts_dir, "2-practice")


def _sit_exam(page, app_url, artifacts_dir):
    """Five questions; a reload on the second brings the exam back on it, its clock still running."""
    start_exam(page, app_url, questions=5, minutes=20)
    next_exam_question(page, 2, 5)
    reload_mid_exam(page, 2, 5)
    for number in range(3, 6):
        next_exam_question(page, number, 5)
    click(page, "exam_finish")
    expect(page.get_by_text("Scaled score (estimate)")).to_be_visible()
    _shot(page, artifacts_dir, "3-exam")


def _first_lab_step(page, app_url, artifacts_dir):
    """Typed in the code editor and run with the Run button; the check passes; a reload keeps the lab's place."""
    nav(page, "Labs")
    open_lab(page, app_url, "01")
    type_code(page, editor("01", "create-workspace"), FIRST_STEP)
    run_and_see(page, "created mlw-dp100-lab01")
    click(page, "lab_check")
    expect(page.get_by_text("Every check of this step passes.")).to_be_visible(**SLOW)
    type_code(page, editor("01", "create-workspace"), A_RUN)
    run_and_see(page, LOGGED)
    page.reload()
    wait_for_run(page)
    expect_lab_in_place(page, "01", STEP_1, LOGGED)
    _shot(page, artifacts_dir, "4-lab")


def _next_step_in_jupyterlab(page, artifacts_dir):
    """Open the lab in JupyterLab, do step 2 in the notebook's kernel, and check it in the app."""
    notebook = open_jupyterlab(page, "01-workspace/lab01.ipynb")
    wait_for_notebook_kernel(notebook)
    run_notebook_cell(notebook, 2, RESOURCES, "saved 4 resource ids from JupyterLab")  # "import sim", step 1, step 2
    notebook.screenshot(path=str(artifacts_dir / "newcomer-5-jupyterlab.png"))
    notebook.close()
    click(page, "lab-goto-01-inspect-resources")
    expect(page.get_by_role("heading", name=STEP_2)).to_be_visible()
    click(page, "lab_check")
    expect(page.get_by_text("Every check of this step passes.")).to_be_visible(**SLOW)
    click(page, "lab-goto-01-create-workspace")  # later tests expect lab 01 to open on its first step


def test_newcomer_path(page, app_url, artifacts_dir, jupyter_home, e2e_home):
    # A newcomer has no practice queue under way; an earlier test's queue would fold the filters away and hide
    # the Start button (the browser tests share one learner's record).
    Record(f"sqlite:///{e2e_home / 'progress.db'}").set_setting(SAVED, None)
    page.goto(app_url)
    wait_for_run(page)
    _study_and_practise(page, app_url, artifacts_dir)
    _sit_exam(page, app_url, artifacts_dir)
    _first_lab_step(page, app_url, artifacts_dir)
    _next_step_in_jupyterlab(page, artifacts_dir)

    nav(page, "Studio")
    experiments = page.get_by_role("tab", name="Experiments")
    expect(experiments).to_be_visible(**SLOW)  # the Studio's first opening loads the workspace: slow when busy
    experiments.click()
    status = page.locator("p", has_text="Status:")  # the run page's status line (table cells are canvas)
    expect(status).to_be_visible(**SLOW)  # drawn once the whole page's script has read the workspace
    expect(status).to_contain_text("Completed")
    _shot(page, artifacts_dir, "6-studio")
