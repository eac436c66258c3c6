"""Fairness as mslearn-dp100 notebook 15 uses it: the real fairlearn, the dashboard dictionary, a notebook
FairnessDashboard, and `azureml.contrib.fairness` keeping dashboards on a run."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, equalized_odds_difference, selection_rate
from fairlearn.reductions import EqualizedOdds, GridSearch
from sklearn.tree import DecisionTreeClassifier

import sim
from sim.fairness.group_metric_set import _create_group_metric_set
from sim.raiwidgets import FairnessDashboard
from tests.sim._runs_helpers import module_home, new_workspace


@pytest.fixture(scope="module")
def biased():
    """Patients whose label leans on their age group as much as on their health (a model learns the bias)."""
    rng = np.random.default_rng(11)
    rows = 1200
    older = rng.random(rows) < 0.4
    health = rng.normal(size=(rows, 3))
    y = ((health[:, 0] + 1.0 * older + rng.normal(scale=1.0, size=rows)) > 0.8).astype(int)
    X = np.column_stack([health, older.astype(float)])
    groups = pd.Series(np.where(older, "Over 50", "50 or younger"), name="Age")
    model = DecisionTreeClassifier(max_depth=4, random_state=0).fit(X, y)
    return X, y, groups, model


def test_the_dashboard_dictionary_holds_fairlearns_per_group_metrics(biased):
    X, y, groups, model = biased
    predicted = model.predict(X)
    d = _create_group_metric_set(y_true=y, predictions={"m:1": predicted}, sensitive_features={"Age": groups},
                                 prediction_type="binary_classification")
    assert d["schemaType"] == "dashboardDictionary" and d["predictionType"] == "binaryClassification"
    assert d["precomputedFeatureBins"][0]["binLabels"] == ["50 or younger", "Over 50"]
    rates = MetricFrame(metrics=selection_rate, y_true=y, y_pred=predicted, sensitive_features=groups).by_group
    stored = d["precomputedMetrics"][0][0]["selection_rate"]
    assert stored["bins"] == pytest.approx([rates["50 or younger"], rates["Over 50"]])
    assert stored["global"] == pytest.approx(predicted.mean())


def test_the_dashboard_dictionary_refuses_mismatched_lengths(biased):
    X, y, groups, model = biased
    with pytest.raises(ValueError, match="one value per row"):
        _create_group_metric_set(y_true=y[:10], predictions={"m": model.predict(X)},
                                 sensitive_features={"Age": groups}, prediction_type="binary_classification")
    with pytest.raises(ValueError, match="prediction_type 'multiclass'"):
        _create_group_metric_set(y_true=y, predictions={"m": y}, sensitive_features={"Age": groups},
                                 prediction_type="multiclass")


def test_grid_search_with_equalized_odds_really_lowers_the_disparity(biased):
    X, y, groups, model = biased
    before = equalized_odds_difference(y, model.predict(X), sensitive_features=groups)
    # A finer grid than the default limit of 2: on this data a Lagrange multiplier of 1 already over-corrects.
    sweep = GridSearch(DecisionTreeClassifier(max_depth=4, random_state=0), constraints=EqualizedOdds(),
                       grid_size=21, grid_limit=0.5)
    sweep.fit(X, y, sensitive_features=groups)
    after = equalized_odds_difference(y, sweep.predict(X), sensitive_features=groups)  # the best predictor
    assert before > 0.25
    assert after < before / 2
    assert len(sweep.predictors_) == 21


def test_fairness_dashboard_shows_a_table_a_chart_and_the_disparity(biased, capsys):
    X, y, groups, model = biased
    dashboard = FairnessDashboard(sensitive_features=groups.to_frame(), y_true=y,
                                  y_pred={"model": model.predict(X), "all yes": np.ones_like(y)})
    printed = capsys.readouterr().out
    assert "Simulated FairnessDashboard" in printed and "Over 50" in printed
    table = dashboard.table()
    assert table.loc[("Age", "all yes", "Over 50"), "selection_rate"] == 1.0
    gaps = dashboard.disparities()
    assert gaps.loc[("Age", "all yes"), "selection_rate"] == 0.0
    assert gaps.loc[("Age", "model"), "selection_rate"] > 0.2
    page = dashboard._repr_html_()
    assert "<svg" in page and "Disparity" in page


def test_raiwidgets_and_the_fairlearn_submodule_resolve_only_when_active():
    was_active = sim.is_active()
    sim.activate()
    try:
        assert importlib.import_module("raiwidgets").FairnessDashboard is FairnessDashboard
        module = importlib.import_module("fairlearn.metrics._group_metric_set")
        assert module._create_group_metric_set is _create_group_metric_set
    finally:
        if not was_active:
            sim.deactivate()


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    with module_home(tmp_path_factory, "fairness"):
        sim.activate()
        new_workspace("fairness-ws")
        from azureml.core import Workspace

        yield Workspace.from_config()


@pytest.fixture(scope="module")
def registered(ws, biased, tmp_path_factory):
    import joblib
    from azureml.core import Model

    path = tmp_path_factory.mktemp("models") / "model.pkl"
    joblib.dump(biased[3], path)
    return Model.register(workspace=ws, model_path=str(path), model_name="fair_model").id


def test_dashboard_round_trips_through_the_run(ws, biased, registered):
    from azureml.contrib.fairness import (
        download_dashboard_by_upload_id,
        list_available_upload_ids,
        upload_dashboard_dictionary,
    )
    from azureml.core import Experiment

    X, y, groups, model = biased
    d = _create_group_metric_set(y_true=y, predictions={registered: model.predict(X)},
                                 sensitive_features={"Age": groups}, prediction_type="binary_classification")
    run = Experiment(ws, "fairness").start_logging()
    upload_id = upload_dashboard_dictionary(run, d, dashboard_name="Fairness insights")
    run.complete()
    assert list_available_upload_ids(run) == [upload_id]
    assert download_dashboard_by_upload_id(run, upload_id) == d
    assert f"dashboard/{upload_id}/meta.json" in run.get_file_names()


def test_upload_refuses_unregistered_models_and_malformed_dictionaries(ws, biased):
    from azureml.contrib.fairness import DashboardValidationException, upload_dashboard_dictionary
    from azureml.core import Experiment

    X, y, groups, model = biased
    d = _create_group_metric_set(y_true=y, predictions={"nobody:7": model.predict(X)},
                                 sensitive_features={"Age": groups}, prediction_type="binary_classification")
    run = Experiment(ws, "fairness").start_logging()
    with pytest.raises(DashboardValidationException, match="not a registered model id"):
        upload_dashboard_dictionary(run, d, dashboard_name="x")
    assert upload_dashboard_dictionary(run, d, dashboard_name="x", validate_model_ids=False)
    with pytest.raises(DashboardValidationException, match="schemaType"):
        upload_dashboard_dictionary(run, {"trueY": []}, dashboard_name="x")
    run.complete()
