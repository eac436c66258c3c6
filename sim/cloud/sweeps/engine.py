"""The sweep itself, as Azure ML's HyperDrive service runs it: sample, launch trials, apply the policy, finish.

Both faces start a sweep here with the parent run already created and a `launch_trial(run_id, params)` function:
SDK v1's HyperDrive launches a script run with the values added as `--name value` arguments, SDK v2's sweep job a
command job with `${{search_space.<name>}}` filled in. Trials are named `<parent>_<n>`, as the service names them.

A sweep is driven either by a daemon thread of the process that started it (`start`: SDK v1's HyperDrive, sent
to `hyperdrive.submit_v1_sweep`, so the service drives it when the simulated Azure is its own process and the
notebook does in "inprocess" mode, where the sweep ends with the notebook) or by a process of its own (`drive`,
called by SDK v2's sweep job driver, `python -m sim.cloud.sweeps`), which picks the sweep up from the service's
records, so it runs on with nobody watching, as in Azure. Either way a submit returns at once, and the parent run
records its driver as its supervisor: if the driver dies, the parent shows Failed as a lost job does; when a
driving process (a notebook, the service) exits normally, its unfinished sweeps are canceled with their trials;
the service does not stop idle while it drives one. What the sweep decides is written to the
parent's `azureml-logs/hyperdrive.txt`.
"""

from __future__ import annotations

import atexit
import json
import os
import random
import threading
import time
from datetime import UTC, datetime

from sim import messages
from sim.cloud.runs import files, jobs, lifecycle, metrics, state
from sim.cloud.sweeps import policies, sampling, search_space

RUN_TYPE = "hyperdrive"
LOG_FILE = "azureml-logs/hyperdrive.txt"
POLL_SECONDS = 0.15
_POLICY_BY_KEY = {name.lower(): name for name in policies.NAMES}
_live: dict[str, Sweep] = {}  # parent run id -> the sweep this process drives
_lock = threading.Lock()


def start(record, parent_id: str, settings: dict, launch_trial) -> Sweep:
    """Drive the sweep of an existing parent run from a background thread of this process.

    Args:
        settings: the sweep as the service records it (`lifecycle.sweep_settings`): sampling, parameter_space,
            policy, policy_settings, primary_metric_name, primary_metric_goal, max_total_runs,
            max_concurrent_runs, max_duration_minutes.
        launch_trial: called with (trial run id, {name: value}); starts that trial as a child of the parent.
    """
    state.add_properties(record, parent_id, start_properties(settings))
    state.set_pid(record, parent_id, os.getpid())
    sweep = Sweep(record, parent_id, settings, launch_trial)
    with _lock:
        _live[parent_id] = sweep
    sweep.thread.start()
    return sweep


def driving() -> bool:
    """True while this process drives a sweep from one of its threads (`start`)."""
    with _lock:
        return bool(_live)


def drive(record, parent_id: str, settings: dict, launch_trial) -> None:
    """Drive a sweep in this process until it ends, going on from the trials the service already holds.

    The parent's start properties must have been set (`start_properties`) and this process be its supervisor.
    """
    sweep = Sweep(record, parent_id, settings, launch_trial)
    sweep.restore()
    sweep.run()


def start_properties(settings: dict) -> dict:
    """What the service sets on a sweep's parent run when it starts (run properties are strings)."""
    size = search_space.size(settings["parameter_space"])
    return {"primary_metric_config": json.dumps({"name": settings["primary_metric_name"],
                                                 "goal": settings["primary_metric_goal"].lower()},
                                                separators=(",", ":")),
            "resume_from": "null", "runTemplate": "HyperDrive", "azureml.runsource": RUN_TYPE, "platform": "AML",
            "space_size": "infinite space" if size is None else str(size)}


def policy_name(settings: dict) -> str:
    """The service name of the sweep's policy (Default when it has none)."""
    return _POLICY_BY_KEY.get(str(settings.get("policy") or "default").lower(), policies.DEFAULT)


def log(record, parent_id: str, source: str, text: str) -> None:
    """Add a line to the sweep's log, as the service writes it (time, component, level, message)."""
    path = files.artifact_root(record, parent_id) / LOG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"[{stamp}][{source}][INFO]{text}\n")


