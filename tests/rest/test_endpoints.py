"""Managed online endpoints and deployments through the real azure-ai-ml: MLflow and scoring-script deployments
answering on 127.0.0.1 behind the endpoint's Azure-shaped address, traffic, keys, logs, deletes, errors."""

from __future__ import annotations

import json
import os

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

ENDPOINT = "ep-diabetes"
SCRIPT = """
import json, os

def init():
    print("init of", os.environ["SERVICE_NAME"], "in", os.getcwd())
    if os.environ.get("BREAK_INIT"):
        raise ValueError("broken model path")

def run(raw_data):
    return {"deployment": os.environ["SERVICE_NAME"], "rows": len(json.loads(raw_data)["data"])}
"""


@pytest.fixture(autouse=True)
def no_orphan_servers(workspace):
    """Whatever a test leaves running is stopped (a failing test must not leave scoring servers behind)."""
    yield
    from sim.cloud import endpoints

    if workspace.folder.exists():  # a test that deleted the workspace stopped its servers with it
        endpoints.stop_all(workspace)


@pytest.fixture
def endpoint(ml_client):
    """A key-authenticated managed online endpoint, as lab 11 makes it."""
    from azure.ai.ml.entities import ManagedOnlineEndpoint

    ml_client.begin_create_or_update(ManagedOnlineEndpoint(name=ENDPOINT, description="diabetes", auth_mode="key")
                                     ).result()
    return ENDPOINT


@pytest.fixture
def code(tmp_path):
    """A scoring-script folder: init() prints (or raises when BREAK_INIT is set), run() says who answered."""
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "score.py").write_text(SCRIPT)
    return folder


@pytest.fixture
def request_file(tmp_path):
    """A request body in the shape lab 11 sends (pandas split orient under input_data), integers included."""
    path = tmp_path / "sample-data.json"
    path.write_text(json.dumps({"input_data": {"columns": ["f1", "f2"], "index": [1], "data": [[0, 1]]},
                                "data": [[0, 1]]}))
    return path


@pytest.fixture
def mlflow_model(tmp_path):
    """An MLflow model folder whose signature wants two double columns (f1, f2)."""
    import mlflow.sklearn
    import pandas as pd
    from mlflow.models import infer_signature
    from sklearn.linear_model import LogisticRegression

    features = pd.DataFrame({"f1": [0.0, 1.0, 0.1, 0.9], "f2": [1.0, 0.0, 0.8, 0.2]})
    model = LogisticRegression().fit(features.values, [0, 1, 0, 1])
    folder = tmp_path / "model"
    mlflow.sklearn.save_model(model, str(folder), signature=infer_signature(features, model.predict(features.values)),
                              pip_requirements=["scikit-learn"])
    return folder


def _script_deployment(name, code, **kwargs):
    from azure.ai.ml.entities import CodeConfiguration, ManagedOnlineDeployment

    return ManagedOnlineDeployment(
        name=name, endpoint_name=ENDPOINT, instance_type="Standard_DS3_v2", instance_count=1,
        code_configuration=CodeConfiguration(code=str(code), scoring_script="score.py"),
        environment="azureml:AzureML-sklearn-1.5@latest", **kwargs)


def _set_traffic(ml_client, traffic):
    found = ml_client.online_endpoints.get(ENDPOINT)
    found.traffic = traffic
    return ml_client.begin_create_or_update(found).result()


def _server_pid(workspace, deployment):
    from sim.cloud.endpoints import deployments

    return deployments.get(workspace, ENDPOINT, deployment).pid


def _score(ml_client, endpoint, body: bytes, headers=None, key=None):
    """POST to the endpoint's scoring address as any HTTP client would: (status, headers, body)."""
    from sim.client.transport import call_service

    key = key or ml_client.online_endpoints.get_keys(endpoint).primary_key
    uri = ml_client.online_endpoints.get(endpoint).scoring_uri
    return call_service("POST", uri, {"Content-Type": "application/json", "Authorization": f"Bearer {key}",
                                      **(headers or {})}, body)


def _alive(pid) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not open(f"/proc/{pid}/stat").read().rsplit(")", 1)[-1].split()[0] == "Z"


