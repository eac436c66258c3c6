"""Set-up speed: a fresh clone, the README's `make run`, and the seconds until Chromium paints the Home page.

Target (issue 14): fresh clone to first painted page <= 30 s with uv, side by side with pip (the fallback,
`make INSTALLER=pip`), which is the baseline. Each run clones HEAD into a temporary folder, so only committed
work is measured. `--cold` gives uv and pip empty caches of their own (everything is downloaded again).

    .venv/bin/python bench/bench_setup.py [--runs N] [--installer uv|pip|both] [--cold]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, _free_port, _wait_healthy  # noqa: E402

GOAL_S = 30.0


def _clone(dest: Path) -> Path:
    """A fresh clone of HEAD, as a new user would have it."""
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(dest)], check=True)
    return dest


def _first_paint(url: str) -> None:
    """Open the app in headless Chromium and wait until the Home page's content is painted."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.goto(url)
            page.locator("[data-testid='stMainBlockContainer'] h1").first.wait_for(timeout=120_000)
        finally:
            browser.close()


def one_setup(installer: str, cold: bool) -> tuple[float, float]:
    """Seconds from `make run` in a fresh clone to the server answering, and to the first painted page."""
    with tempfile.TemporaryDirectory(prefix="bench-setup-") as tmp:
        clone = _clone(Path(tmp) / "dp100")
        env = dict(os.environ, DP100_HOME=str(Path(tmp) / "home"))
        if cold:
            env.update(UV_CACHE_DIR=str(Path(tmp) / "uv-cache"), PIP_NO_CACHE_DIR="1")
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log = open(Path(tmp) / "make.log", "w")
        start = time.monotonic()
        proc = subprocess.Popen(["make", "run", f"PORT={port}", f"INSTALLER={installer}"], cwd=clone, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_healthy(url, proc, timeout=900)
            served = time.monotonic() - start
            _first_paint(url)
            return served, time.monotonic() - start
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
            log.close()


def summary(values: list[float]) -> str:
    """Median with the spread, in seconds."""
    return f"median {statistics.median(values):6.1f} s  (min {min(values):.1f}, max {max(values):.1f}, n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--installer", choices=["uv", "pip", "both"], default="both")
    parser.add_argument("--cold", action="store_true", help="empty download caches for uv and pip")
    args = parser.parse_args()
    installers = ["uv", "pip"] if args.installer == "both" else [args.installer]
    results = {}
    for installer in installers:
        runs = [one_setup(installer, args.cold) for _ in range(args.runs)]
        results[installer] = ([r[0] for r in runs], [r[1] for r in runs])
    cache = "cold caches" if args.cold else "warm caches"
    print(f"fresh clone -> `make run` -> first painted page ({cache}); goal <= {GOAL_S:.0f} s with uv")
    for installer, (served, painted) in results.items():
        role = "baseline" if installer == "pip" else "project"
        print(f"  {installer:3} ({role:8})  server up: {summary(served)}   first paint: {summary(painted)}")
    if len(results) == 2:
        ratio = statistics.median(results["pip"][1]) / statistics.median(results["uv"][1])
        print(f"  uv is {ratio:.1f}x faster than pip to the first painted page")


if __name__ == "__main__":
    main()
