"""Benchmark of what the job sandbox adds to a submitted job; prints medians and spreads, with and without it.

    .venv/bin/python bench/bench_job_sandbox.py [--jobs 5]

A ScriptRunConfig job is submitted and waited for, with its user code in a sandbox (DP100_SANDBOX_HIDE_HOME=1:
`labs.sandbox.jobs`, a fresh interpreter inside bubblewrap that reaches the simulated Azure through its service)
and as a plain forked process (the policy off), interleaved so the machine's load drifts alike for both. Two
scripts: `print` only (the start cost itself), and one that logs a metric through Run.get_context() (what lab
scripts do first). Works in a temporary DP100_HOME that it deletes afterwards, and stops the service it started.
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

from bench.bench_labs import _summary  # noqa: E402 - after the path is set

MODES = ("sandbox", "plain")
SCRIPTS = {"print only": "print('hello')\n",
           "Run.get_context().log": "from azureml.core import Run\nRun.get_context().log('x', 1)\n"}


def _switch(mode: str) -> None:
    if mode == "sandbox":
        os.environ["DP100_SANDBOX_HIDE_HOME"] = "1"
    else:
        os.environ.pop("DP100_SANDBOX_HIDE_HOME", None)


def _job_seconds(experiment, folder: Path) -> float:
    from azureml.core import ScriptRunConfig

    started = time.perf_counter()
    run = experiment.submit(ScriptRunConfig(source_directory=str(folder), script="job.py"))
    run.wait_for_completion(raise_on_error=True)
    return time.perf_counter() - started


def bench_jobs(jobs: int, home: Path) -> dict[str, dict[str, list[float]]]:
    """Seconds from submit to Completed, per script and mode (one warm-up round not counted)."""
    import sim

    sim.activate()
    from azureml.core import Experiment, Workspace

    ws = Workspace.create("mlw-bench", subscription_id="00000000-0000-0000-0000-000000000000",
                          resource_group="rg-bench", create_resource_group=True, location="eastus")
    times = {name: {mode: [] for mode in MODES} for name in SCRIPTS}
    for name, text in SCRIPTS.items():
        folder = home / "src" / name.replace(" ", "-").replace("(", "").replace(")", "")
        folder.mkdir(parents=True)
        (folder / "job.py").write_text(text)
        experiment = Experiment(ws, "bench")
        for index in range(jobs + 1):
            for mode in MODES if index % 2 == 0 else MODES[::-1]:
                _switch(mode)
                seconds = _job_seconds(experiment, folder)
                if index:
                    times[name][mode].append(seconds)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=5)
    args = parser.parse_args(argv)
    from labs.sandbox import isolation

    print(f"isolation: {isolation().summary()}")
    home = Path(tempfile.mkdtemp(prefix="bench-job-sandbox-"))
    os.environ["DP100_HOME"] = str(home)
    try:
        for name, by_mode in bench_jobs(args.jobs, home).items():
            for mode, values in by_mode.items():
                print(_summary(f"{name}: submit to Completed, {mode}", values))
            added = (statistics.median(by_mode["sandbox"]) - statistics.median(by_mode["plain"])) * 1000
            print(f"{name}: the job sandbox adds {added:+.0f} ms to the median")
    finally:
        from sim.service import launcher

        launcher.stop()
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
