"""UI speed: warm AppTest reruns per page, cold start to first paint, answer-to-feedback and typed code -> Run ->
output in Chromium.

Targets (issue 6): each page's warm rerun under 300 ms median; `streamlit run` to the first painted page
under 5 s; answering a question and seeing the feedback under 500 ms. Issue 14: code typed in a lab's editor, Run
clicked, its output on screen in under 1.5 s once the lab's kernel is warm.

    .venv/bin/python bench/bench_ui.py [--runs N]
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DP100_HOME", tempfile.mkdtemp(prefix="bench-ui-"))
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, _free_port, _wait_healthy  # noqa: E402
from ui.navigation import PAGES  # noqa: E402

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect
except ImportError:  # only the browser figures need it
    expect = PlaywrightTimeout = None


def spread(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    return f"median {statistics.median(ms):7.1f} ms  (min {ms[0]:.1f}, max {ms[-1]:.1f}, n={len(ms)})"


def warm_reruns(runs: int) -> None:
    from streamlit.testing.v1 import AppTest

    # AppTest builds each page outside a server and Streamlit warns about it on every call. A filter, because
    # Streamlit resets its loggers' levels when it loads its config.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())

    print("Warm AppTest rerun per page (target < 300 ms median)")
    for file, title, *_ in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
        at.switch_page(f"ui/pages/{file}").run()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        print(f"  {title:<10} {spread(times)}")


def _start_app(home: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = dict(os.environ, DP100_HOME=home)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    return proc, f"http://127.0.0.1:{port}"


def browser_figures(runs: int) -> None:
    from playwright.sync_api import sync_playwright

    paints, first_answers, later_answers, settle = [], [], [], []
    with sync_playwright() as pw:
        chrome = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        for _ in range(runs):
            home = tempfile.mkdtemp(prefix="bench-ui-run-")
            start = time.perf_counter()
            proc, url = _start_app(home)
            try:
                _wait_healthy(url, proc)
                page = chrome.new_page()
                page.goto(url)
                page.get_by_role("heading", name="DP-100 Study & Lab").wait_for()
                paints.append(time.perf_counter() - start)
                first, *later = _answers(page, url, 4, settle)
                first_answers.append(first)
                later_answers += later
                page.close()
            finally:
                os.killpg(proc.pid, 15)
                proc.wait(timeout=15)
        chrome.close()
    print("Cold start: `streamlit run` to the first painted page (target < 5 s)")
    print(f"  {spread(paints)}")
    print("Answer a practice question and see the feedback (target < 500 ms)")
    print(f"  first answer after start  {spread(first_answers)}")
    print(f"  later answers             {spread(later_answers)}")
    print(f"  (before each click, the button was found, visible and still: {spread(settle)})")
    print(f"  'Next question' clicks that changed nothing (clicked again): {len(LOST_NEXT_CLICKS)} "
          f"of {runs * 3 + len(LOST_NEXT_CLICKS)}")


def _idle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')


def _answers(page, url: str, count: int, settle: list[float]) -> list[float]:
    """Seconds from the click on "Check answer" to the feedback on screen, for `count` questions in a row.

    The clock starts when the click is dispatched. Playwright's own actionability wait (visible, enabled, not
    moving) runs first as a trial click, timed apart into `settle`: it is the robot's delay, not the learner's,
    but a long one would mean the button is still moving when the learner reaches for it.
    """
    page.goto(f"{url}/quiz?mode=practice&type=single")
    _idle(page)
    page.get_by_role("button", name="Start practising").click()
    times = []
    for i in range(count):
        page.get_by_text(f"Question {i + 1} of").wait_for()
        check = page.get_by_role("button", name="Check answer")
        check.wait_for()  # absent while the previous question's feedback is still on screen
        _idle(page)
        radio = page.get_by_test_id("stRadio").first.get_by_role("radio").first
        radio.check(force=True)
        expect(radio).to_be_checked()
        _idle(page)
        expect(check).to_be_enabled()
        start = time.perf_counter()
        check.click(trial=True)
        settle.append(time.perf_counter() - start)
        start = time.perf_counter()
        check.click()
        page.get_by_text("Correct!").or_(page.get_by_text("Not quite")).first.wait_for()
        times.append(time.perf_counter() - start)
        _next_question(page, i + 2)
    return times


LOST_NEXT_CLICKS = []  # one entry per "Next question" click that the app did not act on


def _next_question(page, number: int) -> None:
    # A click on "Next question" has been seen, rarely, to change nothing (see the closing notes of sessions 2
    # and 3). Count it and click again, so the figures go on and the count is printed beside them.
    for _ in range(3):
        page.get_by_role("button", name="Next question").click()
        try:
            page.get_by_text(f"Question {number} of").wait_for(timeout=5000)
            return
        except PlaywrightTimeout:
            LOST_NEXT_CLICKS.append(number)
    raise RuntimeError(f"'Next question' did nothing three times in a row (towards question {number}).")


def run_figures(runs: int) -> None:
    """Seconds from the click on Run to the output on screen, for `runs` small cells typed into lab 01's editor.

    One run first warms the lab's kernel (its start and the simulator's imports are a one-off per lab session).
    Each cell prints a number of its own, so the output waited for is that run's and not an earlier one's.
    """
    from playwright.sync_api import sync_playwright

    from tests.e2e.helpers import editor, open_lab, type_code, wait_for_run

    home = tempfile.mkdtemp(prefix="bench-ui-lab-")
    proc, url = _start_app(home)
    times, settle = [], []
    try:
        _wait_healthy(url, proc)
        with sync_playwright() as pw:
            chrome = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
            page = chrome.new_page()
            page.set_default_timeout(120_000)  # the lab's set-up and the kernel's first start, on a busy machine
            open_lab(page, url, "01")
            run_button = page.locator(".st-key-lab_run button")
            for n in range(1000, 1001 + runs):  # the first run warms the kernel and is not counted
                type_code(page, editor("01"), f"print({n})")
                start = time.perf_counter()
                run_button.click(trial=True)
                settle.append(time.perf_counter() - start)
                start = time.perf_counter()
                run_button.click()
                # In the output's code block: the editor's own highlighting shows the number as a token too.
                page.get_by_test_id("stCode").filter(has_text=re.compile(rf"^\s*{n}\s*$")).first.wait_for()
                times.append(time.perf_counter() - start)
                wait_for_run(page)
            chrome.close()
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=15)
    print("Type a cell in a lab's code editor, click Run, see its output (target < 1.5 s, kernel warm)")
    print(f"  first run after opening the lab  {times[0]:.2f} s")
    print(f"  warm runs                        {spread(times[1:])}")
    print(f"  (before each click, the Run button was found, visible and still: {spread(settle[1:])})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    warm_reruns(max(args.runs, 5) * 2)
    browser_figures(args.runs)
    run_figures(args.runs * 2)


if __name__ == "__main__":
    main()
