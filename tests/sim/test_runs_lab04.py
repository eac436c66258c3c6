"""Lab 04 (Run Experiments) written the way a learner writes it: the same SDK calls, in the same order."""

from __future__ import annotations

import os
import shutil

import pytest

import sim
from tests.sim._runs_helpers import ENV_YML, module_home, new_workspace


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    """One DP100_HOME and working folder for the whole lab (overrides the per-test one)."""
    with module_home(tmp_path_factory, "lab04") as (home, _work):
        yield home


@pytest.fixture(scope="module")
def ws(dp100_home):
    sim.activate()
    new_workspace("lab04-ws")
    from azureml.core import Workspace

    return Workspace.from_config()


@pytest.fixture(scope="module")
def inline_run(ws):
    """The notebook's first experiment: an interactive run logging from the notebook itself."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd
    from azureml.core import Experiment

    experiment = Experiment(workspace=ws, name="mslearn-diabetes")
    run = experiment.start_logging()
    data = pd.read_csv("data/diabetes.csv")
    run.log("observations", len(data))
    fig = plt.figure(figsize=(6, 6))
    data["Diabetic"].value_counts().plot.bar(ax=fig.gca())
    run.log_image(name="label distribution", plot=fig)
    plt.close(fig)
    run.log_list("pregnancy categories", data.Pregnancies.unique())
    stats = data[["PlasmaGlucose", "BMI"]].describe().to_dict()
    for col in stats:
        for key, value in stats[col].items():
            run.log_row(col, stat=key, value=value)
    data.sample(100).to_csv("sample.csv", index=False, header=True)
    run.upload_file(name="outputs/sample.csv", path_or_stream="./sample.csv")
    run.complete()
    return run, data


def test_inline_run_metrics_have_the_sdk_shapes(inline_run):
    run, data = inline_run
    metrics = run.get_metrics()
    assert metrics["observations"] == len(data)
    assert sorted(metrics["pregnancy categories"]) == sorted(int(v) for v in data.Pregnancies.unique())
    assert metrics["PlasmaGlucose"]["stat"] == ["count", "mean", "std", "min", "25%", "50%", "75%", "max"]
    assert metrics["PlasmaGlucose"]["value"][1] == pytest.approx(data.PlasmaGlucose.mean())
    assert metrics["label distribution"].startswith(f"aml://artifactId/ExperimentRun/dcid.{run.id}/")
    assert run.get_status() == "Completed"


def test_inline_run_files_widget_and_download(inline_run, capsys):
    from azureml.widgets import RunDetails

    run, _ = inline_run
    RunDetails(run).show()
    shown = capsys.readouterr().out
    assert "Completed" in shown and "observations" in shown and "outputs/sample.csv" in shown
    names = run.get_file_names()
    assert "outputs/sample.csv" in names
    assert any(n.startswith("label distribution_") and n.endswith(".png") for n in names)
    run.download_files(prefix="outputs", output_directory="downloaded-files")
    assert os.path.getsize("downloaded-files/outputs/sample.csv") > 0
    details = run.get_details_with_logs()
    assert details["runId"] == run.id and details["status"] == "Completed"


@pytest.fixture(scope="module")
def script_run(ws, inline_run):
    """The notebook's second experiment: the same analysis as a script submitted to the workspace."""
    from azureml.core import Environment, Experiment, ScriptRunConfig

    os.makedirs("diabetes-experiment-files", exist_ok=True)
    shutil.copy("data/diabetes.csv", "diabetes-experiment-files/diabetes.csv")
    with open("diabetes-experiment-files/diabetes_experiment.py", "w") as handle:
        handle.write(
            "from azureml.core import Run\nimport pandas as pd\nimport os\n"
            "run = Run.get_context()\n"
            "data = pd.read_csv('diabetes.csv')\n"
            "run.log('observations', len(data))\n"
            "print('Analyzing {} rows of data'.format(len(data)))\n"
            "for k, v in data['Diabetic'].value_counts().items():\n"
            "    run.log('Label:' + str(k), v)\n"
            "os.makedirs('outputs', exist_ok=True)\n"
            "data.sample(100).to_csv('outputs/sample.csv', index=False, header=True)\n"
            "run.complete()\n")
    with open("environment.yml", "w") as handle:
        handle.write(ENV_YML)
    env = Environment.from_conda_specification("experiment_env", "environment.yml")
    config = ScriptRunConfig(source_directory="./diabetes-experiment-files", script="diabetes_experiment.py",
                             environment=env)
    experiment = Experiment(workspace=ws, name="mslearn-diabetes")
    run = experiment.submit(config=config)
    assert run.get_status() in ("Starting", "Preparing", "Queued", "Running", "Finalizing", "Completed")
    run.wait_for_completion()
    return run


