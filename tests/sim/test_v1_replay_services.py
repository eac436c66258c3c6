"""SDK v1 web service behaviours that replaying more of Microsoft's v1 notebooks reached (issue 15)."""

from __future__ import annotations

import json

import pytest
import requests

from tests.sim._models_helpers import LabFolder, register_factor


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = LabFolder(tmp_path_factory, "replaysvc")
    folder.model = register_factor(folder.ws, 3.0)
    yield folder
    folder.close()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    return lab.home


def _deploy(lab, name, inference_config, models=None):
    from azureml.core import Model

    service = Model.deploy(lab.ws, name, models if models is not None else [lab.model], inference_config)
    service.wait_for_deployment()
    return service


# ---- item 6: source_directory keeps its own name under the working folder ------------------------------
EXTRADATA_SCRIPT = """import json, os
from helper import double

def init():
    global extra
    with open('./service_files/extradata.json') as handle:
        extra = json.load(handle)

def run(raw):
    return {'extra': extra['greeting'], 'doubled': double(json.loads(raw)['data']),
            'entry': os.environ['AZUREML_ENTRY_SCRIPT']}
"""


def test_source_directory_keeps_its_name_in_the_container(lab):
    from azureml.core.model import InferenceConfig

    lab.write("service_files/score.py", EXTRADATA_SCRIPT)
    lab.write("service_files/helper.py", "def double(values):\n    return [2 * v for v in values]\n")
    lab.write("service_files/extradata.json", json.dumps({"greeting": "hello"}))
    service = _deploy(lab, "layout-svc", InferenceConfig(entry_script="score.py", source_directory="service_files"))
    answer = service.run(json.dumps({"data": [1, 2]}))
    assert answer == {"extra": "hello", "doubled": [2, 4], "entry": "service_files/score.py"}
    service.delete()


def test_a_lone_entry_script_sits_in_the_working_folder(lab):
    from azureml.core.model import InferenceConfig

    lab.write("lone_score.py", "import os\n\ndef init():\n    pass\n\n"
                               "def run(raw):\n    return {'entry': os.environ['AZUREML_ENTRY_SCRIPT'], "
                               "'here': sorted(os.listdir('.'))}\n")
    service = _deploy(lab, "lone-svc", InferenceConfig(entry_script="lone_score.py"))
    assert service.run(json.dumps({"data": []})) == {"entry": "lone_score.py", "here": ["lone_score.py"]}
    assert requests.get(service.swagger_uri).status_code == 200
    service.delete()


# ---- item 5: run() decorated with inference-schema -----------------------------------------------------
SCHEMA_SCRIPT = """import numpy as np
from inference_schema.schema_decorators import input_schema, output_schema
from inference_schema.parameter_types.numpy_parameter_type import NumpyParameterType
from inference_schema.parameter_types.standard_py_parameter_type import StandardPythonParameterType

def init():
    global factor
    factor = 10.0

@input_schema('data', NumpyParameterType(np.array([[1.0, 2.0, 3.0]])))
@output_schema(StandardPythonParameterType([6.0]))
def run(data):
    assert isinstance(data, np.ndarray), type(data)
    return (data.sum(axis=1) * factor).tolist()
"""


def test_a_decorated_run_gets_parsed_keyword_arguments_and_its_swagger(lab):
    from azureml.core.model import InferenceConfig

    lab.write("schema_files/score.py", SCHEMA_SCRIPT)
    service = _deploy(lab, "schema-svc", InferenceConfig(entry_script="score.py", source_directory="schema_files"))
    assert service.run(json.dumps({"data": [[1, 2, 3], [0.5, 0.5, 0]]})) == [60.0, 10.0]
    assert "run() is decorated with @input_schema" in service.get_logs()
    document = requests.get(service.swagger_uri).json()
    assert document["definitions"]["ServiceInput"]["properties"]["data"]["format"] == "numpy.ndarray"
    assert document["definitions"]["ServiceInput"]["example"] == {"data": [[1.0, 2.0, 3.0]]}
    assert document["definitions"]["ServiceOutput"]["example"] == [6.0]
    score = document["paths"]["/score"]["post"]
    assert score["parameters"][0]["schema"] == {"$ref": "#/definitions/ServiceInput"}
    not_an_object = requests.post(service.scoring_uri, data=json.dumps([[1, 2, 3]]),
                                  headers={"Content-Type": "application/json"})
    assert not_an_object.status_code == 500 and "must be a JSON object" in not_an_object.json()["message"]
    service.delete()


