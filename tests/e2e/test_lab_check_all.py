""""Check all" in real Chromium: its result belongs to the lab it checked, not to the next lab opened."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import click, open_lab

SUMMARY = "steps pass."  # the line under the checklist: "**n/m** steps pass."


def test_check_all_in_one_lab_does_not_show_in_the_next(page, app_url):
    open_lab(page, app_url, "01")
    click(page, "lab_check_all")
    expect(page.get_by_text(SUMMARY)).to_be_visible(timeout=90_000)
    click(page, "lab_back")
    open_lab(page, app_url, "02")
    expect(page.get_by_text(SUMMARY)).to_have_count(0)
    click(page, "lab_back")
    open_lab(page, app_url, "01")
    expect(page.get_by_text(SUMMARY)).to_be_visible()  # lab 01 still shows its own result