def test_an_endpoint_is_created_listed_got_and_deleted(ml_client, endpoint):
    got = ml_client.online_endpoints.get(endpoint)
    assert (got.auth_mode, got.provisioning_state, got.traffic) == ("key", "Succeeded", {})
    assert got.scoring_uri == f"https://{endpoint}.eastus.inference.ml.azure.com/score"
    assert [e.name for e in ml_client.online_endpoints.list()] == [endpoint]
    ml_client.online_endpoints.begin_delete(name=endpoint).result()
    with pytest.raises(ResourceNotFoundError):
        ml_client.online_endpoints.get(endpoint)


def test_a_missing_endpoint_or_deployment_is_resource_not_found(ml_client, endpoint):
    with pytest.raises(ResourceNotFoundError, match="nope"):
        ml_client.online_endpoints.get("nope")
    with pytest.raises(ResourceNotFoundError, match="'blue' was not found"):
        ml_client.online_deployments.get("blue", endpoint)


def test_keys_are_listed_and_one_is_regenerated(ml_client, endpoint):
    before = ml_client.online_endpoints.get_keys(endpoint)
    assert before.primary_key and before.secondary_key and before.primary_key != before.secondary_key
    ml_client.online_endpoints.begin_regenerate_keys(endpoint, key_type="primary").result()
    after = ml_client.online_endpoints.get_keys(endpoint)
    assert (after.primary_key != before.primary_key, after.secondary_key) == (True, before.secondary_key)


def test_traffic_to_a_deployment_that_does_not_exist_is_a_400(ml_client, endpoint):
    with pytest.raises(HttpResponseError, match="names deployment 'green'") as caught:
        _set_traffic(ml_client, {"green": 100})
    assert caught.value.status_code == 400


def test_an_mlflow_model_deployment_answers_lab_11s_request(ml_client, endpoint, mlflow_model, request_file):
    """No scoring script, no environment: the server casts the integers to the signature's doubles."""
    from azure.ai.ml.constants import AssetTypes
    from azure.ai.ml.entities import ManagedOnlineDeployment, Model

    blue = ManagedOnlineDeployment(name="blue", endpoint_name=endpoint, instance_type="Standard_D2as_v4",
                                   instance_count=1, model=Model(path=str(mlflow_model), type=AssetTypes.MLFLOW_MODEL))
    deployed = ml_client.online_deployments.begin_create_or_update(blue).result()
    assert deployed.provisioning_state == "Succeeded"
    answer = ml_client.online_endpoints.invoke(endpoint_name=endpoint, deployment_name="blue",
                                               request_file=str(request_file))
    assert answer == "[0]"
    _set_traffic(ml_client, {"blue": 100})
    assert ml_client.online_endpoints.get(endpoint).traffic == {"blue": 100}
    assert ml_client.online_endpoints.invoke(endpoint_name=endpoint, request_file=str(request_file)) == "[0]"
    assert "Listening at" in ml_client.online_deployments.get_logs("blue", endpoint, lines=50)


