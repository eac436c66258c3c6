"""AutoML jobs through the real azure-ai-ml (lab 06's calls): trials as child jobs, the best one by the primary
metric, blocked algorithms, limits, the best model registered from its MLflow folder, and clear refusals."""

from __future__ import annotations

import time

import pytest
from azure.core.exceptions import HttpResponseError

from tests.sim._data_helpers import diabetes_frame

TERMINAL = ("Completed", "Failed", "Canceled")
MLTABLE = "paths:\n  - file: ./diabetes.csv\ntransformations:\n  - read_delimited:\n      delimiter: ','\n"


@pytest.fixture
def training_asset(ml_client, tmp_path):
    """An MLTable data asset `diabetes-training:1` of 300 synthetic patients, as lab 06's setup.sh makes one."""
    from azure.ai.ml.entities import Data

    folder = tmp_path / "diabetes-data"
    folder.mkdir()
    diabetes_frame(300, 3).to_csv(folder / "diabetes.csv", index=False)
    (folder / "MLTable").write_text(MLTABLE)
    ml_client.data.create_or_update(Data(path=str(folder), type="mltable", name="diabetes-training", version="1"))
    return "azureml:diabetes-training:1"


def _classification(training_asset, **kwargs):
    from azure.ai.ml import Input, automl
    from azure.ai.ml.constants import AssetTypes

    settings = {"compute": "aml-cluster", "experiment_name": "auto-ml-class-dev", "target_column_name": "Diabetic",
                "primary_metric": "accuracy", "n_cross_validations": 3, "enable_model_explainability": True,
                **kwargs}
    return automl.classification(training_data=Input(type=AssetTypes.MLTABLE, path=training_asset), **settings)


def _wait(ml_client, name, timeout=240):
    deadline = time.monotonic() + timeout
    job = ml_client.jobs.get(name)
    while job.status not in TERMINAL and time.monotonic() < deadline:
        time.sleep(0.2)
        job = ml_client.jobs.get(name)
    return job


def _metric(workspace, run_id, name):
    from sim.cloud.runs import metrics

    return metrics.get_metrics(workspace, run_id, name)[name]


def test_lab_06_job_runs_its_trials_as_children_and_names_the_best_by_accuracy(ml_client, workspace,
                                                                                training_asset):
    from azure.ai.ml.constants import AssetTypes
    from azure.ai.ml.entities import Model

    job = _classification(training_asset)
    job.set_limits(timeout_minutes=60, trial_timeout_minutes=20, max_trials=3, enable_early_termination=True)
    job.set_training(blocked_training_algorithms=["LogisticRegression"], enable_onnx_compatible_models=True)
    returned = ml_client.jobs.create_or_update(job)
    assert type(returned).__name__ == "ClassificationJob" and returned.status in ("Running", "NotStarted")
    assert returned.studio_url.startswith("https://ml.azure.com/runs/")
    done = _wait(ml_client, returned.name)
    assert done.status == "Completed", workspace and done.properties
    assert returned.name in [j.name for j in ml_client.jobs.list()]  # a top-level job; its trials are not
    children = list(ml_client.jobs.list(parent_job_name=returned.name))
    assert sorted(c.name for c in children) == [f"{returned.name}_{n}" for n in range(3)]
    scores = {c.name: _metric(workspace, c.name, "accuracy") for c in children}
    best = done.properties["best_child_run_id"]
    assert scores[best] == max(scores.values()) and float(done.properties["score"]) == scores[best]
    from sim.cloud.runs import state
    algorithms = [state.get(workspace, c.name)["properties"]["run_algorithm"] for c in children]
    assert "LogisticRegression" not in algorithms and len(set(algorithms)) == 3
    model = ml_client.models.create_or_update(Model(
        path=f"azureml://jobs/{best}/outputs/artifacts/paths/outputs/mlflow-model/", name="diabetes-automl",
        type=AssetTypes.MLFLOW_MODEL))
    assert model.version == "1" and model.type == AssetTypes.MLFLOW_MODEL


