"""The body of an AutoML run's driver process: run the planned trials within the limits, then name the best
trial, explain it and end the parent run.

Limits: max_trials; the experiment timeout (no trial starts after it); the trial timeout (a trial running
longer is stopped and fails); early termination (from the 8th trial on, stop when the last 5 did not improve
the best score: Azure waits longer, over a plan of hundreds of pipelines; the plan here has at most 15);
exit_score (stop once the best score reaches it). Trials are fitted in forked processes (`pool`), as many at
once as max_concurrent_trials allows (at most two here); the data is split and featurized once for all of them.
"""

from __future__ import annotations

import json
import os
import shutil
import time

import numpy as np

from sim.cloud.automl import catalog, engine, ensemble, explain, pool, scoring, trial
from sim.cloud.automl import messages as text
from sim.cloud.command_jobs import artifacts
from sim.cloud.runs import files, jobs, lifecycle, metrics, state

EARLY_TERMINATION_AFTER = 8  # trials before early termination may stop the run
EARLY_TERMINATION_PATIENCE = 5  # trials without a better score that stop it
POLL_SECONDS = 0.2  # how often the driver looks for ended trials and a cancel
PREDICTIONS_FILE = "predictions.npz"  # a trial's predictions on the validation rows, for the ensembles


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
    ensembles = ensemble.planned(settings)  # the last iterations, within max_trials
    steps = catalog.trials(settings["task"], settings["allowed"], settings["blocked"])[
        :settings["max_trials"] - len(ensembles)]
    done = _settle_orphans(record, run_id)
    pool.preload()
    prepared = trial.prepare(settings, train, valid, plan)
    deadline = row["created"] + settings["timeout_minutes"] * 60
    reason = _run_trials(record, run_id, settings, steps, done, prepared, deadline)
    if ensembles and reason != "canceled":
        _run_ensembles(record, run_id, ensembles, prepared)
    _finish(record, run_id, settings, train, valid, plan, reason)


def trial_folder(record, run_id: str, index: int):
    """Where trial `index` of the run writes its model and validation predictions (the job's own folder)."""
    return jobs.job_folder(record, run_id) / "automl" / "trials" / str(index)


def _run_trials(record, run_id: str, settings: dict, steps: list, first: int, prepared, deadline: float) -> str:
    """Start the trials from `first` on, up to the pool's size at once; returns why no further trial started."""
    workers = pool.size(settings)
    running: dict[int, tuple] = {}
    index, reason = first, None
    while True:
        if lifecycle.status(record, run_id) in state.TERMINAL:
            _stop_all(record, running)
            return "canceled"
        while reason is None and len(running) < workers and index < len(steps):
            reason = _stop_reason(record, run_id, settings, deadline, index)
            if reason is None:
                running[index] = _start_trial(record, run_id, index, steps[index], prepared, workers)
                index += 1
        if not running:
            return reason or "every planned pipeline was tried"
        pool.wait_any([entry[0] for entry in running.values()], POLL_SECONDS)
        for number, (process, child, name) in list(running.items()):
            if process.overdue():
                process.stop()
                _fail(record, run_id, child, name,
                      text.TRIAL_TIMED_OUT.format(minutes=settings["trial_timeout_minutes"]))
            elif process.ended():
                _collect(record, run_id, settings, process, child, name)
            else:
                continue
            running.pop(number)


def _stop_all(record, running: dict) -> None:
    for process, child, _ in running.values():
        process.stop()
        if lifecycle.status(record, child) not in state.TERMINAL:
            lifecycle.finish(record, child, state.CANCELED)


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
    """The completed trials' scores by the primary metric, in iteration order (as the driver recorded them)."""
    out = []
    for row in engine.trials(record, run_id):
        value = (row.get("properties") or {}).get("score")
        if row["status"] == state.COMPLETED and value not in (None, "None"):
            out.append(float(value))
    return out


def _best_of(metric: str, scores: list[float]) -> float | None:
    best = None
    for score in scores:
        if scoring.better(metric, score, best):
            best = score
    return best


def _start_trial(record, run_id: str, index: int, step, prepared, workers: int) -> tuple:
    """Record trial `index` as a running child run and start fitting it; returns (process, child id, name)."""
    scaler_name, algorithm, params = step
    name = f"{scaler_name}, {algorithm}"
    child = _record_trial(record, run_id, index, name, {"preprocessor": scaler_name, "algorithm": algorithm,
                                                        "hyperparameters": params})
    folder = trial_folder(record, run_id, index)
    shutil.rmtree(folder, ignore_errors=True)  # left by a driver that died mid-trial
    minutes = prepared.settings["trial_timeout_minutes"]
    process = pool.TrialProcess(lambda out: _fit(prepared, step, out), folder,
                                None if minutes is None else minutes * 60, threads=1 if workers > 1 else None)
    return process, child, name