def test_plain_requests_reach_the_scoring_uri(ml_client, endpoint, mlflow_model, request_file):
    """Many examples post with `requests`, not the SDK: the Azure-shaped scoring URI answers them too."""
    import requests
    from azure.ai.ml.constants import AssetTypes
    from azure.ai.ml.entities import ManagedOnlineDeployment, Model

    blue = ManagedOnlineDeployment(name="blue", endpoint_name=endpoint, instance_type="Standard_D2as_v4",
                                   instance_count=1, model=Model(path=str(mlflow_model), type=AssetTypes.MLFLOW_MODEL))
    ml_client.online_deployments.begin_create_or_update(blue).result()
    _set_traffic(ml_client, {"blue": 100})
    got = ml_client.online_endpoints.get(endpoint)
    key = ml_client.online_endpoints.get_keys(endpoint).primary_key
    answer = requests.post(got.scoring_uri, data=request_file.read_bytes(), timeout=30,
                           headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    assert (answer.status_code, answer.json()) == (200, [0])
    refused = requests.post(got.scoring_uri, data=request_file.read_bytes(), timeout=30,
                            headers={"Content-Type": "application/json", "Authorization": "Bearer wrong"})
    assert refused.status_code == 401


def test_blue_green_traffic_split_and_the_deployment_header(ml_client, endpoint, code, request_file):
    for name in ("blue", "green"):
        ml_client.online_deployments.begin_create_or_update(_script_deployment(name, code)).result()
    assert _set_traffic(ml_client, {"blue": 90, "green": 10}).traffic == {"blue": 90, "green": 10}
    for _ in range(3):
        answer = ml_client.online_endpoints.invoke(endpoint_name=endpoint, deployment_name="green",
                                                   request_file=str(request_file))
        assert json.loads(answer) == {"deployment": "green", "rows": 1}
    _set_traffic(ml_client, {"blue": 50, "green": 50})
    # Not through invoke: azure-ai-ml keeps the last deployment_name in a shared header dict, so every later
    # invoke in the process carries that deployment's header (in Azure too).
    seen = {json.loads(_score(ml_client, endpoint, request_file.read_bytes())[2])["deployment"] for _ in range(30)}
    assert seen == {"blue", "green"}
    assert sorted(d.name for d in ml_client.online_deployments.list(endpoint)) == ["blue", "green"]


def test_a_failing_init_fails_the_deployment_and_its_log_says_why(ml_client, endpoint, code):
    broken = _script_deployment("blue", code, environment_variables={"BREAK_INIT": "1"})
    with pytest.raises(HttpResponseError, match="get_logs"):
        ml_client.online_deployments.begin_create_or_update(broken).result()
    assert ml_client.online_deployments.get("blue", endpoint).provisioning_state == "Failed"
    assert "ValueError: broken model path" in ml_client.online_deployments.get_logs("blue", endpoint, lines=100)


def test_deleting_the_endpoint_stops_its_scoring_servers(ml_client, workspace, endpoint, code):
    ml_client.online_deployments.begin_create_or_update(_script_deployment("blue", code)).result()
    pid = _server_pid(workspace, "blue")
    assert _alive(pid)
    ml_client.online_endpoints.begin_delete(name=endpoint).result()
    assert not _alive(pid)


def test_deleting_the_workspace_stops_its_endpoints_scoring_servers(ml_client, workspace, endpoint, code):
    from sim.cloud import workspaces

    ml_client.online_deployments.begin_create_or_update(_script_deployment("blue", code)).result()
    pid = _server_pid(workspace, "blue")
    workspaces.delete(workspace)
    assert not _alive(pid)


def test_a_deployment_with_traffic_cannot_be_deleted(ml_client, workspace, endpoint, code):
    ml_client.online_deployments.begin_create_or_update(_script_deployment("blue", code)).result()
    pid = _server_pid(workspace, "blue")
    _set_traffic(ml_client, {"blue": 100})
    with pytest.raises(HttpResponseError, match="100% of endpoint"):
        ml_client.online_deployments.begin_delete("blue", endpoint).result()
    _set_traffic(ml_client, {"blue": 0})
    ml_client.online_deployments.begin_delete("blue", endpoint).result()
    assert not _alive(pid)
    assert list(ml_client.online_deployments.list(endpoint)) == []


def test_a_request_without_a_valid_key_is_401_and_one_without_traffic_404(ml_client, endpoint, code):
    ml_client.online_deployments.begin_create_or_update(_script_deployment("blue", code)).result()
    header = {"azureml-model-deployment": "blue"}
    assert _score(ml_client, endpoint, b'{"data": []}', header, key="wrong")[0] == 401
    key = ml_client.online_endpoints.get_keys(endpoint).secondary_key
    status, answer_headers, body = _score(ml_client, endpoint, b'{"data": []}', header, key=key)
    assert (status, dict(answer_headers)["azureml-model-deployment"], json.loads(body)["rows"]) == (200, "blue", 0)
    status, _, body = _score(ml_client, endpoint, b'{"data": []}')
    assert (status, b"no deployment with traffic" in body) == (404, True)


def test_a_model_error_is_azures_424(ml_client, endpoint, code):
    ml_client.online_deployments.begin_create_or_update(_script_deployment("blue", code)).result()
    status, headers, _ = _score(ml_client, endpoint, b'{"no data": 1}', {"azureml-model-deployment": "blue"})
    assert (status, dict(headers)["ms-azureml-model-error-statuscode"]) == (424, "500")


def test_a_custom_model_needs_a_scoring_script(ml_client, endpoint, tmp_path):
    from azure.ai.ml.entities import ManagedOnlineDeployment, Model

    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "model.pkl").write_bytes(b"weights")
    deployment = ManagedOnlineDeployment(name="blue", endpoint_name=endpoint, instance_type="Standard_DS3_v2",
                                         instance_count=1, model=Model(path=str(folder)))
    with pytest.raises(HttpResponseError, match="only an MLflow model") as caught:
        ml_client.online_deployments.begin_create_or_update(deployment).result()
    assert caught.value.status_code == 400