def test_script_run_logs_metrics_and_collects_outputs(script_run):
    import pandas as pd

    data = pd.read_csv("data/diabetes.csv")
    metrics = script_run.get_metrics()
    assert script_run.get_status() == "Completed"
    assert metrics["observations"] == len(data)
    assert metrics["Label:1"] == int(data.Diabetic.sum())
    assert {"outputs/sample.csv", "azureml-logs/70_driver_log.txt"} <= set(script_run.get_file_names())
    logs = script_run.get_details_with_logs()["logFiles"]
    assert f"Analyzing {len(data)} rows of data" in logs["azureml-logs/70_driver_log.txt"]


def test_get_all_logs_downloads_the_driver_log(script_run):
    paths = script_run.get_all_logs(destination="downloaded-logs")
    assert any(p.endswith("70_driver_log.txt") for p in paths)
    assert os.path.isfile("downloaded-logs/azureml-logs/70_driver_log.txt")


def test_experiment_lists_both_runs_newest_first(ws, inline_run, script_run):
    experiment = ws.experiments["mslearn-diabetes"]
    runs = list(experiment.get_runs())
    assert [r.id for r in runs][:2] == [script_run.id, inline_run[0].id]
    assert [r.number for r in runs] == [2, 1]
    assert runs[0].get_metrics()["observations"] == 300


def test_mlflow_in_the_notebook_lands_in_the_workspace(ws):
    import mlflow
    import pandas as pd
    from azureml.core import Experiment

    mlflow.set_tracking_uri(ws.get_mlflow_tracking_uri())
    experiment = Experiment(workspace=ws, name="mslearn-diabetes-mlflow")
    mlflow.set_experiment(experiment.name)
    with mlflow.start_run():
        mlflow.log_metric("observations", len(pd.read_csv("data/diabetes.csv")))
    run = list(experiment.get_runs())[0]
    assert run.get_metrics() == {"observations": 300}
    assert run.get_status() == "Completed"
    assert experiment.get_portal_url().endswith(f"/workspaces/{ws.name}")
    assert f"/experiments/id/{experiment.id}?" in experiment.get_portal_url()


def test_mlflow_in_a_submitted_script_lands_in_the_run(ws):
    from azureml.core import Environment, Experiment, ScriptRunConfig

    os.makedirs("mlflow-experiment-files", exist_ok=True)
    shutil.copy("data/diabetes.csv", "mlflow-experiment-files/diabetes.csv")
    with open("mlflow-experiment-files/mlflow_diabetes.py", "w") as handle:
        handle.write("import mlflow\nimport pandas as pd\n"
                     "with mlflow.start_run():\n"
                     "    mlflow.log_metric('observations', len(pd.read_csv('diabetes.csv')))\n")
    env = Environment.from_conda_specification("experiment_env", "environment.yml")
    config = ScriptRunConfig(source_directory="mlflow-experiment-files", script="mlflow_diabetes.py",
                             environment=env)
    experiment = Experiment(workspace=ws, name="mslearn-diabetes-mlflow")
    run = experiment.submit(config=config)
    run.wait_for_completion()
    assert run.get_metrics() == {"observations": 300}
    assert len(list(experiment.get_runs())) == 2
