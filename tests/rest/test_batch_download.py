"""Downloading a batch job's predictions right after invoking it (lab 11's last cells): the real `jobs.download`
refuses a job that has not ended; at the default pace the invocation answers once its job has ended, at a realistic
pace the job is still running and the download is refused as on Azure."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from tests.rest.test_batch_endpoints import _endpoint, batch_setup  # noqa: F401 - the fixture is used by name

TERMINAL = ("Completed", "Failed", "Canceled")


def _deployed(ml_client, registered):
    from azure.ai.ml.entities import ModelBatchDeployment

    endpoint = _endpoint(ml_client)
    ml_client.batch_deployments.begin_create_or_update(ModelBatchDeployment(
        name="classifier", endpoint_name=endpoint.name, model=registered, compute="cpu", instance_count=1,
        mini_batch_size=2, output_file_name="predictions.csv")).result()
    return endpoint.name


def _invoke(ml_client, endpoint, data):
    from azure.ai.ml import Input

    return ml_client.batch_endpoints.invoke(endpoint_name=endpoint, input=Input(type="uri_folder", path=str(data)))


def test_download_right_after_invoke_gets_the_predictions(ml_client, batch_setup, tmp_path):  # noqa: F811
    registered, model, frame, data = batch_setup
    job = _invoke(ml_client, _deployed(ml_client, registered), data)
    assert ml_client.jobs.get(job.name).status == "Completed"
    ml_client.jobs.download(name=job.name, download_path=str(tmp_path / "out"), output_name="score")
    scored = pd.read_csv(tmp_path / "out" / "predictions.csv", index_col=0, names=["patient", "prediction", "file"])
    assert len(scored) == len(frame)
    assert sorted(scored.prediction) == sorted(model.predict(frame.astype(float)))


def test_at_a_realistic_pace_a_running_job_cannot_be_downloaded(ml_client, batch_setup, tmp_path,  # noqa: F811
                                                                  monkeypatch):
    from azure.ai.ml.exceptions import JobException

    registered, _, _, data = batch_setup
    endpoint = _deployed(ml_client, registered)
    monkeypatch.setenv("DP100_SIM_RUN_DELAY", "2")
    job = _invoke(ml_client, endpoint, data)
    assert ml_client.jobs.get(job.name).status not in TERMINAL
    with pytest.raises(JobException, match="Download is allowed only in states"):
        ml_client.jobs.download(name=job.name, download_path=str(tmp_path / "early"), output_name="score")
    deadline = time.monotonic() + 120  # the learner waits, as the lab's instructions say, then downloads
    while ml_client.jobs.get(job.name).status not in TERMINAL:
        assert time.monotonic() < deadline, "the batch job never ended"
        time.sleep(0.3)
    ml_client.jobs.download(name=job.name, download_path=str(tmp_path / "later"), output_name="score")
    assert (tmp_path / "later" / "predictions.csv").is_file()
