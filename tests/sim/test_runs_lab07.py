"""Lab 07 (Work with Compute) as a learner writes it: dataset inputs, environments, a compute cluster."""

from __future__ import annotations

import os

import pytest

import sim
from tests.sim._runs_helpers import module_home, new_workspace

SCRIPT = """\
import argparse
from azureml.core import Run
import pandas as pd
import numpy as np
import joblib
import os
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.metrics import roc_auc_score, roc_curve
import matplotlib.pyplot as plt

parser = argparse.ArgumentParser()
parser.add_argument('--regularization', type=float, dest='reg_rate', default=0.01)
parser.add_argument('--input-data', type=str, dest='training_dataset_id')
args = parser.parse_args()
run = Run.get_context()
diabetes = run.input_datasets['training_data'].to_pandas_dataframe()
print('input argument:', args.training_dataset_id)
run.log('rows', len(diabetes))
run.log('Regularization Rate', args.reg_rate)
X = diabetes[['Pregnancies', 'PlasmaGlucose', 'DiastolicBloodPressure', 'TricepsThickness', 'SerumInsulin',
              'BMI', 'DiabetesPedigree', 'Age']].values
y = diabetes['Diabetic'].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.30, random_state=0)
model = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
y_scores = model.predict_proba(X_test)
run.log('AUC', float(roc_auc_score(y_test, y_scores[:, 1])))
fpr, tpr, _ = roc_curve(y_test, y_scores[:, 1])
fig = plt.figure(figsize=(6, 4))
plt.plot([0, 1], [0, 1], 'k--')
plt.plot(fpr, tpr)
run.log_image(name='ROC', plot=fig)
os.makedirs('outputs', exist_ok=True)
joblib.dump(value=model, filename='outputs/diabetes_model.pkl')
run.complete()
"""

ENV_YML = """name: experiment_env
dependencies:
- python=3.6.2
- scikit-learn
- ipykernel
- matplotlib
- pandas
- pip
- pip:
  - azureml-defaults
  - pyarrow
"""


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    """One DP100_HOME and working folder for the whole lab (overrides the per-test one)."""
    with module_home(tmp_path_factory, "lab07") as (home, _work):
        yield home


@pytest.fixture(scope="module")
def ws(dp100_home):
    sim.activate()
    new_workspace("lab07-ws")
    from azureml.core import Dataset, Workspace

    ws = Workspace.from_config()
    default_ds = ws.get_default_datastore()
    default_ds.upload_files(files=["./data/diabetes.csv", "./data/diabetes2.csv"], target_path="diabetes-data/",
                            overwrite=True, show_progress=True)
    tab = Dataset.Tabular.from_delimited_files(path=(default_ds, "diabetes-data/*.csv"))
    tab.register(workspace=ws, name="diabetes dataset", description="diabetes data", tags={"format": "CSV"},
                 create_new_version=True)
    os.makedirs("diabetes_training_logistic", exist_ok=True)
    with open("diabetes_training_logistic/diabetes_training.py", "w") as handle:
        handle.write(SCRIPT)
    with open("diabetes_training_logistic/experiment_env.yml", "w") as handle:
        handle.write(ENV_YML)
    return ws


@pytest.fixture(scope="module")
def experiment_env(ws):
    from azureml.core import Environment

    env = Environment.from_conda_specification("experiment_env", "diabetes_training_logistic/experiment_env.yml")
    env.python.user_managed_dependencies = False
    return env


def test_environment_definition_prints_its_packages(experiment_env):
    text = experiment_env.python.conda_dependencies.serialize_to_string()
    assert "scikit-learn" in text and "pyarrow" in text and "python=3.6.2" in text
    assert experiment_env.name == "experiment_env"


