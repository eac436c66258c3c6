"""Lab 05 (Train Models) as a learner writes it: a training script, then with a parameter, then register."""

from __future__ import annotations

import os
import shutil

import pytest

import sim
from tests.sim._runs_helpers import ENV_YML, module_home, new_workspace

TRAINING_SCRIPT = """\
from azureml.core import Run
import pandas as pd
import numpy as np
import joblib
import os
import argparse
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

run = Run.get_context()
parser = argparse.ArgumentParser()
parser.add_argument('--reg_rate', type=float, dest='reg', default=0.01)
reg = parser.parse_args().reg
diabetes = pd.read_csv('diabetes.csv')
features = ['Pregnancies', 'PlasmaGlucose', 'DiastolicBloodPressure', 'TricepsThickness', 'SerumInsulin',
            'BMI', 'DiabetesPedigree', 'Age']
X, y = diabetes[features].values, diabetes['Diabetic'].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.30, random_state=0)
print('Training a logistic regression model with regularization rate of', reg)
run.log('Regularization Rate', float(reg))
model = LogisticRegression(C=1 / reg, solver='liblinear').fit(X_train, y_train)
acc = np.average(model.predict(X_test) == y_test)
print('Accuracy:', acc)
run.log('Accuracy', float(acc))
auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
print('AUC: ' + str(auc))
run.log('AUC', float(auc))
os.makedirs('outputs', exist_ok=True)
joblib.dump(value=model, filename='outputs/diabetes_model.pkl')
run.complete()
"""


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    """One DP100_HOME and working folder for the whole lab (overrides the per-test one)."""
    with module_home(tmp_path_factory, "lab05") as (home, _work):
        yield home


@pytest.fixture(scope="module")
def ws(dp100_home):
    sim.activate()
    new_workspace("lab05-ws")
    from azureml.core import Workspace

    return Workspace.from_config()


def _training_folder(name: str) -> str:
    os.makedirs(name, exist_ok=True)
    shutil.copy("data/diabetes.csv", os.path.join(name, "diabetes.csv"))
    with open(os.path.join(name, "diabetes_training.py"), "w") as handle:
        handle.write(TRAINING_SCRIPT)
    with open("environment.yml", "w") as handle:
        handle.write(ENV_YML)
    return name


def _expected_scores(reg: float):
    """What the script must report, computed here from the same data the script read."""
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    data = pd.read_csv("data/diabetes.csv")
    X, y = data.drop(columns=["PatientID", "Diabetic"]).values, data["Diabetic"].values
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.30, random_state=0)
    model = LogisticRegression(C=1 / reg, solver="liblinear").fit(X_train, y_train)
    return np.average(model.predict(X_test) == y_test), roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])


@pytest.fixture(scope="module")
def first_run(ws):
    from azureml.core import Environment, Experiment, ScriptRunConfig
    from azureml.widgets import RunDetails

    folder = _training_folder("diabetes-training")
    env = Environment.from_conda_specification("experiment_env", "environment.yml")
    script_config = ScriptRunConfig(source_directory=folder, script="diabetes_training.py", environment=env)
    experiment = Experiment(workspace=ws, name="mslearn-train-diabetes")
    run = experiment.submit(config=script_config)
    RunDetails(run).show()
    run.wait_for_completion()
    return run


def test_training_run_reports_the_real_scores(first_run):
    accuracy, auc = _expected_scores(0.01)
    metrics = first_run.get_metrics()
    assert metrics["Regularization Rate"] == 0.01
    assert metrics["Accuracy"] == pytest.approx(accuracy)
    assert metrics["AUC"] == pytest.approx(auc)
    assert "outputs/diabetes_model.pkl" in first_run.get_file_names()


def test_register_model_from_the_run(ws, first_run):
    from azureml.core import Model

    first_run.register_model(model_path="outputs/diabetes_model.pkl", model_name="diabetes_model",
                             tags={"Training context": "Script"},
                             properties={"AUC": first_run.get_metrics()["AUC"],
                                         "Accuracy": first_run.get_metrics()["Accuracy"]})
    models = {m.name: m for m in Model.list(ws)}
    assert models["diabetes_model"].tags == {"Training context": "Script"}
    assert float(models["diabetes_model"].properties["AUC"]) == pytest.approx(first_run.get_metrics()["AUC"])


def test_numeric_script_argument_reaches_the_script(ws, first_run):
    from azureml.core import Environment, Experiment, ScriptRunConfig

    folder = _training_folder("diabetes-training-params")
    env = Environment.from_conda_specification("experiment_env", "environment.yml")
    script_config = ScriptRunConfig(source_directory=folder, script="diabetes_training.py",
                                    arguments=["--reg_rate", 0.1], environment=env)
    experiment = Experiment(workspace=ws, name="mslearn-train-diabetes")
    run = experiment.submit(config=script_config)
    run.wait_for_completion(show_output=True)
    accuracy, _ = _expected_scores(0.1)
    assert run.get_metrics()["Regularization Rate"] == 0.1
    assert run.get_metrics()["Accuracy"] == pytest.approx(accuracy)
    assert run.get_details()["runDefinition"]["arguments"] == ["--reg_rate", "0.1"]
    run.register_model(model_path="outputs/diabetes_model.pkl", model_name="diabetes_model",
                       tags={"Training context": "Parameterized script"})
    from azureml.core import Model

    assert sorted(m.version for m in Model.list(ws) if m.name == "diabetes_model") == [1, 2]
