"""A lab's compute instance in real Chromium: "Open in JupyterLab" in the app gives a link; the link opens the lab's
notebook in the real JupyterLab, in a new tab, with the kernel named as on an Azure ML compute instance; a step run
there passes its check in the app, which grades the same workspace.

Lab 04, whose first step no other browser test touches (they share one DP100_HOME)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import (
    SLOW,
    click,
    open_jupyterlab,
    open_lab,
    open_notebook,
    run_notebook_cell,
    wait_for_notebook_kernel,
)

# Lab 04's first step, as a learner completes the starter in the notebook (one statement per line: no indenting).
UPLOAD = '''from azureml.core import Workspace
ws = Workspace.from_config()
default_ds = ws.get_default_datastore()
parts = ["./data/diabetes-part1.csv", "./data/diabetes-part2.csv"]
default_ds.upload_files(files=parts, target_path="diabetes-data/", overwrite=True)
print("uploaded from", "JupyterLab")'''


def test_a_step_run_in_jupyterlab_passes_its_check_in_the_app(page, app_url, jupyter_home):
    open_lab(page, app_url, "04")
    lab = open_jupyterlab(page, "04-data/lab04.ipynb")
    expect(open_notebook(lab).locator(".jp-RenderedMarkdown h1").first).to_contain_text("Lab 04:", **SLOW)
    wait_for_notebook_kernel(lab)
    run_notebook_cell(lab, 1, UPLOAD, "uploaded from JupyterLab")  # after the "import sim" cell: step 1's starter
    lab.close()
    click(page, "lab_check")  # the app's checklist grades what the notebook did
    expect(page.get_by_text("Every check of this step passes.")).to_be_visible(**SLOW)
