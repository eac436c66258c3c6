"""Command jobs through the real azure-ai-ml: submit, run for real, status, logs, outputs, cancel, MLflow, v1."""

from __future__ import annotations

import time

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from tests.rest.conftest import WS

TERMINAL = ("Completed", "Failed", "Canceled")
TRAIN = """
import argparse, os
import mlflow
import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument("--reg_rate", type=float)
parser.add_argument("--data")
parser.add_argument("--out")
args = parser.parse_args()
df = pd.read_csv(args.data)
print("training on", len(df), "rows with reg_rate", args.reg_rate)
mlflow.log_param("reg_rate", args.reg_rate)
mlflow.log_metric("rows", len(df))
with open(os.path.join(args.out, "summary.txt"), "w") as f:
    f.write(f"{len(df)} rows")
os.makedirs("outputs", exist_ok=True)
open("outputs/model.txt", "w").write("a model")
print("greeting:", os.environ.get("GREETING"))
"""


@pytest.fixture
def src(tmp_path):
    """A code folder with a training script, a failing script and a pandas-only script."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "train.py").write_text(TRAIN)
    (folder / "fail.py").write_text("print('about to fail')\nraise ValueError('the data is wrong')\n")
    (folder / "uses_pandas.py").write_text("import pandas as pd\nprint('pandas', pd.__version__)\n")
    (folder / "slow.py").write_text("import time\nprint('started', flush=True)\ntime.sleep(0.5)\nprint('finished')\n")
    return folder


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "diabetes.csv"
    path.write_text("Pregnancies,Diabetic\n1,0\n2,1\n3,0\n")
    return path


@pytest.fixture
def quick_polls(monkeypatch):
    """jobs.stream polls every second instead of every 2 s or more (the SDK's floor for real jobs)."""
    from azure.ai.ml.operations._run_history_constants import RunHistoryConstants

    monkeypatch.setattr(RunHistoryConstants, "_WAIT_COMPLETION_POLLING_INTERVAL_MIN", 1)


def _submit(ml_client, **kwargs):
    from azure.ai.ml import command

    kwargs.setdefault("environment", "AzureML-sklearn-1.5@latest")
    kwargs.setdefault("experiment_name", "diabetes-training")
    return ml_client.create_or_update(command(**kwargs))


def _wait(ml_client, name, timeout=60):
    deadline = time.monotonic() + timeout
    job = ml_client.jobs.get(name)
    while job.status not in TERMINAL and time.monotonic() < deadline:
        time.sleep(0.1)
        job = ml_client.jobs.get(name)
    return job


def _train(ml_client, src, csv, **kwargs):
    from azure.ai.ml import Input, Output

    return _submit(ml_client, code=str(src),
                   command="python train.py --reg_rate ${{inputs.reg_rate}} --data ${{inputs.data}} "
                           "--out ${{outputs.summary}}",
                   inputs={"reg_rate": 0.01, "data": Input(type="uri_file", path=str(csv))},
                   outputs={"summary": Output(type="uri_folder")}, environment_variables={"GREETING": "hello"},
                   display_name="diabetes-train", tags={"model_type": "LogisticRegression"}, **kwargs)


def _log(workspace, name) -> str:
    from sim.cloud.runs import files

    return files.read_text(workspace, name, "user_logs/std_log.txt")


def test_a_command_job_runs_with_its_inputs_and_logs_to_its_mlflow_run(ml_client, workspace, src, csv):
    import mlflow

    submitted = _train(ml_client, src, csv)
    assert submitted.status in ("NotStarted", "Queued", "Preparing", "Starting", "Running")
    job = _wait(ml_client, submitted.name)
    assert job.status == "Completed", _log(workspace, job.name)
    assert (job.display_name, job.experiment_name, job.tags) == ("diabetes-train", "diabetes-training",
                                                                 {"model_type": "LogisticRegression"})
    assert "training on 3 rows with reg_rate 0.01" in _log(workspace, job.name)
    assert "greeting: hello" in _log(workspace, job.name)
    run = mlflow.MlflowClient(workspace.mlflow_uri).get_run(job.name)
    assert run.data.metrics == {"rows": 3.0} and run.data.params == {"reg_rate": "0.01"}
    assert run.data.tags["model_type"] == "LogisticRegression" and run.info.status == "FINISHED"


def test_search_runs_through_the_workspace_uri_filters_on_the_jobs_tags_and_metrics(ml_client, workspace, src, csv):
    import mlflow

    name = _train(ml_client, src, csv).name  # not waited for: the search waits for the experiment's jobs
    mlflow.set_tracking_uri(ml_client.workspaces.get(WS).mlflow_tracking_uri)
    try:
        experiment = mlflow.get_experiment_by_name("diabetes-training")
        found = mlflow.search_runs([experiment.experiment_id],
                                   filter_string="metrics.rows > 2 and tags.model_type = 'LogisticRegression'")
    finally:
        mlflow.set_tracking_uri(None)
    assert list(found["run_id"]) == [name]


def test_the_studio_url_and_services_name_the_job_and_workspace(ml_client, workspace, src, csv):
    job = _train(ml_client, src, csv)
    assert job.studio_url.startswith(f"https://ml.azure.com/runs/{job.name}?wsid={workspace.arm_id}")
    assert job.services["Tracking"].endpoint.startswith("azureml://eastus.api.azureml.ms/mlflow/v1.0/")
    _wait(ml_client, job.name)


def test_stream_prints_the_scripts_output_until_the_job_ends(ml_client, src, capsys, quick_polls):
    job = _submit(ml_client, code=str(src), command="python slow.py")
    ml_client.jobs.stream(job.name)
    printed = capsys.readouterr().out
    assert f"RunId: {job.name}" in printed and "Streaming user_logs/std_log.txt" in printed
    assert printed.index("started") < printed.index("finished") < printed.index("Execution Summary")
    assert ml_client.jobs.get(job.name).status == "Completed"


def test_download_writes_the_logs_outputs_and_a_named_output(ml_client, src, csv, tmp_path):
    job = _wait(ml_client, _train(ml_client, src, csv).name)
    ml_client.jobs.download(job.name, download_path=tmp_path / "all")
    assert (tmp_path / "all/artifacts/user_logs/std_log.txt").is_file()
    assert (tmp_path / "all/artifacts/outputs/model.txt").read_text() == "a model"
    ml_client.jobs.download(job.name, download_path=tmp_path / "named", output_name="summary")
    assert (tmp_path / "named/named-outputs/summary/summary.txt").read_text() == "3 rows"
    ml_client.jobs.download(job.name, download_path=tmp_path / "every", all=True)
    assert (tmp_path / "every/named-outputs/summary/summary.txt").read_text() == "3 rows"
    assert (tmp_path / "every/artifacts/outputs/model.txt").is_file()


def test_an_output_lands_on_the_default_datastore_under_azureml_job_output(ml_client, workspace, src, csv):
    from sim.cloud import datastores

    job = _wait(ml_client, _train(ml_client, src, csv).name)
    folder = datastores.content_root(workspace, "workspaceblobstore") / "azureml" / job.name / "summary"
    assert (folder / "summary.txt").read_text() == "3 rows"


def test_a_failing_script_ends_failed_with_its_traceback_in_the_log(ml_client, workspace, src, quick_polls):
    from azure.ai.ml.exceptions import JobException

    job = _submit(ml_client, code=str(src), command="python fail.py")
    with pytest.raises(JobException, match="ValueError: the data is wrong"):
        ml_client.jobs.stream(job.name)
    assert ml_client.jobs.get(job.name).status == "Failed"
    log = _log(workspace, job.name)
    assert "about to fail" in log and "Traceback (most recent call last)" in log
    assert 'fail.py", line 2, in <module>' in log


def test_a_job_whose_environment_lacks_a_package_fails_with_module_not_found(ml_client, workspace, src):
    from azure.ai.ml.entities import Environment

    ml_client.environments.create_or_update(Environment(name="docker-image-example",
                                                        image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04"))
    job = _wait(ml_client, _submit(ml_client, code=str(src), command="python uses_pandas.py",
                                   environment="docker-image-example:1").name)
    assert job.status == "Failed"
    log = _log(workspace, job.name)
    assert "ModuleNotFoundError: No module named 'pandas'" in log and "_envguard" not in log


def test_a_conda_file_environment_provides_its_packages(ml_client, workspace, src, tmp_path):
    from azure.ai.ml.entities import Environment

    conda = tmp_path / "conda-env.yml"
    conda.write_text("name: basic-env-cpu\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n"
                     "  - scikit-learn\n  - pandas\n")
    ml_client.environments.create_or_update(Environment(name="docker-image-plus-conda-example",
                                                        image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04",
                                                        conda_file=str(conda)))
    job = _wait(ml_client, _submit(ml_client, code=str(src), command="python uses_pandas.py",
                                   environment="docker-image-plus-conda-example:1").name)
    assert job.status == "Completed", _log(workspace, job.name)


def test_a_job_on_a_cluster_in_a_registry_environment_runs_there(ml_client, workspace, src):
    from sim.cloud import compute

    compute.create_cluster(workspace, "aml-cluster", vm_size="STANDARD_DS11_V2", min_nodes=0, max_nodes=2)
    environment = "azureml://registries/azureml/environments/AzureML-sklearn-1.5/labels/latest"
    job = _wait(ml_client, _submit(ml_client, code=str(src), command="python uses_pandas.py",
                                   compute="aml-cluster", environment=environment).name)
    assert (job.status, job.compute, job.environment) == ("Completed", "aml-cluster", environment)


def test_cancel_stops_a_running_job(ml_client):
    job = _submit(ml_client, command="python -c \"import time; time.sleep(30)\"")
    ml_client.jobs.begin_cancel(job.name).result()
    assert _wait(ml_client, job.name, timeout=10).status == "Canceled"


def test_list_shows_the_workspaces_jobs_newest_first(ml_client):
    first = _submit(ml_client, command="echo one").name
    second = _submit(ml_client, command="echo two").name
    assert [j.name for j in ml_client.jobs.list()] == [second, first]
    assert _wait(ml_client, second).status == "Completed"


def test_a_missing_job_is_a_resource_not_found_error(ml_client):
    with pytest.raises(ResourceNotFoundError):
        ml_client.jobs.get("no_such_job")
    with pytest.raises(ResourceNotFoundError):
        ml_client.jobs.begin_cancel("no_such_job")


def test_a_command_naming_an_unknown_input_is_refused_by_the_sdk_and_by_the_service(ml_client, workspace):
    import json

    from azure.ai.ml import command
    from azure.ai.ml.exceptions import ValidationException

    from sim.client.transport import call_service

    job = command(command="python -c 'print(1)' ${{inputs.missing}}", inputs={"other": 1},
                  environment="AzureML-sklearn-1.5@latest")
    with pytest.raises(ValidationException, match="'missing'"):
        ml_client.jobs.create_or_update(job)
    body = {"properties": {"jobType": "Command", "command": "echo ${{inputs.missing}}",
                           "environmentId": "azureml:AzureML-sklearn-1.5@latest",
                           "inputs": {"other": {"jobInputType": "literal", "value": "1"}}}}
    status, _, answer = call_service("PUT", f"https://management.azure.com{workspace.arm_id}/jobs/by-hand",
                                     {"Content-Type": "application/json"}, json.dumps(body).encode())
    assert status == 400 and "no inputs named 'missing'" in json.loads(answer)["error"]["message"]
    with pytest.raises(ResourceNotFoundError):  # a refused job leaves nothing behind
        ml_client.jobs.get("by-hand")


def test_a_job_name_is_unique(ml_client):
    _submit(ml_client, command="echo once", name="my-one-job")
    with pytest.raises(HttpResponseError) as caught:
        _submit(ml_client, command="echo twice", name="my-one-job")
    assert caught.value.status_code == 409


def test_v1_sees_the_jobs_run_in_its_experiment(ml_client, workspace, src, csv):
    from azureml.core import Experiment, Run, Workspace

    name = _wait(ml_client, _train(ml_client, src, csv).name).name
    ws = Workspace.get(WS, subscription_id=workspace.subscription_id, resource_group=workspace.resource_group)
    experiment = Experiment(ws, "diabetes-training")
    run = Run(experiment, name)
    assert run.get_status() == "Completed" and run.get_metrics() == {"rows": 3}
    assert run.get_tags()["model_type"] == "LogisticRegression"
    assert "user_logs/std_log.txt" in run.get_file_names()
    assert name in [r.id for r in experiment.get_runs()]


def test_a_fetched_job_sent_again_changes_its_tags_display_name_and_description(ml_client):
    job = ml_client.jobs.get(_submit(ml_client, command="echo hi", tags={"stage": "draft"}).name)
    job.tags["reviewed"] = "yes"
    job.display_name, job.description = "final-run", "the run we keep"
    changed = ml_client.jobs.create_or_update(job)
    assert changed.tags == {"stage": "draft", "reviewed": "yes"}
    assert (changed.display_name, changed.description) == ("final-run", "the run we keep")
    assert _wait(ml_client, job.name).status == "Completed"


def test_a_model_logged_without_start_run_belongs_to_the_jobs_run(ml_client, workspace, tmp_path):
    """Azure's curated MLflow starts the job's run on log_model; MLflow 3 alone would log a model with no run."""
    import mlflow

    folder = tmp_path / "infer"
    folder.mkdir()
    (folder / "train.py").write_text(
        "import mlflow.sklearn\nfrom sklearn.linear_model import LogisticRegression\n"
        "model = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])\n"
        "mlflow.sklearn.log_model(model, 'model')\n")
    job = _wait(ml_client, _submit(ml_client, code=str(folder), command="python train.py").name)
    assert job.status == "Completed", _log(workspace, job.name)
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(workspace.mlflow_uri)
    try:
        info = mlflow.models.get_model_info(f"runs:/{job.name}/model")
    finally:
        mlflow.set_tracking_uri(previous)
    assert info.run_id == job.name and "sklearn" in info.flavors