class Sweep:
    """One sweep: its trials, their histories, and the loop that moves it forward."""

    def __init__(self, record, parent_id: str, settings: dict, launch_trial):
        self.record, self.parent_id, self.settings = record, parent_id, settings
        self.launch_trial = launch_trial
        self.metric = settings["primary_metric_name"]
        self.maximize = settings["primary_metric_goal"].upper() == "MAXIMIZE"
        self.policy = policy_name(settings)
        self.trials: list[dict] = []  # {"run_id", "params"} in launch order
        self.active: set[str] = set()
        self.rng = random.Random(settings.get("seed"))  # no seed: a new sequence each sweep
        self.exhausted = False
        self.deadline = state.get(record, parent_id)["created"] + float(settings["max_duration_minutes"]) * 60
        self.thread = threading.Thread(target=self.run, name=f"sweep-{parent_id}", daemon=True)

    def restore(self) -> None:
        """Take up the trials the service already holds (a driver that starts again goes on from there)."""
        for row in sorted(state.list_for(self.record, parent_run_id=self.parent_id), key=lambda r: r["number"]):
            tags = (row.get("definition") or {}).get("tags") or {}
            self.trials.append({"run_id": row["run_id"], "params": json.loads(tags.get("hyperparameters") or "{}")})
            if row["status"] not in state.TERMINAL:
                self.active.add(row["run_id"])

    def run(self) -> None:
        """The sweep's thread: loop until it ends; any error fails the parent with the reason."""
        try:
            self._loop()
        except BaseException as exc:
            self.cancel_trials()
            lifecycle.finish(self.record, self.parent_id, state.FAILED,
                             error={"error": {"code": "UserError", "message": f"{type(exc).__name__}: {exc}"}})
        finally:
            with _lock:
                _live.pop(self.parent_id, None)

    def _loop(self) -> None:
        while True:
            if state.get(self.record, self.parent_id)["status"] in state.TERMINAL:  # canceled from outside
                self.cancel_trials()
                return
            if time.time() > self.deadline:
                self._time_out()
                return
            self._refresh()
            self._apply_policy()
            self._launch_more()
            if not self.active and (self.exhausted or len(self.trials) >= self.settings["max_total_runs"]):
                self._finish()
                return
            time.sleep(POLL_SECONDS)

    def _time_out(self) -> None:
        self.cancel_trials()
        log(self.record, self.parent_id, "CONTROLLER", "The sweep reached its timeout; canceling it.")
        lifecycle.finish(self.record, self.parent_id, state.CANCELED)

    def _refresh(self) -> None:
        for run_id in list(self.active):
            jobs.reap(run_id)
            if lifecycle.status(self.record, run_id) in state.TERMINAL:
                self.active.discard(run_id)

    def histories(self) -> dict[str, list[float]]:
        """Each trial's primary metric values so far (numbers only, in logged order)."""
        return {t["run_id"]: metric_values(self.record, t["run_id"], self.metric) for t in self.trials}

    def _apply_policy(self) -> None:
        if not self.active or self.policy == policies.DEFAULT:
            return
        settings = self.settings.get("policy_settings") or {}
        for run_id in policies.to_cancel(self.policy, settings, self.histories(), set(self.active), self.maximize):
            log(self.record, self.parent_id, "CONTROLLER",
                f"Early termination ({self.policy} policy): canceling trial '{run_id}'.")
            jobs.cancel(self.record, run_id)
            self.active.discard(run_id)

    def _launch_more(self) -> None:
        total = self.settings["max_total_runs"]
        limit = self.settings.get("max_concurrent_runs") or total
        while not self.exhausted and len(self.active) < limit and len(self.trials) < total:
            params = sampling.next_point(self.settings["sampling"], self.settings["parameter_space"],
                                         self._sampler_history(), self.rng)
            if params is None:
                self.exhausted = True
                log(self.record, self.parent_id, "GENERATOR", "The search space is used up: all trials generated.")
                return
            self._launch(params)

    def _sampler_history(self) -> list:
        finished = self.histories() if self.settings["sampling"] == sampling.BAYESIAN else {}
        sign = 1 if self.maximize else -1
        return [(t["params"], sign * max(finished[t["run_id"]], key=lambda v: sign * v)
                 if finished.get(t["run_id"]) and t["run_id"] not in self.active else None)
                for t in self.trials]

    def _launch(self, params: dict) -> None:
        run_id = f"{self.parent_id}_{len(self.trials)}"
        self.trials.append({"run_id": run_id, "params": params})
        log(self.record, self.parent_id, "SCHEDULER",
            f"Scheduling trial '{run_id}' with {json.dumps(params, default=str)}.")
        self.launch_trial(run_id, params)
        self.active.add(run_id)

    def _finish(self) -> None:
        statuses = [lifecycle.status(self.record, t["run_id"]) for t in self.trials]
        best = best_trial(self.record, self.parent_id, self.settings)
        if best is not None:
            state.add_properties(self.record, self.parent_id, best_properties(*best))
        if statuses and state.COMPLETED not in statuses and state.FAILED in statuses:
            message = messages.SWEEP_ALL_TRIALS_FAILED.format(count=len(statuses))
            log(self.record, self.parent_id, "CONTROLLER", message)
            lifecycle.finish(self.record, self.parent_id, state.FAILED,
                             error={"error": {"code": "UserError", "message": message}})
            return
        log(self.record, self.parent_id, "CONTROLLER", "Changing the sweep's status from Running to Completed.")
        lifecycle.finish(self.record, self.parent_id, state.COMPLETED)

    def cancel_trials(self) -> None:
        """Cancel the trials still running."""
        for run_id in list(self.active):
            jobs.cancel(self.record, run_id)
            self.active.discard(run_id)


