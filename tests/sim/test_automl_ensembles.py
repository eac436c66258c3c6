"""AutoML's VotingEnsemble and StackEnsemble iterations (sim.cloud.automl.ensemble): the last iterations within
max_trials, built from the trials' own validation predictions, scored honestly, saved as a datatransformer +
ensemble pipeline that predicts; and the faster metrics they rest on, checked against scikit-learn's.

The driver is run in this process (its usual process start is left out).
"""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

from tests.sim._data_helpers import diabetes_frame


@pytest.fixture
def record(dp100_home, monkeypatch):
    from sim.cloud import workspaces
    from sim.cloud.automl import engine

    monkeypatch.setattr(engine, "_start_driver", lambda record, run_id: None)  # driven in-process below
    return workspaces.create("00000000-0000-0000-0000-0000000000e1", "rg-ensembles", "automl-ensembles",
                             location="eastus")


def _run(record, frame, run_id, **settings):
    from sim.cloud.automl import driver, engine
    from sim.cloud.runs import state

    base = {"task": "classification", "label_column": "Diabetic", "primary_metric": "AUC_weighted",
            "n_cross_validations": 3, "enable_early_termination": False}
    engine.submit(record, "ensembles", {**base, **settings}, frame, run_id=run_id)
    driver.drive(record, run_id)
    return state.get(record, run_id)


def _trials(record, run_id):
    from sim.cloud.automl import engine

    return {t["properties"]["run_algorithm"]: t for t in engine.trials(record, run_id)}


def test_the_last_two_iterations_are_the_ensembles_built_from_completed_trials(record):
    from sim.cloud.automl import trial
    from sim.cloud.runs import files, metrics

    frame = diabetes_frame(240, 11)
    parent = _run(record, frame, "AutoML_en", max_trials=5, max_concurrent_trials=2)
    assert parent["status"] == "Completed"
    trials = _trials(record, "AutoML_en")
    assert list(trials)[-2:] == ["VotingEnsemble", "StackEnsemble"] and len(trials) == 5  # within max_trials
    voting, stack = trials["VotingEnsemble"], trials["StackEnsemble"]
    assert [voting["run_id"], stack["run_id"]] == ["AutoML_en_3", "AutoML_en_4"]
    members = json.loads(voting["properties"]["ensembled_run_ids"])
    weights = json.loads(voting["properties"]["ensemble_weights"])
    assert set(members) <= {"AutoML_en_0", "AutoML_en_1", "AutoML_en_2"} and sum(weights) == pytest.approx(1)
    assert stack["properties"]["stack_meta_learner_type"] == "LogisticRegression"
    assert len(json.loads(stack["properties"]["ensembled_run_ids"])) >= 2
    model = pickle.loads((files.artifact_root(record, voting["run_id"]) / trial.PICKLED_MODEL).read_bytes())
    assert list(model.named_steps) == ["datatransformer", "prefittedsoftvotingclassifier"]
    assert set(model.predict(diabetes_frame(30, 12).drop(columns=["Diabetic"]))) <= {0, 1}
    assert "outputs/mlflow-model/MLmodel" in files.names(record, stack["run_id"])
    scores = {t["run_id"]: metrics.get_metrics(record, t["run_id"])["AUC_weighted"] for t in trials.values()}
    assert scores[parent["properties"]["best_child_run_id"]] == max(scores.values())


def test_the_voting_score_is_the_score_of_its_weighted_predictions(record):
    from sim.cloud.automl import driver, ensemble, scoring, trial
    from sim.cloud.runs import metrics

    frame = diabetes_frame(200, 13)
    _run(record, frame, "AutoML_vs", max_trials=4, enable_stack_ensemble=False, max_concurrent_trials=2)
    trials = _trials(record, "AutoML_vs")
    assert list(trials) == ["LogisticRegression", "RandomForest", "ExtremeRandomTrees", "VotingEnsemble"]
    voting = trials["VotingEnsemble"]
    settings = {"task": "classification", "label_column": "Diabetic", "primary_metric": "AUC_weighted",
                "featurization": "auto"}
    prepared = trial.prepare(settings, frame, None, ("cv", 3))
    chosen = dict(zip(json.loads(voting["properties"]["ensembled_iterations"]),
                      json.loads(voting["properties"]["ensemble_weights"]), strict=True))
    folds = []
    for n, fold in enumerate(prepared.folds):
        blend = sum(w * ensemble.candidate("", i, 0.0, driver.trial_folder(record, "AutoML_vs", i))["predictions"][n]
                    for i, w in chosen.items())
        folds.append(trial.score(prepared, fold.y_val, blend))
    logged = metrics.get_metrics(record, voting["run_id"])["AUC_weighted"]
    assert logged == pytest.approx(scoring.average(folds)["AUC_weighted"], abs=1e-3)  # weights are rounded to 4 places


