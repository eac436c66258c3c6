"""The app works offline: loading its main pages in real Chromium asks nothing of any host but the loopback."""

from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import expect

from tests.e2e.helpers import open_lab, wait_for_run

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _outside(url: str) -> bool:
    """Whether a request leaves the machine (data: and blob: URLs never do)."""
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL_HOSTS


def test_home_labs_and_quiz_request_nothing_outside_the_loopback(page, app_url):
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url) if _outside(request.url) else None)
    for path in ("", "/labs", "/quiz"):
        page.goto(f"{app_url}{path}")
        expect(page.locator('[data-testid="stMain"] h1').first).to_be_visible(timeout=90_000)
        wait_for_run(page)
        page.wait_for_load_state("networkidle")
    open_lab(page, app_url, "01")  # the lab's code editor too: its script, styles and fonts ship with the app
    page.wait_for_load_state("networkidle")
    assert outside == []
