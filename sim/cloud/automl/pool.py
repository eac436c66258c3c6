"""The AutoML driver's trial processes: each trial is fitted in a process forked from the driver, up to
`size(settings)` at a time (Azure runs `max_concurrent_iterations` trials at once on the cluster's nodes; here
at most two, as many as a small machine has cores).

Forking is cheap (the driver has already imported scikit-learn and MLflow, and has prepared the data) and lets
the driver stop one trial at its trial timeout, or all of them on cancel, by killing its process. A trial
process only computes and writes files in its own folder; the driver alone writes the service's records.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
import traceback
from multiprocessing.connection import wait
from pathlib import Path

MAX_WORKERS = 2  # trials fitted at once at most, whatever max_concurrent_trials allows
RESULT_FILE = "result.json"
# What a driver and its trials import: imported by the driver before it forks a trial (else every trial's process
# imports its own copy, ~0.5 s each), and named to the job host, which imports them before it forks the driver
# (else a host still warming up and the new driver import them side by side on a busy machine).
IMPORTS = ("sim.cloud.automl.driver", "mlflow.models", "mlflow.pyfunc", "mlflow.sklearn", "scipy.stats",
           "sklearn.compose", "sklearn.ensemble", "sklearn.impute", "sklearn.inspection", "sklearn.linear_model",
           "sklearn.metrics", "sklearn.model_selection", "sklearn.naive_bayes", "sklearn.neighbors",
           "sklearn.pipeline", "sklearn.preprocessing", "sklearn.tree", "threadpoolctl")
_fork = multiprocessing.get_context("fork")


def size(settings: dict) -> int:
    """How many trials run at once: max_concurrent_trials, capped by MAX_WORKERS and the machine's cores."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(int(settings.get("max_concurrent_trials") or 1), MAX_WORKERS, cores))


class TrialProcess:
    """One trial being fitted in a forked process that writes `result.json` (and its files) into `folder`.

    Args:
        work: called in the child with the folder; returns a JSON-able result (its exceptions become the error).
        folder: where the child writes; created empty.
        timeout_seconds: after this the trial is overdue (None: no limit).
        threads: the BLAS/OpenMP threads the child may use (1 when trials share the cores).
    """

    def __init__(self, work, folder: Path, timeout_seconds: float | None, threads: int | None = None):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.deadline = None if timeout_seconds is None else time.monotonic() + timeout_seconds
        self.started = time.time()
        self.process = _fork.Process(target=_child, args=(work, self.folder, threads), daemon=True)
        self.process.start()

    @property
    def sentinel(self):
        """Ready to read when the process has ended (for `multiprocessing.connection.wait`)."""
        return self.process.sentinel

    def ended(self) -> bool:
        return not self.process.is_alive()

    def overdue(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline and not self.ended()

    def stop(self) -> None:
        """Kill the trial's process and wait for it (no orphan, no zombie)."""
        if not self.ended():
            self.process.kill()
        self.process.join(10)

    def result(self) -> dict:
        """{'value': what `work` returned} or {'error': 'Type: message'}; the process must have ended."""
        self.process.join(10)
        path = self.folder / RESULT_FILE
        if not path.exists():
            return {"error": f"The trial's process ended without a result (exit code {self.process.exitcode})."}
        return json.loads(path.read_text())


def preload() -> None:
    """Import `IMPORTS` in this process (the driver), so the trials it forks start with them."""
    import importlib

    for module in IMPORTS:
        importlib.import_module(module)


def wait_any(processes, seconds: float) -> None:
    """Block until one of the processes ends, or `seconds` pass."""
    if processes:
        wait([p.sentinel for p in processes], timeout=seconds)
    else:
        time.sleep(seconds)


def _die_with_parent() -> None:
    """Linux: the kernel kills this trial if the driver dies (no trial left running for nobody)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # another system: the trial ends on its own


def _child(work, folder: Path, threads: int | None) -> None:
    import numpy as np

    _die_with_parent()
    np.random.seed()  # a forked child would otherwise draw the driver's random numbers
    try:
        if threads:
            from threadpoolctl import threadpool_limits

            threadpool_limits(threads)
        out = {"value": work(folder)}
    except Exception as exc:  # the trial fails with its own error; the driver goes on
        out = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
    (folder / RESULT_FILE).write_text(json.dumps(out, default=float))
