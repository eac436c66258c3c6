"""Lab 09 (real-time inferencing service), written the way a learner writes it: same calls, same order.

Train inline, register, list, deploy to ACI, read the logs, call the service with the SDK and with
requests, then delete it. The predictions must be the trained model's own.
"""

from __future__ import annotations

import json

import joblib
import numpy as np
import pandas as pd
import pytest
import requests

from labs import data
from tests.sim._models_helpers import LabFolder, pid_alive

SCORE_SCRIPT = '''
import json
import joblib
import numpy as np
from azureml.core.model import Model


def init():
    global model
    model = joblib.load(Model.get_model_path('diabetes_model'))


def run(raw_data):
    rows = np.array(json.loads(raw_data)['data'])
    names = ['not-diabetic', 'diabetic']
    return json.dumps([names[p] for p in model.predict(rows)])
'''
ENV_FILE = "name: inference_env\ndependencies:\n- python=3.6.2\n- scikit-learn\n- pip\n- pip:\n  - azureml-defaults\n"
PATIENTS = [[2, 180, 74, 24, 21, 23.9091702, 1.488172308, 22], [0, 148, 58, 11, 179, 39.19207553, 0.160829008, 45]]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = LabFolder(tmp_path_factory, "lab09")
    data.write_csv("data")
    yield folder
    folder.close()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    """The lab's steps build on each other: one DP100_HOME for the module (overrides the per-test one)."""
    return lab.home


@pytest.fixture(scope="module")
def state():
    return {}


def test_train_and_register_inline(lab, state):
    from azureml.core import Experiment
    from sklearn.model_selection import train_test_split
    from sklearn.tree import DecisionTreeClassifier

    experiment = Experiment(workspace=lab.ws, name="mslearn-train-diabetes")
    run = experiment.start_logging()
    diabetes = pd.read_csv("data/diabetes.csv")
    X, y = diabetes[data.FEATURES].values, diabetes[data.LABEL].values
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.30, random_state=0)
    model = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
    run.log("Accuracy", float(np.average(model.predict(X_test) == y_test)))
    joblib.dump(value=model, filename="diabetes_model.pkl")
    run.upload_file(name="outputs/diabetes_model.pkl", path_or_stream="./diabetes_model.pkl")
    run.complete()
    registered = run.register_model(model_path="outputs/diabetes_model.pkl", model_name="diabetes_model",
                                    tags={"Training context": "Inline Training"},
                                    properties={"Accuracy": run.get_metrics()["Accuracy"]})
    state["model"], state["run_id"] = model, run.id
    assert (registered.name, registered.version, registered.id) == ("diabetes_model", 1, "diabetes_model:1")
    assert registered.properties == {"Accuracy": str(run.get_metrics()["Accuracy"])}
    assert (registered.run_id, registered.experiment_name) == (run.id, "mslearn-train-diabetes")


def test_list_models_like_the_notebook(lab, capsys):
    from azureml.core import Model

    for model in Model.list(lab.ws):
        print(model.name, "version:", model.version)
        for tag_name in model.tags:
            print("\t", tag_name, ":", model.tags[tag_name])
    out = capsys.readouterr().out
    assert "diabetes_model version: 1" in out and "Training context : Inline Training" in out


def test_ws_models_gives_the_latest_version(lab, state):
    model = lab.ws.models["diabetes_model"]
    assert (model.name, model.version) == ("diabetes_model", 1)
    state["registered"] = model


def test_deploy_to_aci_becomes_healthy(lab, state, capsys):
    from azureml.core import Model
    from azureml.core.model import InferenceConfig
    from azureml.core.webservice import AciWebservice

    script_file = lab.write("diabetes_service/score_diabetes.py", SCORE_SCRIPT)
    env_file = lab.write("diabetes_service/diabetes_env.yml", ENV_FILE)
    with pytest.warns(DeprecationWarning):
        inference_config = InferenceConfig(runtime="python", entry_script="./diabetes_service/score_diabetes.py",
                                           conda_file="./diabetes_service/diabetes_env.yml")
    deployment_config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)
    service = Model.deploy(lab.ws, "diabetes-service", [state["registered"]], inference_config, deployment_config)
    assert service.state == "Transitioning"
    service.wait_for_deployment(True)
    out = capsys.readouterr().out
    assert service.state == "Healthy"
    assert "Running" in out and 'ACI service creation operation finished, operation "Succeeded"' in out
    assert script_file.exists() and env_file.exists()
    assert service.container_resource_requirements.cpu == 1 and service.scoring_uri.endswith("/score")
    state["service"] = service


def test_logs_show_the_init_call(state):
    logs = state["service"].get_logs()
    assert "Invoking user's init function" in logs and "init has completed successfully" in logs


def test_webservices_lists_the_service(lab):
    assert list(lab.ws.webservices) == ["diabetes-service"]


def test_service_run_predicts_like_the_trained_model(state):
    expected = ["diabetic" if p else "not-diabetic" for p in state["model"].predict(np.array(PATIENTS))]
    one = json.loads(state["service"].run(input_data=json.dumps({"data": PATIENTS[:1]})))
    two = json.loads(state["service"].run(input_data=json.dumps({"data": PATIENTS})))
    assert one == expected[:1] and two == expected


def test_plain_http_post_to_the_scoring_uri(state):
    response = requests.post(state["service"].scoring_uri, json.dumps({"data": PATIENTS}),
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert len(json.loads(response.json())) == 2


def test_delete_stops_the_server(lab, state):
    from azureml.core import Webservice
    from azureml.exceptions import WebserviceException

    service = state["service"]
    pid, uri = service._record.pid, service.scoring_uri
    service.delete()
    assert not pid_alive(pid)
    with pytest.raises(requests.ConnectionError):
        requests.post(uri, "{}", timeout=2)
    with pytest.raises(WebserviceException, match="WebserviceNotFound"):
        Webservice(lab.ws, "diabetes-service")
    assert lab.ws.webservices == {}