def metric_values(record, run_id: str, name: str) -> list[float]:
    """The numeric values a run logged for a metric, in logged order."""
    value = metrics.get_metrics(record, run_id, name).get(name)
    values = value if isinstance(value, list) else [] if value is None else [value]
    return [float(v) for v in values if metrics.is_number(v)]


def best_trial(record, parent_id: str, settings: dict) -> tuple[str, float] | None:
    """(run id, best primary metric) of the sweep's best trial by its goal (None: no trial logged the metric)."""
    maximize = settings["primary_metric_goal"].upper() == "MAXIMIZE"
    best = None
    for row in sorted(state.list_for(record, parent_run_id=parent_id), key=lambda r: r["number"]):
        values = metric_values(record, row["run_id"], settings["primary_metric_name"])
        if not values:
            continue
        score = max(values) if maximize else min(values)
        if best is None or (score > best[1] if maximize else score < best[1]):
            best = (row["run_id"], score)
    return best


def best_properties(run_id: str, score: float) -> dict:
    """The parent's properties that name its best trial, as the service sets them when the sweep ends."""
    return {"best_child_run_id": run_id, "score": str(score), "best_metric_status": "Succeeded",
            "best_data_container_id": f"dcid.{run_id}"}


def cancel(record, parent_id: str, own_driver: bool = False) -> None:
    """Cancel a sweep: the parent run (so no trial starts any more), then its unfinished trials.

    Args:
        own_driver: the sweep has a driver process of its own (`drive`), which is given time to stop first.
    """
    lifecycle.finish(record, parent_id, state.CANCELED)
    with _lock:
        sweep = _live.get(parent_id)
    if sweep is not None and sweep.thread is not threading.current_thread():
        sweep.thread.join(timeout=30)  # it sees the parent canceled and cancels the trials it launched
    elif own_driver:
        _wait_for_driver(state.get(record, parent_id)["pid"])
    for row in state.list_for(record, parent_run_id=parent_id):
        if row["status"] not in state.TERMINAL:
            jobs.cancel(record, row["run_id"])


def _wait_for_driver(pid: int | None, timeout: float = 30) -> None:
    """Wait until a sweep's own driver process has seen the cancel and stopped (it cancels its trials first)."""
    deadline = time.monotonic() + timeout
    while pid and pid != os.getpid() and state.process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)


@atexit.register
def _cancel_unfinished() -> None:
    # A sweep ends with the process that drives it: no trial is left running without its parent.
    with _lock:
        sweeps = list(_live.values())
    for sweep in sweeps:
        try:
            cancel(sweep.record, sweep.parent_id)
        except Exception:  # the store is already gone: nothing is left to cancel
            pass
