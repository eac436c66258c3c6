"""A studio link in a lab cell's output, in real Chromium: it opens the app's own Studio on the Experiments tab
with the linked run, instead of ml.azure.com (which an offline learner cannot reach)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.helpers import click, open_lab, wait_for_run

STEP = "inspect-resources"
EDITOR = f'[class*="st-key-lab-01-{STEP}-editor-"] textarea'
CELL = """from azureml.core import Experiment, Workspace
sub, group = "00000000-0000-0000-0000-000000000000", "rg-studio-links"
ws = Workspace.create("mlw-studio-links", subscription_id=sub, resource_group=group, location="eastus", exist_ok=True)
run = Experiment(ws, "linked-from-a-lab").start_logging()
run.log("answer", 42)
run.complete()
print("link", run.get_portal_url())
"""


def test_a_studio_link_in_an_output_opens_the_studio_on_its_run(page, app_url):
    open_lab(page, app_url, "01")
    click(page, f"lab-goto-01-{STEP}")
    try:
        page.locator(EDITOR).first.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(CELL)
        click(page, "lab_run")
        link = page.get_by_role("link", name="Open in Studio: Experiments ›")
        expect(link).to_be_visible(timeout=90_000)
        link.click()
        wait_for_run(page)
        expect(page.get_by_role("tab", name="Experiments", selected=True)).to_be_visible(timeout=30_000)
        expect(page.get_by_role("combobox", name="Workspace")).to_have_value(re.compile("^mlw-studio-links"))
        expect(page.get_by_role("combobox", name="Experiment")).to_have_value("linked-from-a-lab")
        expect(page.locator("p", has_text="Status:").first).to_contain_text("Completed")
    finally:
        page.goto(f"{app_url}/labs")  # a new session: the list of labs
        open_lab(page, app_url, "01")
        click(page, "lab-goto-01-create-workspace")  # later tests expect lab 01 to open on its first step
