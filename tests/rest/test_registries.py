"""The azureml registry through the real azure-ai-ml (`MLClient(registry_name="azureml")`), and its Responsible AI
stand-in components run in a pipeline on a model whose mistakes are known in advance.

The model predicts `y = x1 > 0.5` (a depth-one tree trained where that is the rule), but in the test data the
label is flipped wherever `x2 > 0.8`: so the model is wrong on exactly those rows, it uses x1 alone, and only a
change of x1 can change its prediction.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from sim import studio_rai
from sim.cloud import registry

TERMINAL = ("Completed", "Failed", "Canceled")
RAI = ("rai_tabular_insight_constructor", "rai_tabular_erroranalysis", "rai_tabular_explanation",
       "rai_tabular_counterfactual", "rai_tabular_insight_gather")


@pytest.fixture
def registry_client(ml_client):
    """A client of the azureml registry, made as lab 10 makes it."""
    from azure.ai.ml import MLClient

    return MLClient(credential=ml_client._credential, subscription_id=ml_client.subscription_id,
                    resource_group_name=ml_client.resource_group_name, registry_name="azureml")


def test_components_by_label_version_and_listing(registry_client):
    latest = registry_client.components.get(name="rai_tabular_insight_constructor", label="latest")
    assert isinstance(latest.version, str) and latest.version == registry.RAI_VERSION
    assert latest.id == f"azureml://registries/azureml/components/rai_tabular_insight_constructor/versions/" \
                        f"{latest.version}"
    explanation = registry_client.components.get(name="rai_tabular_explanation", version=latest.version)
    assert set(explanation.inputs) == {"comment", "rai_insights_dashboard"}
    assert set(explanation.outputs) == {"explanation"}
    assert set(RAI) <= {c.name for c in registry_client.components.list()}


def test_unknown_component_version_and_registry_are_refused(registry_client, ml_client):
    from azure.ai.ml import MLClient

    with pytest.raises(ResourceNotFoundError, match="no component 'rai_tabular_explanation' .version 9.9"):
        registry_client.components.get(name="rai_tabular_explanation", version="9.9")
    with pytest.raises(HttpResponseError, match="serves the Responsible AI components"):
        registry_client.components.get(name="rai_tabular_fairness", label="latest")
    with pytest.raises(HttpResponseError, match="only registry here is 'azureml'"):
        MLClient(credential=ml_client._credential, registry_name="contoso-registry")


def _known_model_and_data(tmp_path):
    """The model (saved as an MLflow model) and MLTable folders: train as CSV, test as Parquet."""
    import mlflow
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"x1": rng.random(400), "x2": rng.random(400), "noise": rng.random(400)})
    train = frame.assign(y=(frame.x1 > 0.5).astype(int))
    model = DecisionTreeClassifier(max_depth=1).fit(train[["x1", "x2", "noise"]].to_numpy(), train.y)
    mlflow.sklearn.save_model(model, tmp_path / "model", serialization_format="cloudpickle")  # as lab 10's model
    test_frame = pd.DataFrame({"x1": rng.random(300), "x2": rng.random(300), "noise": rng.random(300)})
    test = test_frame.assign(y=((test_frame.x1 > 0.5) ^ (test_frame.x2 > 0.8)).astype(int))
    (tmp_path / "train").mkdir()
    train.to_csv(tmp_path / "train" / "train.csv", index=False)
    (tmp_path / "train" / "MLTable").write_text("paths:\n  - file: ./train.csv\ntransformations:\n"
                                                "  - read_delimited:\n      delimiter: ','\n")
    (tmp_path / "test").mkdir()
    test.to_parquet(tmp_path / "test" / "test.parquet")
    (tmp_path / "test" / "MLTable").write_text("paths:\n  - pattern: ./*.parquet\ntransformations:\n"
                                               "  - read_parquet\n")
    return test


def _rai_pipeline(ml_client, registry_client, tmp_path):
    from azure.ai.ml import Input, dsl
    from azure.ai.ml.constants import AssetTypes
    from azure.ai.ml.entities import AmlCompute, Data, Model

    ml_client.compute.begin_create_or_update(AmlCompute(name="cpu", size="STANDARD_DS11_V2", max_instances=2)).result()
    for name in ("train", "test"):
        ml_client.data.create_or_update(Data(name=f"known-{name}", version="1", type=AssetTypes.MLTABLE,
                                             path=str(tmp_path / name)))
    ml_client.models.create_or_update(Model(name="known-model", path=str(tmp_path / "model"),
                                            type=AssetTypes.MLFLOW_MODEL))
    get = {name: registry_client.components.get(name=name, version=registry.RAI_VERSION) for name in RAI}

    @dsl.pipeline(compute="cpu", experiment_name="rai-known")
    def insights(target_column_name, train_data, test_data):
        built = get[RAI[0]](title="known", task_type="classification", model_info="known-model:1",
                            model_input=Input(type=AssetTypes.MLFLOW_MODEL, path="azureml:known-model:1"),
                            train_dataset=train_data, test_dataset=test_data, target_column_name=target_column_name)
        dashboard = built.outputs.rai_insights_dashboard
        errors = get[RAI[1]](rai_insights_dashboard=dashboard, max_depth=2, min_child_samples=5,
                             filter_features='["x2"]')
        explained = get[RAI[2]](rai_insights_dashboard=dashboard, comment="why")
        changes = get[RAI[3]](rai_insights_dashboard=dashboard, total_CFs=2, desired_class="opposite")
        gathered = get[RAI[4]](constructor=dashboard, insight_1=errors.outputs.error_analysis,
                               insight_2=explained.outputs.explanation, insight_3=changes.outputs.counterfactual)
        return {"dashboard": gathered.outputs.dashboard}

    return insights(target_column_name="y", train_data=Input(type="mltable", path="azureml:known-train:1"),
                    test_data=Input(type="mltable", path="azureml:known-test:1"))


def _wait(ml_client, name, timeout=240):
    deadline = time.monotonic() + timeout
    while (job := ml_client.jobs.get(name)).status not in TERMINAL:
        assert time.monotonic() < deadline, f"pipeline still {job.status} after {timeout} s"
        time.sleep(0.5)
    return job


def test_rai_components_find_the_known_errors_importance_and_counterfactuals(ml_client, registry_client, workspace,
                                                                            tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    test = _known_model_and_data(tmp_path)
    job = _wait(ml_client, ml_client.jobs.create_or_update(_rai_pipeline(ml_client, registry_client, tmp_path)).name)
    assert job.status == "Completed"
    [shown] = studio_rai.rai_insights(workspace, job.name)  # read as the Studio reads it
    wrong = test.x2 > 0.8
    assert shown["title"] == "known" and shown["error_rate"] == pytest.approx(wrong.mean(), abs=1e-4)
    worst = max(shown["error_tree"], key=lambda node: node["error_rate"])
    assert worst["error_rate"] == 1.0 and worst["condition"].startswith("x2 > 0.8")
    assert worst["rows"] == int(wrong.sum())
    assert [row["rows"] for row in shown["error_heat_map"]] and sum(r["errors"] for r in shown["error_heat_map"]) \
        == int(wrong.sum())
    importance = {row["feature"]: row["importance"] for row in shown["importance"]}
    assert importance["x1"] > 0.3 and importance["x2"] == 0 and importance["noise"] == 0
    assert shown["counterfactuals"], "no counterfactual was found"
    for row in shown["counterfactuals"]:
        assert set(row["changed"]) == {"x1"}  # the model reads x1 alone: only x1 can change its mind
        before = test.x1.iloc[row["row"]]
        assert (before > 0.5) != (row["changed"]["x1"] > 0.5)


def test_a_missing_target_column_fails_the_constructor_with_a_clear_log(ml_client, registry_client, workspace,
                                                                         tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _known_model_and_data(tmp_path)
    job = _rai_pipeline(ml_client, registry_client, tmp_path)
    job.inputs.target_column_name = "outcome"
    failed = _wait(ml_client, ml_client.jobs.create_or_update(job).name)
    assert failed.status == "Failed"
    [constructor] = [c for c in ml_client.jobs.list(parent_job_name=failed.name) if c.status == "Failed"]
    log = tmp_path / "logs"
    ml_client.jobs.download(constructor.name, download_path=str(log), all=True)
    text = next(log.rglob("std_log.txt")).read_text()
    assert "train_dataset has no column 'outcome'" in text
