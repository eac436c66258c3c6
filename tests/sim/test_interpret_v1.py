"""Model interpretability as mslearn-dp100 notebook 14 uses it: `interpret.ext.blackbox.TabularExplainer` and
`azureml.interpret.ExplanationClient` keeping explanations on a run."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.tree import DecisionTreeClassifier

import sim
from sim.interpret._tabular import TabularExplainer
from tests.sim._runs_helpers import module_home, new_workspace

FEATURES = [f"f{i}" for i in range(6)]


@pytest.fixture(scope="module")
def decided_by_f2():
    """A tree trained on data whose label is decided by f2 alone (the other columns are noise)."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(400, len(FEATURES)))
    y = (X[:, 2] > 0.3).astype(int)
    return DecisionTreeClassifier(random_state=0).fit(X, y), X


def test_global_explanation_ranks_the_deciding_feature_first(decided_by_f2):
    model, X = decided_by_f2
    explanation = TabularExplainer(model, X, features=FEATURES, classes=["no", "yes"]).explain_global(X[:120])
    names = explanation.get_ranked_global_names()
    values = explanation.get_ranked_global_values()
    assert names[0] == "f2"
    assert values[0] > 0.3 and max(values[1:]) < 0.02
    assert list(explanation.get_feature_importance_dict()) == names


def test_local_explanation_is_per_class_and_adds_up_to_the_prediction(decided_by_f2):
    model, X = decided_by_f2
    explainer = TabularExplainer(model, X, features=FEATURES, classes=["no", "yes"])
    rows = X[:3]
    local = explainer.explain_local(rows)
    names, values = local.get_ranked_local_names(), local.get_ranked_local_values()
    assert len(names) == 2 and len(names[0]) == 3 and len(names[0][0]) == len(FEATURES)
    expected = np.asarray(local.expected_values)
    probabilities = model.predict_proba(rows)
    for cls in range(2):
        for row in range(3):
            assert sum(values[cls][row]) == pytest.approx(probabilities[row, cls] - expected[cls], abs=1e-9)
            assert values[cls][row] == sorted(values[cls][row], reverse=True)


def test_many_features_use_sampled_orderings_and_still_find_the_feature():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(300, 12))
    y = 3.0 * X[:, 7] + 0.01 * X[:, 1]
    explainer = TabularExplainer(LinearRegression().fit(X, y), X)
    explanation = explainer.explain_global(X[:20])
    assert explanation.method == "shap.sampling"
    assert explanation.get_ranked_global_names()[0] == "Feature 7"
    local = explainer.explain_local(X[:2])
    assert len(local.get_ranked_local_names()) == 2  # regression: [row][feature]


def test_default_classes_are_the_models_and_serialisable(decided_by_f2):
    import json

    model, X = decided_by_f2
    explanation = TabularExplainer(model, X).explain_global(X[:10])
    assert explanation.classes == [0, 1] and explanation.features[0] == "Feature 0"
    json.dumps(explanation.to_dict())


def test_bad_inputs_say_what_to_do(decided_by_f2):
    model, X = decided_by_f2
    with pytest.raises(ValueError, match="one name per column"):
        TabularExplainer(model, X, features=["only", "two"])
    with pytest.raises(TypeError, match="predict_proba"):
        TabularExplainer(object(), X)


def test_interpret_resolves_to_the_simulator_only_when_active():
    was_active = sim.is_active()
    sim.activate()
    try:
        module = importlib.import_module("interpret.ext.blackbox")
        assert module.TabularExplainer is TabularExplainer
    finally:
        if not was_active:
            sim.deactivate()


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    with module_home(tmp_path_factory, "interpret"):
        sim.activate()
        new_workspace("interpret-ws")
        from azureml.core import Workspace

        yield Workspace.from_config()


def test_explanations_round_trip_through_the_run(ws, decided_by_f2):
    from azureml.core import Experiment
    from azureml.interpret import ExplanationClient

    model, X = decided_by_f2
    explanation = TabularExplainer(model, X, features=FEATURES, classes=["no", "yes"]).explain_global(X[:60])
    run = Experiment(ws, "explain").start_logging()
    client = ExplanationClient.from_run(run)
    client.upload_model_explanation(explanation, comment="Tabular Explanation")
    run.complete()

    again = ExplanationClient.from_run(run)
    listed = again.list_model_explanations()
    assert [item["comment"] for item in listed] == ["Tabular Explanation"]
    assert any(name.startswith(f"explanation/{listed[0]['id']}/") for name in run.get_file_names())
    downloaded = again.download_model_explanation()
    assert downloaded.get_feature_importance_dict() == pytest.approx(explanation.get_feature_importance_dict())
    assert again.download_model_explanation(explanation_id=listed[0]["id"]).get_ranked_global_names()[0] == "f2"
    top = again.download_model_explanation(top_k=2)
    assert top.get_ranked_global_names() == explanation.get_ranked_global_names()[:2]
    with pytest.raises(Exception, match="has no model explanation with id 'nope'"):
        again.download_model_explanation(explanation_id="nope")


def test_upload_refuses_what_is_not_an_explanation_and_offline_runs(ws):
    from azureml.core import Experiment, Run
    from azureml.interpret import ExplanationClient

    run = Experiment(ws, "explain").start_logging()
    with pytest.raises(ValueError, match="made by TabularExplainer"):
        ExplanationClient.from_run(run).upload_model_explanation({"f2": 1.0})
    run.complete()
    with pytest.raises(Exception, match="offline run"):
        ExplanationClient.from_run(Run.get_context())
