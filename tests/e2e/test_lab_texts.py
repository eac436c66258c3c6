"""Lab texts that misled learners, in real Chromium (issue 14, bug 10): lab 01's role step points to a terminal
the learner can open (JupyterLab's), not to "this lab's terminal", which the page never had; lab 02's MLflow step,
run without `mlflow.set_experiment`, is checked and named for that, not blamed on the tracking URI."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import SLOW, click, editor, open_lab, run_and_see, type_code, wait_for_run

REPORT = '[data-testid="stTable"]'  # a step's check report
# Typed key by key: no line starts with spaces (the editor may auto-indent), so no `with` block.
MLFLOW_WITHOUT_EXPERIMENT = '''import mlflow
from azureml.core import Workspace
ws = Workspace.from_config()
mlflow.set_tracking_uri(ws.get_mlflow_tracking_uri())
run = mlflow.start_run()
mlflow.log_metric("observations", 10000)
mlflow.end_run()
print("logged without an experiment", run.info.run_id[:4] != "")'''


def test_lab_01_role_step_sends_the_learner_to_a_terminal_that_exists(page, app_url):
    open_lab(page, app_url, "01")
    click(page, "lab-goto-01-assign-role")
    try:
        expect(page.get_by_role("heading", name="5. Give a teammate a role")).to_be_visible()
        expect(page.get_by_text("a terminal of the lab's JupyterLab")).to_be_visible()
        expect(page.get_by_text("this lab's terminal")).to_have_count(0)
        expect(page.locator(".st-key-lab_jupyterlab button")).to_be_visible()  # the button the text names
    finally:
        click(page, "lab-goto-01-create-workspace")  # later tests expect lab 01 to open on its first step


def test_lab_02_mlflow_step_without_set_experiment_is_named_for_it(page, app_url):
    open_lab(page, app_url, "02")
    click(page, "lab-goto-02-mlflow-notebook")
    try:
        expect(page.get_by_role("heading", name="3. MLflow in a notebook")).to_be_visible()
        type_code(page, editor("02", "mlflow-notebook"), MLFLOW_WITHOUT_EXPERIMENT)
        run_and_see(page, "logged without an experiment True")
        click(page, "lab_check")
        report = page.locator(REPORT)
        expect(report).to_contain_text("call mlflow.set_experiment('mlflow-diabetes') before mlflow.start_run()",
                                       **SLOW)
        expect(report).to_contain_text("The tracking URI is right.")
        expect(report).not_to_contain_text("Set the tracking URI")
    finally:
        wait_for_run(page)
        click(page, "lab-goto-02-inline-run")  # leave lab 02 on its first step, as a fresh one opens
