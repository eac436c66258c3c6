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
