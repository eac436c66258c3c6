"""Benchmark of the lab engine; prints medians and spreads.

    .venv/bin/python bench/bench_labs.py [--starts 7] [--check-repeats 10] [--labs 01,02,03,04,05,06,07]

1. Kernel start to first result: start a lab kernel, run `1 + 1`, shut it down. Target: median under 3 s.
2. One step's checks (state inspection), warm, on a solved lab 02. Target: median under 200 ms.
3. A whole lab: set-up, kernel, every reference solution, then every step's checks. Target: under 60 s.
It works in a temporary DP100_HOME and deletes it afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _summary(label: str, seconds: list[float]) -> str:
    spread = f"min {min(seconds):.3f} s, max {max(seconds):.3f} s"
    return f"{label}: median {statistics.median(seconds):.3f} s ({spread}, n={len(seconds)})"


def bench_kernel_start(starts: int) -> list[float]:
    """Seconds from creating a lab kernel to the first cell's result."""
    from dp100 import paths
    from labs.kernel import LabKernel

    times = []
    for index in range(starts):
        started = time.perf_counter()
        kernel = LabKernel(paths.labs_dir() / f"bench-{index}")
        kernel.start()
        result = kernel.execute("1 + 1")
        times.append(time.perf_counter() - started)
        kernel.shutdown()
        assert result.ok, result.text()
    return times


def solve_lab(lab_id: str) -> dict:
    """Set up, run every reference solution in a kernel and check every step; returns timings."""
    from labs import api

    timings = {}
    started = time.perf_counter()
    session = api.open_session(lab_id)
    timings["setup+kernel"] = time.perf_counter() - started
    mark = time.perf_counter()
    for step in session.lab.spec.steps:
        result = session.run_solution(step)
        if not result.ok:
            raise RuntimeError(f"lab {lab_id} step {step.id} failed: {result.message}\n{result.text()[-2000:]}")
    timings["solutions"] = time.perf_counter() - mark
    mark = time.perf_counter()
    reports = api.check_lab(lab_id, record=False)
    timings["grading"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    failing = [(r.step_id, r.message) for r in reports if not r.passed]
    if failing:
        raise RuntimeError(f"lab {lab_id} solution does not pass: {failing}")
    api.close_session(lab_id)
    return timings


def bench_step_checks(lab_id: str, repeats: int) -> dict[str, list[float]]:
    """Seconds per step's checks on an already solved lab (warm: the first pass is not counted)."""
    from labs import api, grading, state
    from labs.spec import get_lab

    lab = get_lab(lab_id)
    attempt = state.Attempt(lab, state.lab_folder(lab))
    times: dict[str, list[float]] = {}
    for step in lab.spec.steps:
        grading.run_step(lab, step, attempt.folder, attempt.params)
        for _ in range(repeats):
            started = time.perf_counter()
            api.check_step(lab_id, step.id, record=False)
            times.setdefault(step.id, []).append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=7)
    parser.add_argument("--check-repeats", type=int, default=10)
    parser.add_argument("--labs", default="01,02,03,04,05,06,07")
    args = parser.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="bench-labs-"))
    os.environ["DP100_HOME"] = str(home)
    try:
        print(_summary("kernel start to first result", bench_kernel_start(args.starts)))
        lab_ids = [x.strip() for x in args.labs.split(",") if x.strip()]
        for lab_id in lab_ids:
            timings = solve_lab(lab_id)
            parts = ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
            print(f"lab {lab_id} reference solution + grading: {parts}")
        if "02" in lab_ids:
            per_step = bench_step_checks("02", args.check_repeats)
            everything = [t for values in per_step.values() for t in values]
            for step_id, values in per_step.items():
                print(_summary(f"lab 02 step '{step_id}' checks", values))
            print(_summary("one step's checks, all lab 02 steps", everything))
    finally:
        from labs import api

        api.close_all()
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
