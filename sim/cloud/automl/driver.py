"""The body of an AutoML run's driver process: run the planned trials within the limits, then name the best
trial, explain it and end the parent run.

Limits: max_trials; the experiment timeout (no trial starts after it); the trial timeout (a trial running
longer is stopped and fails); early termination (from the 8th trial on, stop when the last 5 did not improve
the best score: Azure waits longer, over a plan of hundreds of pipelines; the plan here has at most 15);
exit_score (stop once the best score reaches it). Trials run one at a time here (on Azure,
max_concurrent_iterations run at once on the cluster's nodes).
"""

from __future__ import annotations

import json
import os
import signal
import time

from sim.cloud.automl import catalog, engine, explain, scoring, trial
from sim.cloud.automl import messages as text
from sim.cloud.command_jobs import artifacts
from sim.cloud.runs import files, lifecycle, metrics, state

EARLY_TERMINATION_AFTER = 8  # trials before early termination may stop the run
EARLY_TERMINATION_PATIENCE = 5  # trials without a better score that stop it


class TrialTimeout(Exception):
    """A trial ran past its trial timeout."""


def drive(record, run_id: str) -> None:
    """Run the AutoML run `run_id` until it ends, going on from the trials it already has."""
    if (state.get(record, run_id) or {}).get("status") not in (None, *state.TERMINAL):
        state.set_pid(record, run_id, os.getpid())  # this process drives it now (a restarted driver included)
    row = engine.get(record, run_id)
    if row["status"] in state.TERMINAL:
        return
    settings = row["definition"]["automl"]
    train, valid = engine.load_data(record, run_id)
    plan = scoring.validation_plan(len(train), settings, valid is not None)
    steps = catalog.trials(settings["task"], settings["allowed"], settings["blocked"])[:settings["max_trials"]]
    done = _settle_orphans(record, run_id)
    deadline = row["created"] + settings["timeout_minutes"] * 60
    reason = "every planned pipeline was tried"
    for index in range(done, len(steps)):
        stop = _stop_reason(record, run_id, settings, deadline, index)
        if stop:
            reason = stop
            break
        _run_trial(record, run_id, index, steps[index], settings, train, valid, plan)
    _finish(record, run_id, settings, train, valid, plan, reason)


def _settle_orphans(record, run_id: str) -> int:
    """Mark trials a previous driver left running as failed; returns how many trials exist."""
    rows = engine.trials(record, run_id)
    for row in rows:
        if row["status"] not in state.TERMINAL:
            lifecycle.finish(record, row["run_id"], state.FAILED,
                             error={"error": {"code": "SystemError", "message": text.DRIVER_LOST}})
    return len(rows)


def _stop_reason(record, run_id: str, settings: dict, deadline: float, index: int) -> str | None:
    """Why no further trial should start (None: go on)."""
    if lifecycle.status(record, run_id) in state.TERMINAL:
        return "canceled"
    if time.time() >= deadline:
        return text.EXPERIMENT_TIMED_OUT.format(minutes=settings["timeout_minutes"])
    scores = _scores(record, run_id, settings["primary_metric"])
    best = _best_of(settings["primary_metric"], scores)
    if settings["exit_score"] is not None and best is not None and not scoring.better(
            settings["primary_metric"], settings["exit_score"], best):
        return f"the exit score {settings['exit_score']} was reached"
    if settings["enable_early_termination"] and index >= EARLY_TERMINATION_AFTER:
        recent = scores[-EARLY_TERMINATION_PATIENCE:]
        earlier = _best_of(settings["primary_metric"], scores[:-EARLY_TERMINATION_PATIENCE])
        if len(recent) == EARLY_TERMINATION_PATIENCE and not any(
                scoring.better(settings["primary_metric"], s, earlier) for s in recent):
            return f"early termination: no better score in the last {EARLY_TERMINATION_PATIENCE} trials"
    return None


def _scores(record, run_id: str, metric: str) -> list[float]:
    out = []
    for row in engine.trials(record, run_id):
        value = metrics.get_metrics(record, row["run_id"], metric).get(metric)
        if row["status"] == state.COMPLETED and metrics.is_number(value):
            out.append(float(value))
    return out


def _best_of(metric: str, scores: list[float]) -> float | None:
    best = None
    for score in scores:
        if scoring.better(metric, score, best):
            best = score
    return best


