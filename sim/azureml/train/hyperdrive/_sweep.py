"""The sweep itself, as the HyperDrive service runs it: sample, launch children, apply the policy, finish.

A sweep is owned by a daemon thread of the process that submitted it (the notebook's kernel), so
`submit` returns at once. Each child is a real submitted script job (`sim.cloud.runs.jobs`), named
`HD_<guid>_<n>`, with the sampled values added to its arguments as `--name value`. The parent run
records this process as its supervisor: if the process dies, the parent shows Failed as a lost job
does; when the process exits normally, its unfinished sweeps are canceled with their children.
"""

from __future__ import annotations

import atexit
import json
import os
import random
import threading
import time
import uuid

import sim.cloud.runs.jobs
import sim.cloud.runs.lifecycle
import sim.cloud.runs.metrics
from sim.azureml._common.service_errors import v1_service
from sim.cloud.runs import state

RUN_TYPE = "hyperdrive"
POLL_SECONDS = 0.15
_live: dict[str, _Sweep] = {}  # parent run id -> the sweep this process drives
_lock = threading.Lock()
jobs = v1_service(sim.cloud.runs.jobs)
lifecycle = v1_service(sim.cloud.runs.lifecycle)
metrics = v1_service(sim.cloud.runs.metrics)


def start(experiment, config, tags=None) -> str:
    """Create the parent run and start driving the sweep in the background; returns the parent's id."""
    record = experiment.workspace._record
    script = config.run_config
    if script.script is None:
        from sim.azureml._common.not_simulated import not_simulated

        not_simulated("HyperDriveConfig over ScriptRunConfig(command=...) without a script")
    script._check_arguments()
    jobs.resolve_target(record, _target(script))  # an unknown cluster is refused before anything starts
    parent_id = f"HD_{uuid.uuid4()}"
    definition = {"hyperdrive": config._settings(), "script": script.script, "target": _target(script),
                  "arguments": [str(a) for a in script.arguments], "sourceDirectory": str(script.source_directory)}
    # The parent holds no compute node (only its children do), so its record is not placed on the cluster.
    lifecycle.start(record, experiment.name, RUN_TYPE, state.RUNNING, run_id=parent_id, definition=definition,
                    tags=tags)
    state.add_properties(record, parent_id, {"primary_metric_config": json.dumps(
        {"name": config._primary_metric_name, "goal": config._primary_metric_goal.value.lower()})})
    state.set_pid(record, parent_id, os.getpid())
    sweep = _Sweep(experiment, config, parent_id)
    with _lock:
        _live[parent_id] = sweep
    sweep.thread.start()
    return parent_id


def _target(script) -> str:
    from sim.azureml.core.script_run_config import _target_name

    return _target_name(script.run_config.target)