def test_ensembles_are_skipped_when_max_trials_leaves_no_room_or_they_are_turned_off(record):
    from sim.cloud.automl import ensemble, settings

    assert ensemble.planned(settings.check({"task": "classification", "label_column": "y", "max_trials": 3})) == []
    assert ensemble.planned(settings.check({"task": "classification", "label_column": "y", "max_trials": 4})) == [
        "VotingEnsemble", "StackEnsemble"]
    assert ensemble.planned(settings.check({"task": "regression", "label_column": "y", "max_trials": 3,
                                            "enable_stack_ensemble": False})) == ["VotingEnsemble"]
    _run(record, diabetes_frame(120, 14), "AutoML_off", max_trials=4, enable_voting_ensemble=False,
         enable_stack_ensemble=False)
    assert "VotingEnsemble" not in _trials(record, "AutoML_off") and len(_trials(record, "AutoML_off")) == 4


def test_a_regression_stack_uses_an_elastic_net_over_the_members_predictions(record):
    from sim.cloud.automl import trial
    from sim.cloud.runs import files

    frame = diabetes_frame(200, 15).drop(columns=["Diabetic"])
    _run(record, frame, "AutoML_rs", task="regression", label_column="BMI",
         primary_metric="normalized_root_mean_squared_error", max_trials=4, enable_voting_ensemble=False)
    stack = _trials(record, "AutoML_rs")["StackEnsemble"]
    assert stack["status"] == "Completed" and stack["properties"]["stack_meta_learner_type"] == "ElasticNetCV"
    model = pickle.loads((files.artifact_root(record, stack["run_id"]) / trial.PICKLED_MODEL).read_bytes())
    assert model.predict(frame.drop(columns=["BMI"]).head(5)).shape == (5,)


def test_count_and_ranking_metrics_equal_scikit_learns():
    from sklearn import metrics as m

    from sim.cloud.automl import scoring

    rng = np.random.default_rng(0)
    for n in (2, 3):
        y = rng.integers(0, n, 300)
        proba = np.round(rng.dirichlet(np.ones(n), 300), 1)  # rounded: ties in the scores too
        predicted = rng.integers(0, n - 1, 300)  # the last class never predicted
        ours = scoring.classification(y, predicted, proba, np.arange(n))
        onehot = np.eye(n)[y]
        aucs = [m.roc_auc_score(onehot[:, i], proba[:, i]) for i in range(n)]
        expected = {"accuracy": m.accuracy_score(y, predicted),
                    "balanced_accuracy": m.balanced_accuracy_score(y, predicted),
                    "precision_score_macro": m.precision_score(y, predicted, average="macro", zero_division=0),
                    "recall_score_weighted": m.recall_score(y, predicted, average="weighted", zero_division=0),
                    "f1_score_macro": m.f1_score(y, predicted, average="macro", zero_division=0),
                    "f1_score_weighted": m.f1_score(y, predicted, average="weighted", zero_division=0),
                    "matthews_correlation": m.matthews_corrcoef(y, predicted),
                    "AUC_weighted": np.average(aucs, weights=onehot.sum(axis=0)), "AUC_macro": np.mean(aucs)}
        for name, value in expected.items():
            assert ours[name] == pytest.approx(value, abs=1e-12), name
        assert scoring.classification(y, predicted, proba, np.arange(n), only="accuracy") == {
            "accuracy": ours["accuracy"]}
