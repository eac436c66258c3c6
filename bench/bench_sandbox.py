"""Benchmark of the lab sandbox's cost; prints medians and spreads, with and without it.

    .venv/bin/python bench/bench_sandbox.py [--starts 7] [--check-repeats 10] [--lab 02]

1. Kernel start to first result (start, run `1 + 1`), in the sandbox and with DP100_SANDBOX=off, interleaved so
   the machine's load drifts alike for both. Target: the sandbox adds at most 300 ms to the median.
2. One step's checks on a lab solved in a sandboxed kernel, and on the same lab solved with the sandbox off,
   each step checked in both back to back. Target: at most 20 ms more per check (median of the pairs).
It prints the isolation level it measured and works in temporary DP100_HOME folders that it deletes afterwards.
The sandbox is measured as the environment sets it: by default with the home hidden (own PID and network
namespaces, the service's forwarder); DP100_SANDBOX_HIDE_HOME=0 measures it with the home visible. `--network`
compares, both sandboxed, the kernel's own network (with the forwarder) against the host's; `--skip-checks`
measures the starts only.
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

from bench.bench_labs import _summary, solve_lab  # noqa: E402 - after the path is set

MODES = ("sandbox", "off")
NETWORK_MODES = ("own-network", "host-network")


def _switch(mode: str) -> None:
    """Start the following kernels in the sandbox or without it, or with or without their own network (detection
    is cached per process)."""
    from labs.sandbox import detect

    if mode == "off":
        os.environ["DP100_SANDBOX"] = "off"
    else:
        os.environ.pop("DP100_SANDBOX", None)
    if mode in NETWORK_MODES:
        os.environ["DP100_SANDBOX_OWN_NETWORK"] = "1" if mode == "own-network" else "0"
    detect.forget()


def _kernel_start(index: int) -> float:
    from dp100 import paths
    from labs.kernel import LabKernel

    started = time.perf_counter()
    kernel = LabKernel(paths.labs_dir() / f"bench-{index}")
    kernel.start(timeout=120)
    result = kernel.execute("1 + 1")
    seconds = time.perf_counter() - started
    kernel.shutdown()
    if not result.ok:
        raise RuntimeError(result.text())
    return seconds


def bench_kernel_starts(starts: int, modes: tuple[str, str] = MODES) -> dict[str, list[float]]:
    """Seconds from creating a lab kernel to its first result, per mode (one warm-up start not counted)."""
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    for index in range(starts + 1):
        for mode in modes:
            _switch(mode)
            seconds = _kernel_start(index)
            if index:
                times[mode].append(seconds)
    return times


def bench_checks(lab_id: str, repeats: int) -> dict[str, list[float]]:
    """Seconds per step's checks on a lab solved in a kernel of each mode (each in its own DP100_HOME). Each step
    is checked in both homes back to back (the order alternating), so a pair sees the same load; the pairs'
    differences are under "added"."""
    from labs.spec import get_lab

    homes = {}
    for mode in MODES:
        _switch(mode)
        homes[mode] = os.environ["DP100_HOME"] = tempfile.mkdtemp(prefix=f"bench-sandbox-{mode}-")
        solve_lab(lab_id)
    steps = get_lab(lab_id).spec.steps
    times: dict[str, list[float]] = {mode: [] for mode in (*MODES, "added")}
    try:
        for index in range(repeats + 1):
            for step in steps:
                order = MODES if index % 2 == 0 else MODES[::-1]
                pair = {mode: _check_seconds(lab_id, step.id, homes[mode]) for mode in order}
                if index:  # the first round warms up
                    for mode, seconds in pair.items():
                        times[mode].append(seconds)
                    times["added"].append(pair["sandbox"] - pair["off"])
    finally:
        for home in homes.values():
            shutil.rmtree(home, ignore_errors=True)
    return times


def _check_seconds(lab_id: str, step_id: str, home: str) -> float:
    from labs import api

    os.environ["DP100_HOME"] = home
    started = time.perf_counter()
    api.check_step(lab_id, step_id, record=False)
    return time.perf_counter() - started


def _difference(label: str, times: dict[str, list[float]], target_ms: float) -> str:
    walled, plain = times
    added = (statistics.median(times[walled]) - statistics.median(times[plain])) * 1000
    verdict = "within" if added <= target_ms else "OVER"
    return (f"{label}: {walled} adds {added:+.0f} ms to the median over {plain} ({verdict} the {target_ms:.0f} ms "
            "target)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=7)
    parser.add_argument("--skip-starts", action="store_true", help="measure the checks only")
    parser.add_argument("--check-repeats", type=int, default=10)
    parser.add_argument("--skip-checks", action="store_true", help="measure the kernel starts only")
    parser.add_argument("--network", action="store_true", help="starts with the kernel's own network vs the host's")
    parser.add_argument("--lab", default="02")
    args = parser.parse_args(argv)
    from labs import api
    from labs.sandbox import Policy, isolation

    print(f"isolation: {isolation().summary()}")
    print(f"policy: {Policy.from_env()}")
    home = Path(tempfile.mkdtemp(prefix="bench-sandbox-"))
    os.environ["DP100_HOME"] = str(home)
    try:
        if not args.skip_starts:
            starts = bench_kernel_starts(args.starts, NETWORK_MODES if args.network else MODES)
            for mode, values in starts.items():
                print(_summary(f"kernel start to first result, {mode}", values))
            print(_difference("kernel start", starts, 300))
        if args.skip_checks:
            return 0
        checks = bench_checks(args.lab, args.check_repeats)
        for mode in MODES:
            print(_summary(f"lab {args.lab} one step's checks, kernel {mode}", checks[mode]))
        added = statistics.median(checks["added"]) * 1000
        verdict = "within" if added <= 20 else "OVER"
        print(f"one step's checks: the sandbox adds {added:+.0f} ms (median of {len(checks['added'])} back-to-back "
              f"pairs; {verdict} the 20 ms target)")
    finally:
        api.close_all()
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