# ---- item 12: register's deployment fields, no-code deployment, profile, get_active_runs ----------------
def _sklearn_model(lab, name):
    import joblib
    from azureml.core import Dataset, Model
    from azureml.core.resource_configuration import ResourceConfiguration
    from sklearn.linear_model import LogisticRegression

    rows = [[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]]
    joblib.dump(LogisticRegression().fit(rows, [0, 0, 1, 1]), lab.work / "sk-model.pkl")
    lab.write("sample.csv", "a,b\n0.0,1.0\n3.0,0.0\n")
    datastore = lab.ws.get_default_datastore()
    datastore.upload_files([str(lab.work / "sample.csv")], target_path="samples/", overwrite=True,
                           show_progress=False)
    sample = Dataset.Tabular.from_delimited_files(path=(datastore, "samples/sample.csv"))
    return Model.register(lab.ws, model_path="sk-model.pkl", model_name=name,
                          model_framework=Model.Framework.SCIKITLEARN, model_framework_version="1.5",
                          sample_input_dataset=sample,
                          resource_configuration=ResourceConfiguration(cpu=1, memory_in_gb=0.5))


def test_register_records_the_sample_dataset_and_resources(lab):
    from azureml.core import Model
    from azureml.core.resource_configuration import ResourceConfiguration

    registered = _sklearn_model(lab, "sk-recorded")
    again = Model(lab.ws, name="sk-recorded", version=registered.version)
    assert again.resource_configuration == ResourceConfiguration(cpu=1, memory_in_gb=0.5)
    assert again.sample_input_dataset.to_pandas_dataframe().shape == (2, 2)
    assert again.serialize()["resourceConfiguration"] == {"cpu": 1, "memoryInGB": 0.5, "gpu": None}
    assert again.serialize()["sampleInputDatasetId"] == again.sample_input_dataset.id


def test_no_code_deployment_serves_a_scikit_learn_model(lab):
    from azureml.core import Model

    model = _sklearn_model(lab, "sk-nocode")
    service = Model.deploy(lab.ws, "sk-nocode-svc", [model])
    service.wait_for_deployment()
    assert service.run(json.dumps({"data": [[0.0, 1.0], [3.0, 0.0]], "method": "predict"})) == [0, 1]
    probabilities = service.run(json.dumps({"data": [[3.0, 0.0]], "method": "predict_proba"}))
    assert len(probabilities[0]) == 2 and probabilities[0][1] > 0.5
    service.delete()


def test_no_code_deployment_of_other_frameworks_says_not_simulated(lab):
    from azureml.core import Model
    from azureml.exceptions import WebserviceException

    lab.write("model.onnx", "not really onnx")
    onnx = Model.register(lab.ws, model_path="model.onnx", model_name="onnx-model",
                          model_framework=Model.Framework.ONNX)
    with pytest.raises(WebserviceException, match="no-code deployment.*framework Onnx is not simulated"):
        Model.deploy(lab.ws, "onnx-svc", [onnx])
    assert "onnx-svc" not in lab.ws.webservices


def test_model_profile_needs_a_dataset_of_sample_requests(lab):
    from azureml.core import Model
    from azureml.core.model import InferenceConfig
    from azureml.exceptions import UserErrorException

    lab.write("profile_score.py", "def init():\n    pass\n\ndef run(raw):\n    return raw\n")
    with pytest.raises(UserErrorException, match="Dataset not provided"):
        Model.profile(lab.ws, "profile", [lab.model], InferenceConfig(entry_script="profile_score.py"), None)


def test_get_active_runs_yields_the_runs_not_finished(lab):
    from azureml.core import Experiment, Run

    active = Experiment(lab.ws, "active-runs").start_logging(outputs=False)
    done = Experiment(lab.ws, "active-runs").start_logging(outputs=False)
    done.complete()
    ids = [run.id for run in Run.get_active_runs(lab.ws)]
    assert active.id in ids and done.id not in ids
    active.complete()
    assert active.id not in [run.id for run in Run.get_active_runs(lab.ws)]
