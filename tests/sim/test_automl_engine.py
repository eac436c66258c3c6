"""The AutoML engine of the service (sim.cloud.automl), with no SDK: trials as child runs, the best by the primary
metric, blocked models, limits, guardrails, explanation, refusals, and a driver that resumes."""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest

from sim.cloud.errors import CloudError, UserError
from tests.sim._data_helpers import diabetes_frame


@pytest.fixture
def record(dp100_home):
    from sim.cloud import workspaces

    return workspaces.create("00000000-0000-0000-0000-0000000000a1", "rg-automl", "automl-engine",
                             location="eastus")


def _submit(record, frame, run_id="AutoML_t", **settings):
    from sim.cloud.automl import engine

    base = {"task": "classification", "label_column": "Diabetic", "n_cross_validations": 2}
    return engine.submit(record, "automl-tests", {**base, **settings}, frame, run_id=run_id)


def _wait(record, run_id, timeout=300):
    from sim.cloud.runs import lifecycle, state

    deadline = time.monotonic() + timeout
    while lifecycle.status(record, run_id) not in state.TERMINAL and time.monotonic() < deadline:
        time.sleep(0.1)
    return lifecycle.status(record, run_id)


def _scores(record, run_id, metric):
    from sim.cloud.automl import engine
    from sim.cloud.runs import metrics

    return {r["run_id"]: metrics.get_metrics(record, r["run_id"], metric)[metric]
            for r in engine.trials(record, run_id)}


def test_best_child_is_the_best_by_its_own_metrics_blocked_never_tried_max_trials_kept(record):
    from sim.cloud.automl import engine
    from sim.cloud.runs import state

    frame = diabetes_frame(160, 5)
    frame.loc[::6, "BMI"] = np.nan
    row = _submit(record, frame, primary_metric="AUC_weighted", max_trials=3,
                  blocked=["RandomForest", "LogisticRegression"])
    assert row["status"] == "Running"  # submit returns at once; the driver runs the trials
    assert _wait(record, row["run_id"]) == "Completed"
    trials = engine.trials(record, row["run_id"])
    assert [t["run_id"] for t in trials] == [f"AutoML_t_{n}" for n in range(3)]
    algorithms = [t["properties"]["run_algorithm"] for t in trials]
    assert not {"RandomForest", "LogisticRegression"} & set(algorithms)
    scores = _scores(record, row["run_id"], "AUC_weighted")
    parent = state.get(record, row["run_id"])
    best = parent["properties"]["best_child_run_id"]
    assert scores[best] == max(scores.values()) and float(parent["properties"]["score"]) == scores[best]
    from sim.cloud.runs import lifecycle
    assert lifecycle.tags(record, row["run_id"])["automl_best_child_run_id"] == best
    rails = {r["name"]: r for r in engine.guardrails(record, row["run_id"])}
    missing = rails["Missing feature values imputation"]
    assert missing["result"] == "Done" and missing["details"][0]["column"] == "BMI"
    assert rails["Validation split handling"]["description"].startswith("Each trial was validated with 2-fold")


def test_regression_ranks_by_an_error_metric_lowest_first_and_explains_the_best(record):
    from sim.cloud.runs import files, metrics, state

    frame = diabetes_frame(150, 6).drop(columns=["Diabetic"])
    row = _submit(record, frame, task="regression", label_column="BMI", run_id="AutoML_r",
                  primary_metric="normalized_root_mean_squared_error", max_trials=2)
    assert _wait(record, row["run_id"]) == "Completed"
    scores = _scores(record, row["run_id"], "normalized_root_mean_squared_error")
    best = state.get(record, row["run_id"])["properties"]["best_child_run_id"]
    assert scores[best] == min(scores.values())
    table = metrics.get_metrics(record, best, "feature_importance")["feature_importance"]
    assert len(table["feature"]) == 8 and "outputs/explanation/feature_importance.json" in files.names(record, best)