def _record_trial(record, run_id: str, index: int, name: str, spec: dict) -> str:
    """The running child run of iteration `index` (spec: preprocessor, algorithm, hyperparameters); its id."""
    parent = state.get(record, run_id)
    child = f"{run_id}_{index}"
    lifecycle.start(record, parent["experiment"], engine.TRIAL_RUN_TYPE, state.RUNNING, parent_run_id=run_id,
                    run_id=child, target=parent["target"], display_name=name,
                    definition={"automl_trial": {"iteration": index, "pipeline": name,
                                                 "hyperparameters": spec["hyperparameters"]}})
    artifacts.place_run_files(record, child)
    state.add_properties(record, child, {"iteration": str(index), "run_algorithm": spec["algorithm"],
                                         "run_preprocessor": spec["preprocessor"],
                                         "pipeline_spec": json.dumps(spec, default=str)})
    return child


def _fit(prepared, step, folder) -> dict:
    """In the trial's process: validate, refit on all the data, save the model and the validation predictions."""
    started = time.time()
    scores, predictions = trial.validate(prepared, step)
    model = trial.fit_final(prepared, step)
    trial.save(model, prepared.sample, folder, trial.signature_output(prepared))
    np.savez(folder / PREDICTIONS_FILE, *predictions)
    return {"scores": scores, "seconds": time.time() - started}


def _collect(record, run_id: str, settings: dict, process, child: str, name: str) -> None:
    """Record an ended trial: its files, metrics and score (or its error)."""
    result = process.result()
    if "error" in result:
        _fail(record, run_id, child, name, result["error"])
        return
    files.copy_tree_into(record, child, process.folder / "outputs", "outputs")
    _record_scores(record, run_id, child, name, result["value"]["scores"], result["value"]["seconds"])


def _record_scores(record, run_id: str, child: str, name: str, scores: dict, seconds: float,
                   extra: dict | None = None) -> None:
    """Log a completed iteration's metrics and score, and complete its run."""
    metric = state.get(record, run_id)["definition"]["automl"]["primary_metric"]
    _log_metrics(record, child, scores)
    score = scores.get(metric)
    state.add_properties(record, child, {"score": str(score), "primary_metric": metric,
                                         "training_seconds": f"{seconds:.2f}", **(extra or {})})
    lifecycle.finish(record, child, state.COMPLETED)
    index = child.rsplit("_", 1)[-1]
    engine.log(record, run_id, f"ITER {index}: {name}  {metric}={score:.4f}  ({seconds:.1f} s)")


def _fail(record, run_id: str, child: str, name: str, message: str) -> None:
    lifecycle.finish(record, child, state.FAILED, error={"error": {"code": "UserError", "message": message}})
    engine.log(record, run_id, f"{child}: {name} failed: {message}")


def _run_ensembles(record, run_id: str, kinds: list[str], prepared) -> None:
    """The ensemble iterations, after the other trials, from the completed trials' validation predictions."""
    rows = engine.trials(record, run_id)
    made = {(r.get("properties") or {}).get("run_algorithm") for r in rows}
    candidates = _ensemble_candidates(record, run_id, rows)
    if len(candidates) < 2:
        engine.log(record, run_id, text.ENSEMBLES_SKIPPED.format(count=len(candidates)))
        return
    weights = ensemble.select(prepared, candidates)  # shared: the stack starts from what voting chose
    for kind in kinds:
        if kind in made or lifecycle.status(record, run_id) in state.TERMINAL:
            continue
        _ensemble_trial(record, run_id, len(engine.trials(record, run_id)), kind, prepared, candidates, weights)


def _ensemble_candidates(record, run_id: str, rows: list[dict]) -> list[dict]:
    out = []
    for row in rows:
        props = row.get("properties") or {}
        folder = trial_folder(record, run_id, int(props.get("iteration", -1)))
        if row["status"] == state.COMPLETED and props.get("run_algorithm") not in (ensemble.VOTING, ensemble.STACK) \
                and (folder / PREDICTIONS_FILE).exists():
            out.append(ensemble.candidate(row["run_id"], int(props["iteration"]), float(props["score"]), folder))
    return out


def _ensemble_trial(record, run_id: str, index: int, kind: str, prepared, candidates: list[dict],
                    weights) -> None:
    """Build, score, save and record one ensemble iteration."""
    child = _record_trial(record, run_id, index, kind, {"preprocessor": "", "algorithm": kind,
                                                        "hyperparameters": {}})
    started = time.time()
    try:
        model, scores, details = ensemble.build(kind, prepared, candidates, weights)
        trial.save_to_run(model, prepared.sample, lambda prefix, folder: files.copy_tree_into(
            record, child, folder, prefix), trial.signature_output(prepared))
    except Exception as exc:  # an ensemble that cannot be built fails its iteration, not the run
        _fail(record, run_id, child, kind, f"{type(exc).__name__}: {exc}")
        return
    _record_scores(record, run_id, child, kind, scores, time.time() - started, details)


def _log_metrics(record, run_id: str, scores: dict) -> None:
    buffer = metrics.MetricJournal(record, run_id)
    for name, value in scores.items():
        buffer.add(name, "scalar", value)
    buffer.close()


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
