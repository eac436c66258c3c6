"""Web services through the facade: auth keys, failing scripts, updates, local services, listing, errors."""

from __future__ import annotations

import json
import socket

import pytest
import requests

from tests.sim._models_helpers import SCALER_SCRIPT, LabFolder, pid_alive, register_factor


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = LabFolder(tmp_path_factory, "services")
    folder.write("scaler/score.py", SCALER_SCRIPT)
    folder.model = register_factor(folder.ws, 2.0)
    yield folder
    folder.close()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    return lab.home


def _config(entry="score.py", source="scaler", **kwargs):
    from azureml.core.model import InferenceConfig

    return InferenceConfig(entry_script=entry, source_directory=source, **kwargs)


def _deploy(lab, name, inference_config=None, deployment_config=None, overwrite=False, models=None):
    from azureml.core import Model

    return Model.deploy(lab.ws, name, models if models is not None else [lab.model],
                        inference_config or _config(), deployment_config, overwrite=overwrite)


def test_auth_enabled_service_needs_the_bearer_key(lab):
    from azureml.core.webservice import AciWebservice

    service = _deploy(lab, "auth-svc", deployment_config=AciWebservice.deploy_configuration(auth_enabled=True))
    service.wait_for_deployment()
    primary, secondary = service.get_keys()
    body = json.dumps({"data": [1, 2]})
    assert requests.post(service.scoring_uri, body).status_code == 401
    assert requests.post(service.scoring_uri, body, headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = requests.post(service.scoring_uri, body, headers={"Authorization": f"Bearer {secondary}"})
    assert ok.json()["scaled"] == [2.0, 4.0]
    assert service.run(body)["scaled"] == [2.0, 4.0]
    service.regen_key("Primary")
    assert requests.post(service.scoring_uri, body, headers={"Authorization": f"Bearer {primary}"}).status_code == 401
    assert service.run(body)["scaled"] == [2.0, 4.0]  # the SDK fetches the new key
    service.update(auth_enabled=False)
    assert requests.post(service.scoring_uri, body).status_code == 200
    service.delete()


def test_model_dir_and_get_model_path_inside_the_service(lab):
    service = _deploy(lab, "modeldir-svc")
    service.wait_for_deployment()
    answer = service.run(json.dumps({"data": [3]}))
    assert answer["model_dir"].endswith("azureml-models/factor/1")
    assert "init: factor is 2.0" in service.get_logs()
    assert service.swagger_uri and requests.get(service.swagger_uri).json()["swagger"] == "2.0"
    service.delete()


def test_init_failure_leaves_the_service_unhealthy_with_the_traceback(lab):
    from azureml.exceptions import WebserviceException

    lab.write("broken/score.py", "def init():\n    raise ValueError('model file is corrupt')\n\n"
                                 "def run(raw):\n    return raw\n")
    service = _deploy(lab, "broken-svc", _config(source="broken"))
    with pytest.raises(WebserviceException) as info:
        service.wait_for_deployment(show_output=True)
    message = info.value.message
    assert "non-successful terminal state, current service state: Unhealthy" in message
    assert "AciDeploymentFailed" in message and "CrashLoopBackOff" in message
    assert service.state == "Unhealthy"
    logs = service.get_logs()
    assert "Traceback" in logs and "ValueError: model file is corrupt" in logs
    assert not pid_alive(service._record.pid)
    with pytest.raises(WebserviceException, match="scoring_uri unavailable|Received bad response|Could not reach"):
        service.run("{}")
    service.delete()


def test_script_without_run_is_unhealthy(lab):
    from azureml.exceptions import WebserviceException

    lab.write("norun/score.py", "def init():\n    pass\n")
    service = _deploy(lab, "norun-svc", _config(source="norun"))
    with pytest.raises(WebserviceException, match="Unhealthy"):
        service.wait_for_deployment()
    assert "does not define a run(raw_data) function" in service.get_logs()
    service.delete()


def test_run_error_is_a_500_with_the_traceback_in_the_logs(lab):
    from azureml.exceptions import WebserviceException

    service = _deploy(lab, "error-svc")
    service.wait_for_deployment()
    with pytest.raises(WebserviceException, match="Response Code: 500") as info:
        service.run("not json")
    assert info.value.status_code == 500
    assert "JSONDecodeError" in service.get_logs()
    service.delete()


def test_same_name_needs_overwrite_and_overwrite_replaces_the_server(lab):
    from azureml.exceptions import WebserviceException

    first = _deploy(lab, "twice-svc")
    first.wait_for_deployment()
    with pytest.raises(WebserviceException, match="same name already exists"):
        _deploy(lab, "twice-svc")
    second = _deploy(lab, "twice-svc", overwrite=True)
    second.wait_for_deployment()
    assert not pid_alive(first._record.pid)
    assert second.run(json.dumps({"data": [1]}))["scaled"] == [2.0]
    second.delete()


def test_update_with_a_new_model_and_tags(lab):
    from azureml.core import Webservice

    service = _deploy(lab, "update-svc")
    service.wait_for_deployment()
    new_model = register_factor(lab.ws, 10.0, name="factor")
    service.update(models=[new_model], inference_config=_config())
    assert service.state == "Transitioning"
    service.wait_for_deployment()
    assert service.run(json.dumps({"data": [1]}))["scaled"] == [10.0]
    service.add_tags({"team": "dp100"})
    service.add_properties({"owner": "me"})
    again = Webservice(lab.ws, "update-svc")
    assert again.tags == {"team": "dp100"} and again.properties["owner"] == "me"
    assert [m.id for m in again.models] == ["factor:2"]
    from azureml.exceptions import WebserviceException

    with pytest.raises(WebserviceException, match="No parameters provided"):
        again.update()
    service.delete()


def test_model_in_use_cannot_be_deleted(lab):
    from azureml.exceptions import WebserviceException

    service = _deploy(lab, "inuse-svc")
    with pytest.raises(WebserviceException, match="used by the web service"):
        lab.model.delete()
    service.delete()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_local_service_on_a_chosen_port(lab, capsys):
    from azureml.core.webservice import LocalWebservice

    port = _free_port()
    service = _deploy(lab, "local-svc", deployment_config=LocalWebservice.deploy_configuration(port=port))
    assert isinstance(service, LocalWebservice) and service.state in ("deploying", "running")
    service.wait_for_deployment()
    assert service.state == "running" and service.port == port
    assert f"Local webservice is running at http://127.0.0.1:{port}" in capsys.readouterr().out
    assert service.scoring_uri == f"http://127.0.0.1:{port}/score"
    assert service.run(json.dumps({"data": [4]}))["scaled"] == [8.0]
    with pytest.raises(NotImplementedError):
        service.get_keys()
    assert [s.name for s in LocalWebservice.list(lab.ws)] == ["local-svc"]
    assert "local-svc" not in lab.ws.webservices  # the workspace does not list services on your machine
    from azureml.core import Webservice
    from azureml.exceptions import WebserviceException

    with pytest.raises(WebserviceException, match="WebserviceNotFound"):
        Webservice(lab.ws, "local-svc")
    assert LocalWebservice(lab.ws, "local-svc").state == "running"
    lab.write("scaler/score.py", SCALER_SCRIPT.replace("v * factor", "v * factor + 1"))
    try:
        service.reload(wait=True)  # the local debugging loop: edit the script, reload, call again
        assert service.run(json.dumps({"data": [4]}))["scaled"] == [9.0] and service.port == port
    finally:
        lab.write("scaler/score.py", SCALER_SCRIPT)
    promoted = service.deploy_to_cloud(name="promoted-svc")  # same models and script, now on ACI
    promoted.wait_for_deployment()
    assert promoted.compute_type == "ACI" and promoted.run(json.dumps({"data": [1]}))["scaled"] == [2.0]
    promoted.delete()
    service.delete()
    assert service.state == "deleted"


def test_local_service_on_a_busy_port_fails(lab):
    from azureml.core.webservice import LocalWebservice
    from azureml.exceptions import WebserviceException

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        config = LocalWebservice.deploy_configuration(port=busy.getsockname()[1])
        service = _deploy(lab, "busy-svc", deployment_config=config)
        with pytest.raises(WebserviceException, match="crashed|is failed"):
            service.wait_for_deployment()
    assert service.state == "failed" and "already in use" in service.get_logs()
    service.delete()


def test_list_filters(lab):
    from azureml.core import Webservice
    from azureml.core.webservice import AciWebservice
    from azureml.exceptions import WebserviceException

    config = AciWebservice.deploy_configuration(tags={"kind": "demo"})
    service = _deploy(lab, "listed-svc", deployment_config=config)
    assert [s.name for s in Webservice.list(lab.ws, compute_type="ACI")] == ["listed-svc"]
    assert [s.name for s in Webservice.list(lab.ws, model_name="factor")] == ["listed-svc"]
    assert [s.name for s in Webservice.list(lab.ws, tags=[["kind", "demo"]])] == ["listed-svc"]
    assert Webservice.list(lab.ws, compute_type="AKS") == []
    assert isinstance(Webservice(lab.ws, "listed-svc"), AciWebservice)
    with pytest.raises(WebserviceException, match="Invalid compute type"):
        Webservice.list(lab.ws, compute_type="VM")
    service.delete()


def test_bad_deployments_are_refused_before_anything_starts(lab):
    from azureml.core import Model
    from azureml.core.model import InferenceConfig
    from azureml.core.webservice import AciWebservice
    from azureml.exceptions import UserErrorException, WebserviceException

    with pytest.raises(WebserviceException, match="service name is invalid"):
        _deploy(lab, "Bad_Name")
    with pytest.raises(WebserviceException, match="no-code deployment"):
        Model.deploy(lab.ws, "nocode-svc", [lab.model])
    with pytest.raises(WebserviceException, match="cpu_cores must be positive"):
        AciWebservice.deploy_configuration(cpu_cores=0)
    with pytest.raises(WebserviceException, match="doesn't exist"):
        InferenceConfig(entry_script="missing.py")
    lab.write("notpy/score.txt", "x")
    with pytest.raises(WebserviceException, match="only Python drivers"):
        InferenceConfig(entry_script="score.txt", source_directory="notpy")
    lab.write("syntax/score.py", "def init(:\n")
    with pytest.raises(UserErrorException, match="Please check it"):
        InferenceConfig(entry_script="score.py", source_directory="syntax")
    with pytest.raises(WebserviceException, match="not simulated"):
        Model.deploy(lab.ws, "aks-svc", [lab.model], _config(), deployment_target=object())
    outside = InferenceConfig(entry_script=str(lab.work / "scaler" / "score.py"), source_directory="notpy")
    with pytest.raises(WebserviceException, match="is not inside source_directory"):
        Model.deploy(lab.ws, "outside-svc", [lab.model], outside)
    assert lab.ws.webservices == {}


ENV_SCRIPT = '''
import os


def init():
    pass


def run(raw_data):
    # source_directory keeps its own name under the container's working folder, as in Azure
    return {"greeting": os.environ.get("GREETING"), "cwd_has_helper": os.path.exists("envsvc/helper.py")}
'''


def test_environment_inference_config_passes_its_variables(lab):
    from azureml.core import Environment
    from azureml.core.model import InferenceConfig
    from azureml.exceptions import WebserviceException

    lab.write("envsvc/score.py", ENV_SCRIPT)
    lab.write("envsvc/helper.py", "VALUE = 1\n")
    env = Environment("inference-env")
    env.environment_variables = {"GREETING": "hello"}
    with pytest.raises(WebserviceException, match="along with an environment object"), \
            pytest.warns(DeprecationWarning, match="runtime parameter has been deprecated"):
        InferenceConfig(entry_script="score.py", source_directory="envsvc", environment=env, runtime="python")
    config = InferenceConfig(entry_script="score.py", source_directory="envsvc", environment=env)
    service = _deploy(lab, "env-svc", config)
    service.wait_for_deployment()
    assert service.run("{}") == {"greeting": "hello", "cwd_has_helper": True}
    assert service.environment["name"] == "inference-env"
    service.delete()


def test_optional_realistic_delay_keeps_the_service_transitioning(lab, monkeypatch):
    import time

    from azureml.exceptions import WebserviceException

    monkeypatch.setenv("DP100_SIM_DEPLOY_DELAY", "1.5")
    start = time.monotonic()
    service = _deploy(lab, "slow-svc")
    service.update_deployment_state()
    assert service.state == "Transitioning"
    with pytest.raises(WebserviceException, match="exceeded timeout override of 0.2s"):
        service.wait_for_deployment(timeout_sec=0.2)
    service.wait_for_deployment()
    assert service.state == "Healthy" and time.monotonic() - start >= 1.5
    service.delete()