def _run_trial(record, run_id: str, index: int, step, settings, train, valid, plan) -> None:
    """Run one trial as a child run: validate, refit, save the model, log the metrics."""
    parent = state.get(record, run_id)
    scaler_name, algorithm, params = step
    name = f"{scaler_name}, {algorithm}"
    child = f"{run_id}_{index}"
    lifecycle.start(record, parent["experiment"], engine.TRIAL_RUN_TYPE, state.RUNNING, parent_run_id=run_id,
                    run_id=child, target=parent["target"], display_name=name,
                    definition={"automl_trial": {"iteration": index, "pipeline": name, "hyperparameters": params}})
    artifacts.place_run_files(record, child)
    state.add_properties(record, child, {"iteration": str(index), "run_algorithm": algorithm,
                                         "run_preprocessor": scaler_name, "pipeline_spec": json.dumps(
                                             {"preprocessor": scaler_name, "algorithm": algorithm,
                                              "hyperparameters": params}, default=str)})
    started = time.time()
    try:
        with _time_limit(settings["trial_timeout_minutes"]):
            scores = trial.validate(settings, step, train, valid, plan)
            model = trial.fit_final(settings, step, train)
            trial.save(model, train, settings["label_column"],
                       lambda prefix, folder: files.copy_tree_into(record, child, folder, prefix))
    except TrialTimeout:
        _fail(record, run_id, child, name, text.TRIAL_TIMED_OUT.format(minutes=settings["trial_timeout_minutes"]))
        return
    except Exception as exc:  # a model that cannot fit this data fails its trial, not the run
        _fail(record, run_id, child, name, f"{type(exc).__name__}: {exc}")
        return
    _log_metrics(record, child, scores)
    score = scores.get(settings["primary_metric"])
    state.add_properties(record, child, {"score": str(score), "primary_metric": settings["primary_metric"],
                                         "training_seconds": f"{time.time() - started:.2f}"})
    lifecycle.finish(record, child, state.COMPLETED)
    engine.log(record, run_id, f"ITER {index}: {name}  {settings['primary_metric']}={score:.4f}  "
                               f"({time.time() - started:.1f} s)")


def _fail(record, run_id: str, child: str, name: str, message: str) -> None:
    lifecycle.finish(record, child, state.FAILED, error={"error": {"code": "UserError", "message": message}})
    engine.log(record, run_id, f"{child}: {name} failed: {message}")


def _log_metrics(record, run_id: str, scores: dict) -> None:
    buffer = metrics.MetricBuffer(record, run_id)
    for name, value in scores.items():
        buffer.add(name, "scalar", value)
    buffer.flush()


class _time_limit:
    """Raise TrialTimeout in this (main) thread after `minutes` (no limit when None)."""

    def __init__(self, minutes):
        self.seconds = None if minutes is None else float(minutes) * 60

    def __enter__(self):
        if self.seconds:
            signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc):
        if self.seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return False

    @staticmethod
    def _expire(signum, frame):
        raise TrialTimeout()


def _finish(record, run_id: str, settings, train, valid, plan, reason: str) -> None:
    """Name the best trial, explain it, and end the parent (Failed when no trial completed)."""
    if lifecycle.status(record, run_id) in state.TERMINAL:
        return
    best = engine.best_trial(record, run_id)
    engine.log(record, run_id, f"Stopped: {reason}.")
    if best is None:
        message = text.NO_TRIAL_COMPLETED.format(reason=reason)
        lifecycle.finish(record, run_id, state.FAILED, error={"error": {"code": "UserError", "message": message}})
        return
    child, score = best
    if settings["model_explainability"]:
        explain.explain_best(record, child, settings, train, valid)
    state.add_properties(record, run_id, {"best_child_run_id": child, "score": str(score),
                                          "best_metric_status": "Succeeded", "stop_reason": reason})
    lifecycle.set_tags(record, run_id, {engine.BEST_CHILD_TAG: child, "model_explain_run_id": child}
                       if settings["model_explainability"] else {engine.BEST_CHILD_TAG: child})
    engine.log(record, run_id, f"Best trial: {child} ({settings['primary_metric']}={score:.4f}).")
    lifecycle.finish(record, run_id, state.COMPLETED)
