"""Benchmark of the AutoML engine on the lab's diabetes data (10,000 rows); prints the median and spread.

    .venv/bin/python bench/bench_automl.py [--repeats 3] [--trials 10] [--concurrent 2]

An AutoML classification run (primary metric AUC_weighted, featurization 'auto', the service's default
validation: 3-fold cross-validation at this size; early termination off, so all 10 trials run;
max_concurrent_trials 2, as on a two-node cluster), from submit to Completed: the driver process starting,
every trial fitted per fold and refit, its model saved as an MLflow model, and the best model explained.
The bench starts its job host first, as a lab kernel does when it makes an Experiment, so drivers are forked from
it once it is up (the first run may still start a new interpreter).
Target (issue 11): at most 60 s. It works in a temporary DP100_HOME and deletes it afterwards.
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
TARGET_S = 60.0


def one_run(record, frame, trials: int, number: int, concurrent: int) -> tuple[float, dict]:
    """Seconds from submit to the end of one AutoML run, and its per-trial seconds by pipeline."""
    from sim.cloud.automl import engine
    from sim.cloud.runs import lifecycle, state

    started = time.perf_counter()
    run_id = f"AutoML_bench_{number}"
    engine.submit(record, "automl-bench", {"task": "classification", "primary_metric": "AUC_weighted",
                                           "label_column": "Diabetic", "max_trials": trials,
                                           "max_concurrent_trials": concurrent,
                                           "enable_early_termination": False}, frame, run_id=run_id)
    while lifecycle.status(record, run_id) not in state.TERMINAL:
        time.sleep(0.1)
    elapsed = time.perf_counter() - started
    status = lifecycle.status(record, run_id)
    if status != state.COMPLETED:
        raise SystemExit(f"The AutoML run ended {status}: {state.get(record, run_id)['error']}")
    return elapsed, {f"{row['properties']['run_preprocessor']}, {row['properties']['run_algorithm']}":
                     float(row["properties"].get("training_seconds", "nan")) for row in engine.trials(record, run_id)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--concurrent", type=int, default=2, help="max_concurrent_trials (at most 2 run at once)")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="dp100-bench-automl-")
    os.environ["DP100_HOME"] = home
    try:
        from labs import data
        from sim.cloud import workspaces
        from sim.cloud.runs import jobs

        jobs.warm_up()
        record = workspaces.create(SUB, RG, WS, location="eastus")
        frame = data.frame()
        seconds = []
        for number in range(args.repeats):
            elapsed, per_trial = one_run(record, frame, args.trials, number, args.concurrent)
            seconds.append(elapsed)
            print(f"run {number}: {elapsed:.1f} s; trials: " +
                  ", ".join(f"{name} {s:.1f} s" for name, s in per_trial.items()), flush=True)
        spread = f"min {min(seconds):.1f} s, max {max(seconds):.1f} s, n={len(seconds)}"
        print(f"AutoML, {args.trials} trials ({args.concurrent} at once) on {len(frame)} rows: "
              f"median {statistics.median(seconds):.1f} s "
              f"({spread}); target <= {TARGET_S:.0f} s; load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} cores")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
