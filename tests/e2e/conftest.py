"""Browser tests: a real `streamlit run app.py` on a free loopback port, driven in headless Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DP100_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


@pytest.fixture(scope="session")
def e2e_home(tmp_path_factory):
    return tmp_path_factory.mktemp("e2e-home")


@pytest.fixture(scope="session")
def app_log(tmp_path_factory) -> Path:
    """The app server's log (its stdout and stderr): some of Streamlit's warnings reach only the log."""
    return tmp_path_factory.mktemp("e2e-logs") / "streamlit.log"


@pytest.fixture(scope="session")
def app_url(e2e_home, app_log):
    """Start the app once for the browser tests; stop its whole process group afterwards."""
    port = _free_port()
    env = dict(os.environ, DP100_HOME=str(e2e_home), MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true")
    log = open(app_log, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright; never a downloaded browser."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found: install Debian's chromium (.ci/run does) or set DP100_CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chrome = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield chrome
        chrome.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    # Assertions wait as long as actions do: Playwright's own 5 s for `expect` is one rerun on a loaded machine
    # (a language switch missed its heading at load 20). A passing assertion still returns at once.
    expect.set_options(timeout=30_000)
    yield pg
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir(tmp_path_factory):
    """Screenshots go to DP100_ARTIFACTS (CI keeps them) or a temp folder."""
    target = os.environ.get("DP100_ARTIFACTS")
    path = Path(target) if target else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _alive(pid: int) -> bool:
    """True for a live process (a zombie, ended but not yet collected, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture
def jupyter_home(e2e_home, monkeypatch):
    """For a test that opens JupyterLab from the app: the app's DP100_HOME in this process too, so that the test
    can stop the server the app started; afterwards, no server, kernel or terminal of it may be left running."""
    monkeypatch.setenv("DP100_HOME", str(e2e_home))
    yield e2e_home
    from labs import jupyter
    from labs.kernel import _children

    server = jupyter.status()
    started = [server.pid, *_children(server.pid)] if server else []
    jupyter.stop()  # the app would stop it when it ends; the other browser tests need no server running
    left = [pid for pid in started if _alive(pid)]
    assert not left, f"JupyterLab processes left running after the test: {left}"
