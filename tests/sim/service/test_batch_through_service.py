"""A batch endpoint invoked with the home hidden (DP100_SANDBOX_HIDE_HOME=1): the service starts the batch job, whose
scoring runs in a job sandbox of its own, warm (forked from the job host) or fresh (a new interpreter in bubblewrap).
The sandbox shows the job the copy of the model its deployment keeps (read-only), and the job scores every row."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from labs.sandbox import FULL, isolation
from sim.cloud import workspaces

SUB = "00000000-0000-0000-0000-000000000000"
RG = "rg-batch"
WS = "mlw-batch"
TERMINAL = ("Completed", "Failed", "Canceled")

pytestmark = pytest.mark.usefixtures("sim_active")  # tests/sim/conftest.py: the simulator's hooks


@pytest.fixture(params=["warm", "fresh"])
def hidden_ml_client(request, monkeypatch, process_mode):
    """An MLClient in process mode, with the service sandboxing every job, which it starts warm (forked from its job
    host into the sandbox) or fresh (DP100_JOB_SANDBOX_WARM=0: a new interpreter in bubblewrap).

    The variables are set before anything starts the service, which reads them once: the first import of azure.ai.ml
    in a process starts it in the background, and so does the first call in process mode.
    """
    assert isolation().level == FULL, f"this machine kind sandboxes jobs: {isolation().summary()}"
    monkeypatch.setenv("DP100_SANDBOX_HIDE_HOME", "1")
    if request.param == "fresh":
        monkeypatch.setenv("DP100_JOB_SANDBOX_WARM", "0")
    from azure.ai.ml import MLClient
    from azure.identity import DefaultAzureCredential

    workspaces.create(SUB, RG, WS, location="eastus")
    return MLClient(DefaultAzureCredential(), SUB, RG, WS)


def _mlflow_model_and_data(ml_client, folder):
    """A registered MLflow model (no scoring script needed) and a folder of two CSV files to score."""
    import mlflow
    from azure.ai.ml.constants import AssetTypes
    from azure.ai.ml.entities import Model
    from sklearn.linear_model import LogisticRegression

    train = pd.DataFrame({"PlasmaGlucose": [80.0, 90, 150, 170], "BMI": [20.0, 22, 35, 40]})
    model = LogisticRegression().fit(train, [0, 0, 1, 1])
    mlflow.sklearn.save_model(model, folder / "model", signature=mlflow.models.infer_signature(train))
    registered = ml_client.models.create_or_update(Model(name="batch-hidden", path=str(folder / "model"),
                                                         type=AssetTypes.MLFLOW_MODEL))
    (folder / "data").mkdir()
    frame = pd.DataFrame({"PlasmaGlucose": [85.0, 165, 95], "BMI": [21.0, 38, 23]})
    frame.iloc[:2].to_csv(folder / "data" / "first.csv", index=False)
    frame.iloc[2:].to_csv(folder / "data" / "second.csv", index=False)
    return registered, model.predict(frame)


def test_a_batch_job_of_a_hidden_home_reads_its_deployment_model_and_scores_every_row(
        hidden_ml_client, monkeypatch, tmp_path):
    from azure.ai.ml import Input
    from azure.ai.ml.entities import AmlCompute, BatchEndpoint, ModelBatchDeployment

    ml_client = hidden_ml_client
    monkeypatch.chdir(tmp_path)
    registered, expected = _mlflow_model_and_data(ml_client, tmp_path)
    ml_client.compute.begin_create_or_update(AmlCompute(name="cpu", size="STANDARD_DS11_V2", max_instances=1)).result()
    ml_client.batch_endpoints.begin_create_or_update(BatchEndpoint(name="hidden-batch")).result()
    ml_client.batch_deployments.begin_create_or_update(ModelBatchDeployment(
        name="classifier", endpoint_name="hidden-batch", model=registered, compute="cpu", instance_count=1,
        max_concurrency_per_instance=2, mini_batch_size=1, output_file_name="predictions.csv")).result()
    job = ml_client.batch_endpoints.invoke(endpoint_name="hidden-batch",
                                           input=Input(type="uri_folder", path=str(tmp_path / "data")))
    deadline = time.monotonic() + 180  # the invoke itself waits up to 60 s; both stay under the test's timeout
    while (job := ml_client.jobs.get(job.name)).status not in TERMINAL and time.monotonic() < deadline:
        time.sleep(0.5)
    if job.status not in TERMINAL:
        ml_client.jobs.begin_cancel(job.name).result()  # leave nothing running when the job never ended
    assert job.status == "Completed", _step_log(job.name)
    ml_client.jobs.download(name=job.name, download_path=str(tmp_path / "out"), output_name="score")
    scored = pd.read_csv(tmp_path / "out" / "predictions.csv", names=["row", "prediction", "file"])
    assert sorted(scored.file) == ["first.csv", "first.csv", "second.csv"]
    assert sorted(scored.prediction) == sorted(expected)
    assert _step_job_was_sandboxed(job.name)  # else this test proved nothing about the hidden home


def _step_job_was_sandboxed(pipeline_job: str) -> bool:
    """True when the scoring step's user code ran in a job sandbox: its runner made the folder its outcome comes
    back through (`sim._sandboxed_job.OUTCOME_FOLDER`), which a job run in place has not."""
    from sim import _sandboxed_job
    from sim.cloud.runs import jobs, state

    record = workspaces.get(SUB, RG, WS)
    steps = state.list_for(record, parent_run_id=pipeline_job)
    return bool(steps) and all((jobs.job_folder(record, row["run_id"]) / _sandboxed_job.OUTCOME_FOLDER).is_dir()
                               for row in steps)


def _step_log(pipeline_job: str) -> str:
    """The end of the scoring step's driver log (what its user code printed), to show why a job failed."""
    from sim.cloud.runs import files, state

    record = workspaces.get(SUB, RG, WS)
    logs = [files.driver_log_path(record, row["run_id"]) for row in state.list_for(record, parent_run_id=pipeline_job)]
    return "\n".join(path.read_text()[-3000:] for path in logs if path.is_file())


def test_of_a_batch_endpoint_folder_a_job_argument_opens_only_a_deployment_model_and_read_only(tmp_path):
    """The learner chooses a job's arguments, so naming a batch endpoint's files must not bind them into a sandbox:
    only a deployment's copy of its model (what `--model_dir` of a scoring job names) is shown, and read-only."""
    from types import SimpleNamespace

    from sim import _sandboxed_job

    record = SimpleNamespace(folder=tmp_path / "ws", storage_root=tmp_path / "ws" / "storage")
    endpoint = record.folder / "batch-endpoints" / "scorer"
    model = endpoint / "deployments" / "classifier" / "model"
    (model / "model").mkdir(parents=True)
    record.storage_root.mkdir()
    (endpoint / "endpoint.json").write_text("{}")
    (endpoint / "deployments" / "classifier.json").write_text("{}")
    named = [str(endpoint / "endpoint.json"), f"--spec={endpoint / 'deployments' / 'classifier.json'}",
             str(endpoint), str(endpoint / "deployments" / "classifier"), "--model_dir", str(model / "model")]
    assert _sandboxed_job._argument_paths(record, {"arguments": named}) == ([], [(model / "model").resolve()])
