"""Lab 05's model cells: a submitted training script writes outputs/, then the notebook registers the model
from the run and lists the workspace's models. Written as a learner would, in the same order."""

from __future__ import annotations

import pytest

from labs import data
from tests.sim._models_helpers import LabFolder

TRAINING = '''
import os
import joblib
import numpy as np
import pandas as pd
from azureml.core import Run
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

run = Run.get_context()
diabetes = pd.read_csv('diabetes.csv')
features = ['Pregnancies', 'PlasmaGlucose', 'DiastolicBloodPressure', 'TricepsThickness', 'SerumInsulin',
            'BMI', 'DiabetesPedigree', 'Age']
X, y = diabetes[features].values, diabetes['Diabetic'].values
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.30, random_state=0)
model = LogisticRegression(C=100, solver="liblinear").fit(X_train, y_train)
run.log('Accuracy', float(np.average(model.predict(X_test) == y_test)))
run.log('AUC', float(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])))
os.makedirs('outputs', exist_ok=True)
joblib.dump(value=model, filename='outputs/diabetes_model.pkl')
run.complete()
'''


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = LabFolder(tmp_path_factory, "lab05")
    yield folder
    folder.close()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    return lab.home


def test_register_from_a_submitted_run_and_list(lab, capsys):
    from azureml.core import Environment, Experiment, Model, ScriptRunConfig

    data.write_csv("diabetes-training")
    lab.write("diabetes-training/diabetes_training.py", TRAINING)
    env = Environment("experiment_env")
    config = ScriptRunConfig(source_directory="diabetes-training", script="diabetes_training.py", environment=env)
    run = Experiment(workspace=lab.ws, name="mslearn-train-diabetes").submit(config=config)
    run.wait_for_completion()
    assert "outputs/diabetes_model.pkl" in run.get_file_names()
    run.register_model(model_path="outputs/diabetes_model.pkl", model_name="diabetes_model",
                       tags={"Training context": "Script"},
                       properties={"AUC": run.get_metrics()["AUC"], "Accuracy": run.get_metrics()["Accuracy"]})
    for model in Model.list(lab.ws):
        print(model.name, "version:", model.version)
        for prop_name in model.properties:
            print("\t", prop_name, ":", model.properties[prop_name])
    out = capsys.readouterr().out
    assert "diabetes_model version: 1" in out
    assert f"AUC : {run.get_metrics()['AUC']}" in out
    model = Model(lab.ws, "diabetes_model")
    assert model.run_id == run.id and model.run.id == run.id
    import joblib

    loaded = joblib.load(Model.get_model_path("diabetes_model", _workspace=lab.ws))
    assert loaded.predict(data.frame()[data.FEATURES].values[:5]).shape == (5,)


SCRIPT_USING_MODELS = '''
from azureml.core import Model, Run

run = Run.get_context()
path = Model.get_model_path('diabetes_model')
print('model downloaded to', path)
with open('copied.pkl', 'wb') as out, open(path, 'rb') as src:
    out.write(src.read())
Model.register(workspace=run.experiment.workspace, model_path='copied.pkl', model_name='diabetes_model',
               tags={'Training context': 'Pipeline'}, properties={'source': 'script'})
run.complete()
'''


def test_scripts_get_and_register_models_through_the_run_workspace(lab):
    from azureml.core import Experiment, Model, ScriptRunConfig

    lab.write("uses-models/step.py", SCRIPT_USING_MODELS)
    config = ScriptRunConfig(source_directory="uses-models", script="step.py")
    run = Experiment(workspace=lab.ws, name="model-steps").submit(config=config)
    run.wait_for_completion()
    assert run.get_status() == "Completed"
    latest = Model(lab.ws, "diabetes_model")
    assert latest.version == 2 and latest.tags == {"Training context": "Pipeline"}
    original = Model(lab.ws, "diabetes_model", version=1)
    assert latest._version_record.path.read_bytes() == original._version_record.path.read_bytes()