def test_a_trial_past_its_timeout_fails_and_so_does_a_run_with_no_completed_trial(record):
    from sim.cloud.automl import engine
    from sim.cloud.runs import state

    row = _submit(record, diabetes_frame(150, 7), max_trials=2, trial_timeout_minutes=0.00005, run_id="AutoML_x",
                  allowed=["RandomForest", "ExtremeRandomTrees"])
    assert _wait(record, row["run_id"]) == "Failed"
    trials = engine.trials(record, row["run_id"])
    assert [t["status"] for t in trials] == ["Failed", "Failed"]
    assert "trial timeout" in trials[0]["error"]["error"]["message"]
    assert "No AutoML trial completed" in state.get(record, row["run_id"])["error"]["error"]["message"]


def test_a_restarted_driver_goes_on_from_the_trials_already_made(record):
    from sim.cloud.automl import driver, engine
    from sim.cloud.runs import state

    row = _submit(record, diabetes_frame(150, 8), max_trials=3, run_id="AutoML_k")
    deadline = time.monotonic() + 300
    while not [t for t in engine.trials(record, "AutoML_k") if t["status"] == "Completed"]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(state.get(record, "AutoML_k")["pid"], signal.SIGKILL)  # the driver this test's submit started
    driver.drive(record, row["run_id"])  # the same driver, started again, here in-process
    trials = engine.trials(record, "AutoML_k")
    assert state.get(record, "AutoML_k")["status"] == "Completed"
    assert len(trials) == 3 and trials[0]["status"] == "Completed"
    assert all(t["status"] in ("Completed", "Failed") for t in trials)


@pytest.mark.parametrize(("settings", "error", "message"), [
    ({"primary_metric": "r2_score"}, UserError, "Primary metric 'r2_score' is not supported for classification"),
    ({"task": "forecasting"}, UserError, "needs the name of its time column"),
    ({"blocked": ["NeuralNet"]}, UserError, "'NeuralNet' is not an AutoML classification algorithm"),
    ({"allowed": ["LightGBM"]}, CloudError, "not simulated here"),
    ({"label_column": "Outcome"}, UserError, "'Outcome' is not in the training data"),
    ({"featurization": "off"}, UserError, "missing values in BMI"),
    ({"n_cross_validations": 3, "validation_size": 0.2}, UserError, "not both"),
    ({"max_trials": 0}, UserError, "must be a positive number"),
])
def test_settings_and_data_the_engine_cannot_use_are_refused_before_any_run(record, settings, error, message):
    from sim.cloud.runs import state

    frame = diabetes_frame(40, 1)
    frame.loc[0, "BMI"] = np.nan
    with pytest.raises(error, match=message):
        _submit(record, frame, run_id="AutoML_bad", **settings)
    assert state.get(record, "AutoML_bad") is None


def test_early_termination_and_exit_score_stop_the_trials(record, monkeypatch):
    from sim.cloud.automl import driver

    settings = {"primary_metric": "accuracy", "exit_score": None, "enable_early_termination": True,
                "timeout_minutes": 60}
    row = _submit(record, diabetes_frame(40, 2), run_id="AutoML_e", max_trials=1)
    flat = [0.9, 0.8, 0.7, 0.85, 0.6, 0.6, 0.7, 0.8]
    monkeypatch.setattr(driver, "_scores", lambda *a: flat)
    deadline = time.time() + 600
    assert driver._stop_reason(record, row["run_id"], settings, deadline, len(flat)).startswith("early termination")
    assert driver._stop_reason(record, row["run_id"], settings, deadline, 7) is None  # too early to judge
    assert driver._stop_reason(record, row["run_id"], dict(settings, enable_early_termination=False), deadline,
                               len(flat)) is None
    monkeypatch.setattr(driver, "_scores", lambda *a: flat[:5] + [0.95, 0.6, 0.6])
    assert driver._stop_reason(record, row["run_id"], settings, deadline, len(flat)) is None  # it improved
    assert "exit score" in driver._stop_reason(record, row["run_id"], dict(settings, exit_score=0.9), deadline, 3)
    assert "timeout" in driver._stop_reason(record, row["run_id"], settings, time.time() - 1, 3)
    _wait(record, row["run_id"])
