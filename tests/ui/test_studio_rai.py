"""A run's page in the Studio shows its model explanations and fairness dashboards."""

from __future__ import annotations

import numpy as np
from sklearn.tree import DecisionTreeClassifier

from tests.ui.test_studio_page import studio, workspace  # noqa: F401 - the shared workspace fixture


def _run_with_results(ws):
    from sim.azureml.contrib.fairness import upload_dashboard_dictionary
    from sim.azureml.core import Experiment
    from sim.azureml.interpret import ExplanationClient
    from sim.fairness.group_metric_set import _create_group_metric_set
    from sim.interpret._tabular import TabularExplainer

    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 3))
    y = (X[:, 1] > 0).astype(int)
    model = DecisionTreeClassifier(random_state=0).fit(X, y)
    run = Experiment(ws, "rai").start_logging()
    explanation = TabularExplainer(model, X, features=["age", "glucose", "bmi"]).explain_global(X[:40])
    ExplanationClient.from_run(run).upload_model_explanation(explanation, comment="Tabular Explanation")
    groups = np.where(X[:, 0] > 0, "Over 50", "50 or younger")
    dashboard = _create_group_metric_set(y_true=y, predictions={"m": model.predict(X)},
                                         sensitive_features={"Age": groups}, prediction_type="binary_classification")
    upload_dashboard_dictionary(run, dashboard, dashboard_name="Fairness insights", validate_model_ids=False)
    run.complete()


def test_a_run_shows_its_explanation_and_fairness_dashboard(workspace):  # noqa: F811
    _run_with_results(workspace)
    at = studio()
    at.selectbox(key="studio_experiment").set_value("rai").run()
    assert not at.exception
    headings = [m.value for m in at.markdown]
    assert "**Explanation: Tabular Explanation (global feature importance)**" in headings
    assert "**Fairness dashboard: Fairness insights (metrics by group)**" in headings
    by_group = next(df.value for df in at.dataframe if "selection_rate" in df.value.columns)
    assert sorted(by_group["group"]) == ["50 or younger", "Over 50"]
    from sim import studio as views  # chart data is not readable through AppTest

    run_id = at.selectbox(key="studio_run").value
    shown = views.run_view(workspace, "rai", run_id)["explanations"][0]["importance"]
    assert next(iter(shown)) == "glucose"


def test_the_headings_follow_the_language(workspace):  # noqa: F811
    _run_with_results(workspace)
    at = studio()
    at.session_state["lang"] = "pt-BR"
    at.session_state["studio_experiment"] = "rai"  # one run in Portuguese (English widget values would not match)
    at.run()
    assert not at.exception
    assert any(m.value.startswith("**Painel de equidade: Fairness insights") for m in at.markdown)
