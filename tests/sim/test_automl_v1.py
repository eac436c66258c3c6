"""SDK v1 AutoML (`azureml.train.automl`): AutoMLConfig submitted with Experiment.submit, the AutoMLRun's trials,
its best run and fitted model, guardrails, the iteration table, RunDetails and model registration."""

from __future__ import annotations

import re

import pytest

import sim
from tests.sim._data_helpers import diabetes_frame
from tests.sim._runs_helpers import module_home, new_workspace


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    with module_home(tmp_path_factory, "automlv1") as (home, _work):
        yield home


@pytest.fixture(scope="module")
def ws(dp100_home):
    sim.activate()
    return new_workspace("automl-ws")


@pytest.fixture(scope="module")
def datasets(ws):
    from azureml.core import Dataset

    store = ws.get_default_datastore()
    store.upload_files(files=["./data/diabetes.csv", "./data/diabetes2.csv"], target_path="diabetes-data/",
                       overwrite=True, show_progress=False)
    tabular = Dataset.Tabular.from_delimited_files(path=(store, "diabetes-data/*.csv"))
    return tabular.random_split(percentage=0.7, seed=123)


@pytest.fixture(scope="module")
def automl_run(ws, datasets):
    """Lab 12's AutoML run (4 iterations, AUC_weighted, validation data), waited for with its output."""
    from azureml.core import Experiment
    from azureml.train.automl import AutoMLConfig

    train_ds, test_ds = datasets
    config = AutoMLConfig(name="Automated ML Experiment", task="classification", compute_target="local",
                          training_data=train_ds, validation_data=test_ds, label_column_name="Diabetic",
                          iterations=4, primary_metric="AUC_weighted", max_concurrent_iterations=2,
                          featurization="auto", blocked_models=["KNN"])
    run = Experiment(ws, "mslearn-diabetes-automl-sdk").submit(config)
    return run


def test_submit_returns_an_automl_run_whose_table_lists_each_iteration(automl_run, capsys):
    from azureml.train.automl.run import AutoMLRun

    assert isinstance(automl_run, AutoMLRun) and automl_run.id.startswith("AutoML_")
    automl_run.wait_for_completion(show_output=True)
    out = capsys.readouterr().out
    assert "DATA GUARDRAILS" in out and "Validation split handling" in out and "ITER" in out
    assert out.count("LogisticRegression") == 1 and automl_run.get_status() == "Completed"
    # Every row's DURATION ends where the header's does, whatever the length of its scaler's name.
    lines = out.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("ITER") and "PIPELINE" in line)
    rows = [line for line in lines if re.match(r"\s+\d+   \S", line)]
    assert len(rows) == 4 and len({line.index(":") + 6 for line in rows} | {header.index("DURATION") + 8}) == 1, rows


def test_get_output_gives_the_best_child_by_its_metrics_and_a_fitted_pipeline(automl_run):
    children = list(automl_run.get_children())
    assert len(children) == 4
    scores = {c.id: c.get_metrics()["AUC_weighted"] for c in children}
    assert all("accuracy" in c.get_metrics() for c in children)
    best_run, fitted_model = automl_run.get_output()
    assert scores[best_run.id] == max(scores.values())
    assert list(fitted_model.named_steps)[0] == "datatransformer"
    sample = diabetes_frame(20, 4).drop(columns=["Diabetic"])
    assert set(fitted_model.predict(sample)) <= {0, 1}
    assert automl_run.get_best_child().id == best_run.id
    assert "KNN" not in automl_run.summary()["Algorithm"].tolist()


def test_guardrails_and_run_details_show_the_run(automl_run, capsys):
    from azureml.widgets import RunDetails

    rails = automl_run.get_guardrails()
    names = [r["name"] for r in rails["faults"]]
    assert names[:2] == ["Validation split handling", "Class balancing detection"]
    RunDetails(automl_run).show()
    out = capsys.readouterr().out
    assert f"{automl_run.id}_0" in out and "Completed" in out


def test_the_best_model_registers_from_its_outputs(automl_run, ws):
    from azureml.core import Model

    best_run, _ = automl_run.get_output()
    metrics = best_run.get_metrics()
    best_run.register_model(model_path="outputs/model.pkl", model_name="diabetes_model",
                            tags={"Training context": "Auto ML"},
                            properties={"AUC": metrics["AUC_weighted"], "Accuracy": metrics["accuracy"]})
    model = automl_run.register_model(model_name="diabetes_automl")
    assert automl_run.model_id == "diabetes_automl" and model.version == 1
    assert {m.name for m in Model.list(ws)} >= {"diabetes_model", "diabetes_automl"}


def test_primary_metrics_and_config_refusals():
    from azureml.train.automl import AutoMLConfig
    from azureml.train.automl.utilities import get_primary_metrics

    assert "AUC_weighted" in get_primary_metrics("classification")
    assert "r2_score" in get_primary_metrics("regression")
    with pytest.raises(Exception, match="Primary metric 'r2_score' is not supported for classification"):
        AutoMLConfig(task="classification", primary_metric="r2_score", label_column_name="y")
    with pytest.raises(Exception, match="needs the name of its time column"):
        AutoMLConfig(task="forecasting", label_column_name="y")
    with pytest.raises(Exception, match="not simulated"):
        AutoMLConfig(task="classification", label_column_name="y", X=[[1]])
