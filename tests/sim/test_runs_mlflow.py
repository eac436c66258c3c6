"""The real MLflow client sees what the SDK facade wrote: runs, statuses, metrics, tags and files."""

from __future__ import annotations

import os

import pytest

import sim
from tests.sim._runs_helpers import module_home, new_workspace


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    with module_home(tmp_path_factory, "runsmlflow") as (home, _work):
        yield home


@pytest.fixture(scope="module")
def ws(dp100_home):
    sim.activate()
    return new_workspace("mlflow-view-ws")


@pytest.fixture(scope="module")
def finished(ws):
    from azureml.core import Experiment, ScriptRunConfig

    experiment = Experiment(ws, "mlflow-view")
    interactive = experiment.start_logging()
    for epoch in range(5):
        interactive.log("loss", 1.0 / (epoch + 1))
    interactive.log("rows", 300)
    interactive.tag("stage", "explore")
    interactive.upload_file("outputs/notes.txt", "data/diabetes.csv")
    interactive.complete()
    os.makedirs("job", exist_ok=True)
    with open("job/train.py", "w") as handle:
        handle.write("from azureml.core import Run\nimport os\nrun = Run.get_context()\nrun.log('AUC', 0.875)\n"
                     "os.makedirs('outputs', exist_ok=True)\nopen('outputs/model.txt', 'w').write('model')\n")
    submitted = experiment.submit(ScriptRunConfig(source_directory="job", script="train.py"))
    submitted.wait_for_completion()
    return experiment, interactive, submitted


def test_mlflow_client_sees_runs_statuses_and_metrics(ws, finished):
    from mlflow.tracking import MlflowClient

    experiment, interactive, submitted = finished
    client = MlflowClient(tracking_uri=ws.get_mlflow_tracking_uri())
    mlflow_experiment = client.get_experiment_by_name("mlflow-view")
    assert mlflow_experiment.experiment_id == experiment.id
    runs = {r.info.run_id: r for r in client.search_runs([experiment.id])}
    assert set(runs) == {interactive.id, submitted.id}
    assert runs[interactive.id].info.status == "FINISHED" and runs[submitted.id].info.status == "FINISHED"
    history = client.get_metric_history(interactive.id, "loss")
    assert [m.value for m in sorted(history, key=lambda m: m.step)] == pytest.approx([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5])
    assert runs[interactive.id].data.metrics["rows"] == 300
    assert runs[interactive.id].data.tags["stage"] == "explore"
    assert runs[submitted.id].data.metrics["AUC"] == 0.875


def test_mlflow_client_sees_run_files_as_artifacts(ws, finished):
    from mlflow.tracking import MlflowClient

    _, interactive, submitted = finished
    client = MlflowClient(tracking_uri=ws.get_mlflow_tracking_uri())
    assert [a.path for a in client.list_artifacts(interactive.id, "outputs")] == ["outputs/notes.txt"]
    submitted_paths = [a.path for a in client.list_artifacts(submitted.id, "outputs")]
    assert submitted_paths == ["outputs/model.txt"]
    local = client.download_artifacts(submitted.id, "outputs/model.txt", "mlflow-download")
    assert open(local).read() == "model"
