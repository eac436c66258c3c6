"""Small steps the browser tests share: wait for Streamlit, click a keyed button, open a lab."""

from __future__ import annotations

from playwright.sync_api import expect


def wait_for_run(page) -> None:
    """Wait until Streamlit has no script running (it marks the app while one runs)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)


def click(page, key: str) -> None:
    """Click the button drawn with `key` and wait for the rerun it starts."""
    page.locator(f".st-key-{key} button").first.click()
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