@pytest.fixture(scope="module")
def dataset_run(ws, experiment_env):
    from azureml.core import Experiment, ScriptRunConfig
    from azureml.core.runconfig import DockerConfiguration
    from azureml.widgets import RunDetails

    diabetes_ds = ws.datasets.get("diabetes dataset")
    script_config = ScriptRunConfig(source_directory="diabetes_training_logistic", script="diabetes_training.py",
                                    arguments=["--regularization", 0.1,
                                               "--input-data", diabetes_ds.as_named_input("training_data")],
                                    environment=experiment_env,
                                    docker_runtime_config=DockerConfiguration(use_docker=True))
    run = Experiment(workspace=ws, name="mslearn-train-diabetes").submit(config=script_config)
    RunDetails(run).show()
    run.wait_for_completion()
    return run


def test_named_dataset_input_is_read_in_the_script(dataset_run):
    metrics = dataset_run.get_metrics()
    assert metrics["rows"] == 450
    assert metrics["Regularization Rate"] == 0.1
    assert 0.5 < metrics["AUC"] <= 1.0
    assert metrics["ROC"].startswith("aml://artifactId/")
    names = dataset_run.get_file_names()
    assert "outputs/diabetes_model.pkl" in names and any(n.startswith("ROC_") for n in names)
    details = dataset_run.get_details()
    assert details["runDefinition"]["environment"]["docker"] is not None
    assert details["runDefinition"]["environment"]["dockerRuntime"]["useDocker"] is True


def test_registered_environment_is_versioned_and_listed_with_curated_ones(ws, experiment_env):
    from azureml.core import Environment

    registered = experiment_env.register(workspace=ws)
    assert registered.version == "1"
    assert experiment_env.register(workspace=ws).version == "1"  # same definition: same version
    experiment_env.python.conda_dependencies.add_pip_package("joblib")
    assert experiment_env.register(workspace=ws).version == "2"
    again = Environment.get(ws, "experiment_env")
    assert again.version == "2" and "joblib" in again.python.conda_dependencies.pip_packages
    assert Environment.get(ws, "experiment_env", version="1").version == "1"
    envs = Environment.list(workspace=ws)
    assert "experiment_env" in envs and "AzureML-Minimal" in envs and "AzureML-Tutorial" in envs
    curated = [name for name in envs if name.startswith("AzureML")]
    for name in curated:
        assert "python=" in envs[name].python.conda_dependencies.serialize_to_string()


def test_run_on_a_cluster_named_by_string(ws):
    from azureml.core import Environment, Experiment, ScriptRunConfig
    from azureml.core.compute import AmlCompute, ComputeTarget
    from azureml.core.compute_target import ComputeTargetException

    cluster_name = "diabetes-cluster"  # the notebook asks learners to pick a name
    try:
        training_cluster = ComputeTarget(workspace=ws, name=cluster_name)
    except ComputeTargetException:
        compute_config = AmlCompute.provisioning_configuration(vm_size="STANDARD_DS11_V2", max_nodes=2)
        training_cluster = ComputeTarget.create(ws, cluster_name, compute_config)
        training_cluster.wait_for_completion(show_output=True)
    registered_env = Environment.get(ws, "experiment_env")
    diabetes_ds = ws.datasets.get("diabetes dataset")
    script_config = ScriptRunConfig(source_directory="diabetes_training_logistic", script="diabetes_training.py",
                                    arguments=["--input-data", diabetes_ds.as_named_input("training_data")],
                                    environment=registered_env, compute_target=cluster_name)
    run = Experiment(workspace=ws, name="mslearn-train-diabetes").submit(config=script_config)
    cluster_state = training_cluster.get_status()
    assert cluster_state.allocation_state is not None
    run.wait_for_completion()
    assert run.get_status() == "Completed"
    assert run.get_details()["target"] == cluster_name
    assert run.get_metrics()["Regularization Rate"] == 0.01
    run.register_model(model_path="outputs/diabetes_model.pkl", model_name="diabetes_model",
                       tags={"Training context": "Compute cluster"},
                       properties={"AUC": run.get_metrics()["AUC"]})
