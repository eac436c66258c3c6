"""A newcomer opens the app in real Chromium and clicks through every page."""

from __future__ import annotations

from playwright.sync_api import expect

from ui.navigation import PAGES


def _wait_for_run(page) -> None:
    # Streamlit marks the app "running" while a script executes; wait until it is idle again.
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)


def test_every_page_renders_in_chromium(page, app_url, artifacts_dir):
    page.goto(app_url)
    _wait_for_run(page)
    expect(page.get_by_role("heading", name="DP-100 Study & Lab")).to_be_visible()
    for file, title, *_ in PAGES:
        page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
        _wait_for_run(page)
        heading = "DP-100 Study & Lab" if file == "home_page.py" else title
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        page.screenshot(path=str(artifacts_dir / f"{file.removesuffix('.py')}.png"), full_page=True)
    assert len(list(artifacts_dir.glob("*.png"))) >= len(PAGES)