class _Sweep:
    """One sweep: its children, their histories, and the loop that moves it forward."""

    def __init__(self, experiment, config, parent_id):
        self.experiment, self.config, self.parent_id = experiment, config, parent_id
        self.record = experiment.workspace._record
        self.children: list[dict] = []  # {"run_id", "params"} in launch order
        self.active: set[str] = set()
        self.rng = random.Random()
        self.maximize = config._primary_metric_goal.value == "MAXIMIZE"
        self.exhausted = False
        self.thread = threading.Thread(target=self.run, name=f"hyperdrive-{parent_id}", daemon=True)

    def run(self) -> None:
        try:
            self._loop()
        except BaseException as exc:  # the sweep cannot go on: the parent fails with the reason
            self.cancel_children()
            lifecycle.finish(self.record, self.parent_id, state.FAILED,
                             error={"error": {"code": "UserError", "message": f"{type(exc).__name__}: {exc}"}})
        finally:
            with _lock:
                _live.pop(self.parent_id, None)

    def _loop(self) -> None:
        deadline = time.monotonic() + self.config._max_duration_minutes * 60
        while True:
            if state.get(self.record, self.parent_id)["status"] in state.TERMINAL:  # canceled from outside
                self.cancel_children()
                return
            if time.monotonic() > deadline:
                self.cancel_children()
                lifecycle.finish(self.record, self.parent_id, state.CANCELED)
                return
            self._refresh()
            self._apply_policy()
            self._launch_more()
            if not self.active and (self.exhausted or len(self.children) >= self.config._max_total_runs):
                self._finish()
                return
            time.sleep(POLL_SECONDS)

    def _refresh(self) -> None:
        for run_id in list(self.active):
            jobs.reap(run_id)
            if lifecycle.status(self.record, run_id) in state.TERMINAL:
                self.active.discard(run_id)

    def histories(self) -> dict[str, list[float]]:
        """Each child's primary metric values so far (numbers only, in logged order)."""
        out = {}
        for child in self.children:
            value = metrics.get_metrics(self.record, child["run_id"], self.config._primary_metric_name) \
                .get(self.config._primary_metric_name)
            values = value if isinstance(value, list) else [] if value is None else [value]
            out[child["run_id"]] = [float(v) for v in values if metrics.is_number(v)]
        return out

    def _apply_policy(self) -> None:
        if not self.active or self.config._policy.POLICY_NAME == "Default":
            return
        for run_id in self.config._policy._to_cancel(self.histories(), set(self.active), self.maximize):
            jobs.cancel(self.record, run_id)
            self.active.discard(run_id)

    def _launch_more(self) -> None:
        limit = self.config._max_concurrent_runs or self.config._max_total_runs
        while not self.exhausted and len(self.active) < limit and len(self.children) < self.config._max_total_runs:
            params = self.config._sampling._next(self._sampler_history(), self.rng)
            if params is None:
                self.exhausted = True
                return
            self._launch(params)

    def _sampler_history(self) -> list:
        finished = self.histories() if self.config._sampling.SAMPLING_NAME == "BayesianOptimization" else {}
        sign = 1 if self.maximize else -1
        return [(c["params"], sign * max(finished[c["run_id"]], key=lambda v: sign * v)
                 if finished.get(c["run_id"]) and c["run_id"] not in self.active else None)
                for c in self.children]

    def _launch(self, params: dict) -> None:
        script = self.config.run_config
        run_id = f"{self.parent_id}_{len(self.children)}"
        spec = {"source_directory": os.fspath(script.source_directory), "script": script.script,
                "target": _target(script), "environment": script._environment_definition(),
                "max_run_duration_seconds": script.max_run_duration_seconds}

        def build_arguments(work_dir):
            argv, inputs = script._build_arguments(work_dir)
            for name, value in params.items():
                argv += [name if name.startswith("-") else f"--{name}", str(value)]
            return argv, inputs

        self.children.append({"run_id": run_id, "params": params})
        jobs.submit(self.record, self.experiment.name, spec, build_arguments, run_id=run_id,
                    parent_run_id=self.parent_id, tags={"hyperparameters": json.dumps(params, default=str)})
        self.active.add(run_id)

    def _finish(self) -> None:
        statuses = [lifecycle.status(self.record, c["run_id"]) for c in self.children]
        if statuses and state.COMPLETED not in statuses and state.FAILED in statuses:
            message = f"All {len(statuses)} child runs of the sweep failed or were canceled; read a child's log."
            lifecycle.finish(self.record, self.parent_id, state.FAILED,
                             error={"error": {"code": "UserError", "message": message}})
        else:
            lifecycle.finish(self.record, self.parent_id, state.COMPLETED)

    def cancel_children(self) -> None:
        for run_id in list(self.active):
            jobs.cancel(self.record, run_id)
            self.active.discard(run_id)


def cancel(record, parent_id: str) -> None:
    """Cancel a sweep: the parent run (so no child starts any more), then its unfinished children."""
    lifecycle.finish(record, parent_id, state.CANCELED)
    with _lock:
        sweep = _live.get(parent_id)
    if sweep is not None and sweep.thread is not threading.current_thread():
        sweep.thread.join(timeout=30)  # it sees the parent canceled and cancels the children it launched
    for row in state.list_for(record, parent_run_id=parent_id):
        if row["status"] not in state.TERMINAL:
            jobs.cancel(record, row["run_id"])


@atexit.register
def _cancel_unfinished() -> None:
    # A sweep ends with the process that drives it: no child is left running without its parent.
    with _lock:
        sweeps = list(_live.values())
    for sweep in sweeps:
        try:
            cancel(sweep.record, sweep.parent_id)
        except Exception:  # the store is already gone: nothing is left to cancel
            pass
