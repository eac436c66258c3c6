"""Benchmark of what the job sandbox adds to a submitted job, fresh and warm; prints medians and ranges side by side.

    .venv/bin/python bench/bench_job_sandbox.py [--jobs 5]

A ScriptRunConfig job is submitted and waited for in three ways, interleaved so the machine's load drifts alike for
all of them:
- "fresh": its user code in a sandbox that starts a new interpreter (DP100_SANDBOX_HIDE_HOME=1 with
  DP100_JOB_SANDBOX_WARM=0: the way every sandboxed job started before the warm start);
- "warm": the same sandbox, entered by a process forked from the preloaded job host (labs.sandbox.enter);
- "plain": no sandbox (the policy off), forked from the job host.
Two scripts: `print` only (the start cost itself), and one that logs a metric through Run.get_context() (what lab
scripts do first). The load average is printed before and after. Works in a temporary DP100_HOME that it deletes
afterwards, and stops the service it started.
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

MODES = ("fresh", "warm", "plain")
SCRIPTS = {"print only": "print('hello')\n",
           "Run.get_context().log": "from azureml.core import Run\nRun.get_context().log('x', 1)\n"}


def _switch(mode: str) -> None:
    if mode == "plain":
        os.environ["DP100_SANDBOX_HIDE_HOME"] = "0"
    else:
        os.environ["DP100_SANDBOX_HIDE_HOME"] = "1"
        os.environ["DP100_JOB_SANDBOX_WARM"] = "1" if mode == "warm" else "0"


def _load() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg()) + f" ({os.cpu_count()} cores)"


def _job_seconds(experiment, folder: Path) -> tuple[float, float]:
    """(submit to Completed as the caller sees it, which moves in the steps of its polling; the run's own
    startTimeUtc to endTimeUtc, in milliseconds: the sandbox's cost without the polling's steps)."""
    from datetime import datetime

    from azureml.core import ScriptRunConfig

    started = time.perf_counter()
    run = experiment.submit(ScriptRunConfig(source_directory=str(folder), script="job.py"))
    details = run.wait_for_completion(raise_on_error=True)
    seen = time.perf_counter() - started
    start, end = (datetime.fromisoformat(details[key].replace("Z", "+00:00")) for key in ("startTimeUtc", "endTimeUtc"))
    return seen, (end - start).total_seconds()


def bench_jobs(jobs: int, home: Path) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """Seconds from submit to Completed and recorded run times, per script and mode (one warm-up round not
    counted)."""
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
            for mode in MODES[index % len(MODES):] + MODES[:index % len(MODES)]:  # each goes first in turn
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
    print(f"before: {_load()}")
    home = Path(tempfile.mkdtemp(prefix="bench-job-sandbox-"))
    os.environ["DP100_HOME"] = str(home)
    try:
        for name, by_mode in bench_jobs(args.jobs, home).items():
            for index, what in enumerate(("submit to Completed", "run start to end (recorded)")):
                values = {mode: [pair[index] for pair in pairs] for mode, pairs in by_mode.items()}
                for mode, seconds in values.items():
                    print(_summary(f"{name}: {what}, {mode:5}", seconds))
                plain = statistics.median(values["plain"])
                fresh, warm = (round((statistics.median(values[m]) - plain) * 1000) for m in ("fresh", "warm"))
                print(f"{name}: {what}: the job sandbox adds {fresh:+d} ms to the median fresh (before), "
                      f"{warm:+d} ms warm (after)")
        print(f"after: {_load()}")
    finally:
        from sim.service import launcher

        launcher.stop()
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