def test_the_best_model_predicts_and_is_explained(ml_client, workspace, training_asset):
    import pickle

    from sim.cloud.runs import files, metrics

    job = _classification(training_asset, primary_metric="AUC_weighted")
    job.set_limits(max_trials=2)
    job.set_training(allowed_training_algorithms=["RandomForest", "DecisionTree", "LightGBM"])
    done = _wait(ml_client, ml_client.jobs.create_or_update(job).name)
    assert done.status == "Completed"
    best = done.properties["best_child_run_id"]
    model = pickle.loads((files.artifact_root(workspace, best) / "outputs/model.pkl").read_bytes())
    frame = diabetes_frame(50, 9)
    assert set(model.predict(frame.drop(columns=["Diabetic"]))) <= {0, 1}
    table = metrics.get_metrics(workspace, best, "feature_importance")["feature_importance"]
    assert table["feature"][0] in ("PlasmaGlucose", "BMI", "Age") and len(table["feature"]) == 9
    assert "outputs/mlflow-model/MLmodel" in files.names(workspace, best)


def test_stream_prints_the_trials_and_the_best_one(ml_client, training_asset, capsys):
    job = _classification(training_asset, featurization=None)
    job.set_limits(max_trials=2)
    job.set_featurization(mode="off")
    name = ml_client.jobs.create_or_update(job).name
    ml_client.jobs.stream(name)
    out = capsys.readouterr().out
    assert "ITER 0:" in out and "ITER 1:" in out and "Best trial:" in out


def test_a_forecasting_job_learns_the_series_and_its_best_child_forecasts(ml_client, workspace, tmp_path):
    import pickle

    import numpy as np
    import pandas as pd
    from azure.ai.ml import Input, automl
    from azure.ai.ml.entities import Data

    from sim.cloud.runs import files

    days = pd.date_range("2024-01-01", periods=70, freq="D")
    demand = 50 + 10 * np.sin(2 * np.pi * np.arange(70) / 7) + np.random.default_rng(1).normal(0, 1, 70)
    folder = tmp_path / "demand"
    folder.mkdir()
    pd.DataFrame({"day": days.strftime("%Y-%m-%d"), "demand": demand}).to_csv(folder / "demand.csv", index=False)
    (folder / "MLTable").write_text(MLTABLE.replace("diabetes.csv", "demand.csv"))
    ml_client.data.create_or_update(Data(path=str(folder), type="mltable", name="demand", version="1"))
    job = automl.forecasting(compute="aml-cluster", experiment_name="fc", target_column_name="demand",
                             training_data=Input(type="mltable", path="azureml:demand:1"),
                             primary_metric="normalized_root_mean_squared_error", n_cross_validations=3)
    job.set_forecast_settings(time_column_name="day", forecast_horizon=2, target_lags=[1, 7])
    job.set_limits(max_trials=2)
    done = _wait(ml_client, ml_client.jobs.create_or_update(job).name)
    assert done.status == "Completed", done.properties
    best = done.properties["best_child_run_id"]
    forecaster = pickle.loads((files.artifact_root(workspace, best) / "outputs/model.pkl").read_bytes())
    next_days = pd.DataFrame({"day": ["2024-03-11", "2024-03-12"]})
    assert forecaster.predict(next_days).shape == (2,)


def test_forecasting_on_rows_without_one_row_per_time_is_refused(ml_client, training_asset):
    from azure.ai.ml import Input, automl

    job = automl.forecasting(compute="aml-cluster", experiment_name="fc", target_column_name="Diabetic",
                             training_data=Input(type="mltable", path=training_asset), primary_metric="r2_score")
    job.set_forecast_settings(time_column_name="Age", forecast_horizon=3)
    with pytest.raises(HttpResponseError, match="not dates or times|repeats a time within a series"):
        ml_client.jobs.create_or_update(job)
