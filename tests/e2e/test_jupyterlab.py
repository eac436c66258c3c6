"""A lab's compute instance in real Chromium: "Open in JupyterLab" in the app gives a link; the link opens the lab's
notebook in the real JupyterLab, in a new tab, with the kernel named as on an Azure ML compute instance; a step run
there passes its check in the app, which grades the same workspace.

Lab 04, whose first step no other browser test touches (they share one DP100_HOME)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import click, open_lab

# Lab 04's first step, as a learner completes the starter in the notebook (one statement per line: no indenting).
UPLOAD = '''from azureml.core import Workspace
ws = Workspace.from_config()
default_ds = ws.get_default_datastore()
parts = ["./data/diabetes-part1.csv", "./data/diabetes-part2.csv"]
default_ds.upload_files(files=parts, target_path="diabetes-data/", overwrite=True)
print("uploaded from", "JupyterLab")'''
WAIT = {"timeout": 120_000}  # a first start, JupyterLab's first load, a kernel's start: seconds on a busy machine


@pytest.fixture
def app_home(e2e_home, monkeypatch):
    """The app's DP100_HOME in this process too, so the test can stop the server the app started."""
    monkeypatch.setenv("DP100_HOME", str(e2e_home))
    yield e2e_home
    from labs import jupyter

    jupyter.stop()  # the app would stop it when it ends; the other browser tests need no server running


def _open_jupyterlab(page):
    """Click "Open in JupyterLab", check the link, follow it into a new tab; return that tab."""
    click(page, "lab_jupyterlab")
    link = page.get_by_role("link", name=re.compile("JupyterLab"))
    expect(link).to_be_visible(**WAIT)
    href = link.get_attribute("href")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/lab/tree/04-data/lab04\.ipynb\?token=[0-9a-f]{48}", href), href
    assert link.get_attribute("target") == "_blank"
    with page.context.expect_page() as opened:
        link.click()
    return opened.value


def test_a_step_run_in_jupyterlab_passes_its_check_in_the_app(page, app_url, app_home):
    open_lab(page, app_url, "04")
    lab = _open_jupyterlab(page)
    expect(lab).to_have_url(re.compile(r"/lab/tree/04-data/lab04\.ipynb"), **WAIT)
    expect(lab.locator(".jp-Notebook .jp-RenderedMarkdown h1").first).to_contain_text("Lab 04:", **WAIT)
    # The kernel the notebook asks for, named as on Azure, starts and goes idle.
    expect(lab.locator(".jp-Toolbar-kernelName").first).to_have_text(re.compile("Python 3.8 - AzureML"), **WAIT)
    expect(lab.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').first).to_be_attached(**WAIT)
    step_cell = lab.locator(".jp-CodeCell").nth(1)  # after the "import sim" cell: step 1's starter
    step_cell.locator(".cm-content").click()
    lab.keyboard.press("Control+A")
    lab.keyboard.insert_text(UPLOAD)
    lab.keyboard.press("Shift+Enter")
    expect(step_cell.locator(".jp-OutputArea-output")).to_contain_text("uploaded from JupyterLab", **WAIT)
    lab.close()
    click(page, "lab_check")  # the app's checklist grades what the notebook did
    expect(page.get_by_text("Every check of this step passes.")).to_be_visible(**WAIT)
