"""Benchmark of the simulated Azure as a process of its own vs in the caller's process; prints the figures.

    .venv/bin/python bench/bench_service.py [--calls 200] [--starts 5]

- Per-request latency: `ml_client.workspaces.get` through the real azure-ai-ml, `--calls` times in each mode
  (DP100_SERVICE=inprocess, then process), after one warm-up call; median, 10th/90th percentile and max.
- The call proxy: `sim.service.call("sim.cloud.workspaces", "get", ...)` the same number of times in each mode.
- Cold start: from `ensure_running()` on a home with no service to its record being published (the service
  imported sim.rest and answers), `--starts` times; and a stop, each time.
It works in a temporary DP100_HOME, stops its services and deletes the folder afterwards.
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

SUB, RG, WS = "00000000-0000-0000-0000-000000000000", "rg-bench", "mlw-bench"


def spread(samples_ms: list[float]) -> str:
    """Median, 10th and 90th percentiles and max of samples in milliseconds, as one line."""
    deciles = statistics.quantiles(samples_ms, n=10)
    return (f"median {statistics.median(samples_ms):7.2f} ms   p10 {deciles[0]:7.2f}   p90 {deciles[-1]:7.2f}   "
            f"max {max(samples_ms):7.2f}   (n={len(samples_ms)})")


def timed(action, times: int) -> list[float]:
    """Milliseconds of each of `times` calls of `action`, after one untimed warm-up call."""
    action()
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def sdk_latency(calls: int) -> dict[str, list[float]]:
    """`workspaces.get` latency per mode, through the real SDK."""
    from azure.ai.ml import MLClient
    from azure.identity import DefaultAzureCredential

    client = MLClient(DefaultAzureCredential(), SUB, RG, WS)
    results = {}
    for mode in ("inprocess", "process"):
        os.environ["DP100_SERVICE"] = mode
        results[mode] = timed(lambda: client.workspaces.get(WS), calls)
    return results


def proxy_latency(calls: int) -> dict[str, list[float]]:
    """Call-proxy latency per mode (`sim.cloud.workspaces.get`)."""
    from sim import service

    results = {}
    for mode in ("inprocess", "process"):
        os.environ["DP100_SERVICE"] = mode
        results[mode] = timed(lambda: service.call("sim.cloud.workspaces", "get", SUB, RG, WS), calls)
    return results


def cold_starts(starts: int) -> tuple[list[float], list[float]]:
    """Milliseconds to start a service on a home with none, and to stop it, `starts` times."""
    from sim.service import launcher

    launcher.stop()
    started_ms, stopped_ms = [], []
    for _ in range(starts):
        began = time.perf_counter()
        launcher.ensure_running()
        started_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        launcher.stop()
        stopped_ms.append((time.perf_counter() - began) * 1000)
    return started_ms, stopped_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="dp100-bench-service-"))
    os.environ["DP100_HOME"] = str(home)
    try:
        import sim
        from sim.cloud import workspaces

        sim.activate()
        workspaces.create(SUB, RG, WS, location="eastus")
        start_ms, stop_ms = cold_starts(args.starts)
        print(f"service cold start        {spread(start_ms)}")
        print(f"service stop              {spread(stop_ms)}")
        for name, measure in (("workspaces.get (SDK v2)", sdk_latency), ("call proxy", proxy_latency)):
            for mode, samples in measure(args.calls).items():
                print(f"{name:<24} {mode:<9} {spread(samples)}")
    finally:
        from sim.service import launcher

        launcher.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
