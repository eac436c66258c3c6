"""Small steps the browser tests share: wait for Streamlit, use the sidebar, click a keyed button."""

from __future__ import annotations


def wait_for_run(page) -> None:
    """Wait until Streamlit has no script running (it marks the app while one runs)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)


def nav(page, title: str) -> None:
    """Open a page from the sidebar menu."""
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    wait_for_run(page)


def click(page, key: str) -> None:
    """Click the button drawn with `key` and wait for the rerun it starts."""
    page.locator(f".st-key-{key} button").first.click()
    wait_for_run(page)
