"""Benchmark of experiments and runs in the simulated workspace; prints medians and spreads.

    .venv/bin/python bench/bench_runs.py [--values 10000] [--repeats 3] [--submits 7] [--plain-values N]

1. Logging: `run.log` of N values then `run.complete()` (each value journaled before the call returns, then
   taken into the run's metrics and copied to MLflow in batches) against N plain `mlflow.log_metric` calls,
   side by side on the same workspace store. Target (issue 12): at least 30x faster.
2. Submitting: `experiment.submit` of a script that logs one metric, through `wait_for_completion()`.
   Target: median under 3 s.
It works in a temporary DP100_HOME and deletes it afterwards. With DP100_SERVICE=process both sides go through the
simulated Azure service as a sandboxed kernel's would (run.log to a journal file the service made, MLflow over
the service's REST API); the service is stopped at the end.
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


def _summary(label: str, seconds: list[float]) -> str:
    spread = f"min {min(seconds):.3f} s, max {max(seconds):.3f} s"
    return f"{label}: median {statistics.median(seconds):.3f} s ({spread}, n={len(seconds)})"


def bench_logging(ws, values: int, repeats: int, plain_values: int | None = None) -> tuple[list[float], list[float]]:
    """Time SDK logging (journaled, durable per call) and plain MLflow logging of `values` metrics, alternately.

    `plain_values` times fewer plain calls and scales their time to `values` calls (per-call MLflow logging through
    the service takes minutes for 10,000 values; its cost per call is what is compared).
    """
    plain_values = plain_values or values
    import mlflow
    from azureml.core import Experiment

    experiment = Experiment(ws, "bench-logging")
    mlflow.set_tracking_uri(ws.get_mlflow_tracking_uri())
    mlflow.set_experiment(experiment.name)
    sdk, plain = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        run = experiment.start_logging()
        for i in range(values):
            run.log("value", i)
        run.complete()
        sdk.append(time.perf_counter() - start)
        start = time.perf_counter()
        with mlflow.start_run():
            for i in range(plain_values):
                mlflow.log_metric("value", i, step=i)
        plain.append((time.perf_counter() - start) * values / plain_values)
    return sdk, plain


def bench_submit(ws, work: Path, submits: int) -> list[float]:
    """Time submit -> wait_for_completion of a script that logs one metric."""
    from azureml.core import Experiment, ScriptRunConfig

    folder = work / "one-metric"
    folder.mkdir()
    (folder / "train.py").write_text("from azureml.core import Run\nRun.get_context().log('accuracy', 0.9)\n")
    experiment = Experiment(ws, "bench-submit")
    seconds = []
    for _ in range(submits):
        start = time.perf_counter()
        run = experiment.submit(ScriptRunConfig(source_directory=str(folder), script="train.py"))
        run.wait_for_completion()
        seconds.append(time.perf_counter() - start)
        assert run.get_metrics() == {"accuracy": 0.9}, run.get_details()
    return seconds


def main(argv=None) -> int:
    """Run both benchmarks and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--plain-values", type=int, default=None,
                        help="time this many plain mlflow.log_metric calls and scale to --values (default: as many)")
    parser.add_argument("--submits", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-runs-") as home:
        os.environ["DP100_HOME"] = home
        try:
            _bench_in(Path(home), args)
        finally:
            from sim import service

            service.stop()  # in process mode: no service outlives its deleted home (no-op otherwise)
    return 0


def _bench_in(home: Path, args) -> None:
    """Both benchmarks in `home`, printing their figures."""
    import sim

    sim.activate()
    from azureml.core import Workspace

    from sim.service import mode

    print(f"simulated Azure: {mode()} (DP100_SERVICE)", flush=True)

    ws = Workspace.create(name="bench-runs", subscription_id="00000000-0000-0000-0000-00000000be01",
                          resource_group="bench-rg", location="eastus", create_resource_group=True,
                          show_output=False)
    sdk, plain = bench_logging(ws, args.values, args.repeats, args.plain_values)
    print(_summary(f"run.log x{args.values} + complete()", sdk), flush=True)
    scaled = f" (scaled from {args.plain_values} calls)" if args.plain_values else ""
    print(_summary(f"mlflow.log_metric x{args.values}{scaled}", plain), flush=True)
    ratio = statistics.median(plain) / statistics.median(sdk)
    print(f"speed-up (median plain / median SDK): {ratio:.1f}x (target >= 30x)", flush=True)
    submit = bench_submit(ws, home, args.submits)
    print(_summary("experiment.submit -> wait_for_completion (one metric)", submit) + " (target median < 3 s)")


if __name__ == "__main__":
    sys.exit(main())
