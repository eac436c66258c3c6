"""Batch endpoints through the real azure-ai-ml: an MLflow model deployed with no script and a scoring-script
deployment, invoked on a folder of files; the batch job's predictions downloaded and checked against the model."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

FEATURES = ["PlasmaGlucose", "BMI", "Age"]
SCORE = """
import os
import pandas as pd
def init():
    global threshold
    threshold = 100
def run(mini_batch):
    rows = []
    for path in mini_batch:
        data = pd.read_csv(path)
        rows.append(f"{os.path.basename(path)},{int((data.PlasmaGlucose > threshold).sum())}")
    return rows
"""


@pytest.fixture
def batch_setup(ml_client, tmp_path, monkeypatch):
    """A cluster, an MLflow model (float signature, so integer files must be cast), and a folder of three files."""
    import mlflow
    from azure.ai.ml.constants import AssetTypes
    from azure.ai.ml.entities import AmlCompute, Model
    from sklearn.linear_model import LogisticRegression

    monkeypatch.chdir(tmp_path)
    ml_client.compute.begin_create_or_update(AmlCompute(name="cpu", size="STANDARD_DS11_V2", max_instances=2)).result()
    train = pd.DataFrame({"PlasmaGlucose": [80.0, 90, 150, 170], "BMI": [20.0, 22, 35, 40], "Age": [25.0, 30, 55, 60]})
    model = LogisticRegression().fit(train, [0, 0, 1, 1])
    mlflow.sklearn.save_model(model, tmp_path / "model", signature=mlflow.models.infer_signature(train))
    registered = ml_client.models.create_or_update(Model(name="diabetes-batch", path=str(tmp_path / "model"),
                                                         type=AssetTypes.MLFLOW_MODEL))
    data = tmp_path / "data"
    data.mkdir()
    frames = [pd.DataFrame({"PlasmaGlucose": [85, 160 + i], "BMI": [21, 38], "Age": [28, 58]}) for i in range(3)]
    for i, frame in enumerate(frames):
        frame.to_csv(data / f"patients-{i}.csv", index=False)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "score.py").write_text(SCORE)
    return registered, model, pd.concat(frames), data


def _endpoint(ml_client, name="batch-diabetes"):
    from azure.ai.ml.entities import BatchEndpoint

    return ml_client.batch_endpoints.begin_create_or_update(BatchEndpoint(name=name)).result()


def _invoke_and_wait(ml_client, endpoint, data, **kwargs):
    from azure.ai.ml import Input

    job = ml_client.batch_endpoints.invoke(endpoint_name=endpoint, input=Input(type="uri_folder", path=str(data)),
                                           **kwargs)
    deadline = time.monotonic() + 120
    while (current := ml_client.jobs.get(job.name)).status not in ("Completed", "Failed", "Canceled"):
        assert time.monotonic() < deadline, f"batch job still {current.status}"
        time.sleep(0.3)
    return current


def test_mlflow_model_scores_every_row_of_every_file(ml_client, batch_setup, tmp_path):
    from azure.ai.ml.entities import ModelBatchDeployment

    registered, model, frame, data = batch_setup
    endpoint = _endpoint(ml_client)
    assert endpoint.scoring_uri.endswith(".inference.ml.azure.com/jobs")
    ml_client.batch_deployments.begin_create_or_update(ModelBatchDeployment(
        name="classifier", endpoint_name=endpoint.name, model=registered, compute="cpu", instance_count=2,
        max_concurrency_per_instance=1, mini_batch_size=2, output_file_name="predictions.csv")).result()
    assert ml_client.batch_endpoints.get(endpoint.name).defaults.deployment_name == "classifier"
    job = _invoke_and_wait(ml_client, endpoint.name, data)
    assert job.status == "Completed"
    ml_client.jobs.download(name=job.name, download_path=str(tmp_path / "out"), output_name="score")
    scored = pd.read_csv(tmp_path / "out" / "predictions.csv", names=["row", "prediction", "file"])
    assert len(scored) == len(frame) and set(scored.file) == {f"patients-{i}.csv" for i in range(3)}
    expected = model.predict(frame[FEATURES].astype(float))
    assert sorted(scored.prediction) == sorted(expected)
    [child] = ml_client.jobs.list(parent_job_name=job.name)  # the scoring step, a job of its own as in Azure
    assert ml_client.jobs.get(child.name).type == "command"


def test_a_scoring_script_deployment_appends_its_rows(ml_client, batch_setup, tmp_path):
    from azure.ai.ml.entities import BatchDeployment, CodeConfiguration

    registered, _, _, data = batch_setup
    endpoint = _endpoint(ml_client, "batch-script")
    ml_client.batch_deployments.begin_create_or_update(BatchDeployment(
        name="counter", endpoint_name=endpoint.name, model=registered, compute="cpu", instance_count=1,
        mini_batch_size=1, environment="azureml:AzureML-sklearn-1.5@latest",
        code_configuration=CodeConfiguration(code=str(tmp_path / "src"), scoring_script="score.py"),
        output_file_name="counts.csv")).result()
    job = _invoke_and_wait(ml_client, endpoint.name, data, deployment_name="counter")
    assert job.status == "Completed"
    ml_client.jobs.download(name=job.name, download_path=str(tmp_path / "counts"), output_name="score")
    lines = sorted((tmp_path / "counts" / "counts.csv").read_text().split())
    assert lines == [f"patients-{i}.csv,1" for i in range(3)]


def test_refusals(ml_client, batch_setup, monkeypatch):
    from azure.ai.ml.constants._endpoint import EndpointInvokeFields as Fields
    from azure.ai.ml.entities import BatchDeployment, ModelBatchDeployment

    # azure-ai-ml 1.35 adds a named deployment to a header dict shared by every invoke of the process; a test
    # that invoked one before would otherwise name it here too.
    monkeypatch.setattr(Fields, "DEFAULT_HEADER", {"Content-Type": "application/json"})

    registered, _, _, data = batch_setup
    endpoint = _endpoint(ml_client, "batch-refusals")
    with pytest.raises(HttpResponseError, match="no-such-cluster"):
        ml_client.batch_deployments.begin_create_or_update(ModelBatchDeployment(
            name="nowhere", endpoint_name=endpoint.name, model=registered, compute="no-such-cluster")).result()
    with pytest.raises(HttpResponseError, match="no deployment to run"):
        _invoke_and_wait(ml_client, endpoint.name, data)
    ml_client.batch_deployments.begin_create_or_update(BatchDeployment(
        name="first", endpoint_name=endpoint.name, model=registered, compute="cpu")).result()
    with pytest.raises(HttpResponseError, match="default"):
        ml_client.batch_deployments.begin_delete(name="first", endpoint_name=endpoint.name).result()
    with pytest.raises(ResourceNotFoundError):
        ml_client.batch_endpoints.get("no-such-endpoint")
