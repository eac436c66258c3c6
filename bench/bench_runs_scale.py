"""Benchmark of run listings at scale: one experiment with 10,000 runs; prints medians and spreads beside the goals.

    .venv/bin/python bench/bench_runs_scale.py [--runs 10000] [--real 200] [--repeats 5]

The workspace is built in a temporary DP100_HOME (deleted afterwards) with `--runs` runs in one experiment:
- `--real` of them made one at a time as a learner makes them (`experiment.start_logging()`, a tag, one metric,
  `complete()`), timed, so the per-run cost of creation is printed too;
- the rest through the service's batch path (`sim.cloud.runs.batch.start_many`, what `Run.create_children`
  uses): MLflow runs and service records written as the service writes them, Completed. For a listing they are
  runs like the others (MLflow rows, service records, numbers), which the bench checks before timing.

Then, each `--repeats` times: the Studio's experiment list (`sim.studio.experiment_rows`), the first page of the
run list (`sim.studio.run_page`), the first item of `experiment.get_runs()`, and a whole `get_runs()` iteration.
Goals (issue 14): experiment list <= 0.3 s, first page <= 0.5 s, first get_runs() item <= 0.2 s,
iteration >= 2,000 runs a second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

EXPERIMENT = "scale"


def timed(action, repeats: int) -> list[float]:
    """Seconds each of `repeats` calls of `action` took."""
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - start)
    return seconds


def seed(ws, runs: int, real: int) -> None:
    """`real` runs made through the SDK one at a time, then the rest in batches through the service."""
    from azureml.core import Experiment

    from sim.cloud.runs import batch, state

    experiment = Experiment(ws, EXPERIMENT)
    real = min(real, runs)
    start = time.perf_counter()
    for i in range(real):
        run = experiment.start_logging()
        run.tag("seed", "sdk")
        run.log("accuracy", i / max(real, 1))
        run.complete()
    spent = time.perf_counter() - start
    if real:
        print(f"created {real} runs through the SDK in {spent:.1f} s ({1000 * spent / real:.1f} ms a run)", flush=True)
    start, left = time.perf_counter(), runs - real
    while left:
        size = min(left, batch.MAX_BATCH)
        batch.start_many(ws._record, EXPERIMENT, size, status=state.COMPLETED, tags=[{"seed": "batch"}] * size)
        left -= size
    if runs > real:
        print(f"created {runs - real} runs through the service's batch path in {time.perf_counter() - start:.1f} s",
              flush=True)


def check(ws, runs: int) -> None:
    """The seeded runs are listed as runs: counted, numbered 1..N, known to MLflow."""
    from sim import studio
    from sim.cloud.runs import tracking

    rows = studio.experiment_rows(ws)
    assert rows == [{"name": EXPERIMENT, "runs": runs}], rows
    first = studio.run_page(ws, EXPERIMENT, 1)
    assert first["total"] == runs and first["rows"][0]["number"] == runs, first["rows"][:1]
    assert tracking.get_run(ws._record, first["rows"][0]["id"]).info.status == "FINISHED"


def line(label: str, seconds: list[float], goal: str, met: bool) -> str:
    median = statistics.median(seconds)
    return (f"{label:<34} median {median:7.3f} s   min-max {min(seconds):.3f}-{max(seconds):.3f} s   "
            f"goal {goal:<16} {'met' if met else 'MISSED'}")


def measure(ws, runs: int, repeats: int) -> None:
    """Time the four listings and print them beside their goals."""
    from azureml.core import Experiment

    from sim import studio

    experiment = Experiment(ws, EXPERIMENT)
    experiments = timed(lambda: studio.experiment_rows(ws), repeats)
    page = timed(lambda: studio.run_page(ws, EXPERIMENT, 1), repeats)
    first = timed(lambda: next(iter(experiment.get_runs())), repeats)
    every = timed(lambda: sum(1 for _ in experiment.get_runs()), repeats)
    print(f"\n{runs} runs in one experiment, {repeats} repeats each", flush=True)
    print(line("experiment list (Studio)", experiments, "<= 0.3 s", statistics.median(experiments) <= 0.3))
    print(line("first page of runs (Studio, 50)", page, "<= 0.5 s", statistics.median(page) <= 0.5))
    print(line("first get_runs() item", first, "<= 0.2 s", statistics.median(first) <= 0.2))
    rates = sorted(runs / s for s in every)
    rate = statistics.median(rates)
    print(f"{'get_runs() iteration':<34} median {rate:7.0f} runs/s   min-max {rates[0]:.0f}-{rates[-1]:.0f} runs/s   "
          f"goal {'>= 2000 runs/s':<16} {'met' if rate >= 2000 else 'MISSED'}", flush=True)


def main(argv=None) -> int:
    """Build the workspace, check it, time the listings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--real", type=int, default=200, help="runs made one at a time through the SDK")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-runs-scale-") as home:
        os.environ["DP100_HOME"] = home
        import sim

        sim.activate()
        from azureml.core import Workspace

        ws = Workspace.create(name="bench-runs-scale", subscription_id="00000000-0000-0000-0000-00000000be03",
                              resource_group="bench-rg", location="eastus", create_resource_group=True,
                              show_output=False)
        seed(ws, args.runs, args.real)
        check(ws, args.runs)
        measure(ws, args.runs, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
