"""The service's scoring route: in process mode a v1 web service's scoring URI names the service's port and route,
never the server's own; the route forwards to the server (key auth answers 401 as the server does), needs no
service token, refuses an over-large body before reading it, names what it cannot find, and outlives an idle stop
of the service (the next service takes the same port)."""

from __future__ import annotations

import json
import socket

import pytest
import requests

from sim import service as sim_service
from sim.service import locations
from tests.sim._models_helpers import SCALER_SCRIPT, LabFolder, register_factor


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("DP100_SERVICE", "process")
    mp.setenv("DP100_SERVICE_IDLE_SECONDS", "300")
    folder = LabFolder(tmp_path_factory, "scoring-proxy")
    try:
        folder.write("scaler/score.py", SCALER_SCRIPT)
        folder.model = register_factor(folder.ws, 3.0)
        yield folder
        folder.close()
    finally:
        sim_service.stop()
        mp.undo()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    return lab.home


@pytest.fixture(scope="module")
def keyed(lab):
    from azureml.core import Model
    from azureml.core.model import InferenceConfig
    from azureml.core.webservice import AciWebservice

    config = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1, auth_enabled=True)
    service = Model.deploy(lab.ws, "keyed-scaler", [lab.model], InferenceConfig(
        entry_script="score.py", source_directory="scaler"), config, overwrite=True)
    service.wait_for_deployment()
    assert service.state == "Healthy", service.get_logs()
    return service


def _service_port() -> int:
    return locations.read_record()["port"]


def _server_port(service) -> int:
    from sim.cloud import services

    return services.get(service.workspace._record, service.name).port


def test_the_scoring_uri_names_the_services_route_never_the_servers_port(lab, keyed):
    ws = lab.ws
    expected = (f"http://127.0.0.1:{_service_port()}/_sim/score/{ws.subscription_id}/{ws.resource_group}/{ws.name}"
                "/keyed-scaler/score")
    assert keyed.scoring_uri == expected
    assert str(_server_port(keyed)) not in keyed.scoring_uri
    assert keyed.swagger_uri == expected.removesuffix("/score") + "/swagger.json"


def test_key_auth_answers_401_without_a_key_and_the_model_with_one(keyed):
    body = json.dumps({"data": [1, 2]})
    refused = requests.post(keyed.scoring_uri, data=body, headers={"Content-Type": "application/json"}, timeout=60)
    assert refused.status_code == 401, refused.text
    primary, _ = keyed.get_keys()
    answered = requests.post(keyed.scoring_uri, data=body, timeout=60,
                             headers={"Content-Type": "application/json", "Authorization": f"Bearer {primary}"})
    assert answered.status_code == 200, answered.text
    assert answered.json()["scaled"] == [3.0, 6.0]
    assert keyed.run(body)["scaled"] == [3.0, 6.0]


def test_the_route_needs_no_service_token_but_the_rest_of_the_service_does(keyed):
    base = keyed.scoring_uri.split("/_sim/")[0]
    assert requests.get(keyed.swagger_uri, timeout=30).status_code == 200
    assert requests.get(f"{base}/_sim/status", timeout=30).status_code == 401


def test_an_unknown_service_or_route_is_named_in_a_404(lab, keyed):
    missing = keyed.scoring_uri.replace("/keyed-scaler/", "/no-such-service/")
    answer = requests.post(missing, data="{}", timeout=30)
    assert answer.status_code == 404 and "no-such-service" in answer.json()["error"]["message"]
    base = keyed.scoring_uri.split("/_sim/")[0]
    wrong = requests.post(f"{base}/_sim/score/only-two/parts/score", data="{}", timeout=30)
    assert wrong.status_code == 404 and "scoring_uri" in wrong.json()["error"]["message"]


def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(keyed):
    declared = 200 * 1024 * 1024
    path = keyed.scoring_uri.split(str(_service_port()), 1)[1]
    with socket.create_connection(("127.0.0.1", _service_port()), timeout=60) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {declared}\r\nConnection: close\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head and (chunk := sock.recv(65536)):
            head += chunk
    assert head.split()[1] == b"413", head[:200]
    assert requests.get(keyed.swagger_uri, timeout=30).status_code == 200  # the service still answers


def test_a_restarted_service_takes_the_same_port_so_handed_out_uris_keep_working(keyed):
    uri, port = keyed.scoring_uri, _service_port()
    sim_service.stop()
    sim_service.ensure_running()
    assert _service_port() == port
    primary, _ = keyed.get_keys()
    answer = requests.post(uri, data=json.dumps({"data": [2]}), timeout=60,
                           headers={"Content-Type": "application/json", "Authorization": f"Bearer {primary}"})
    assert answer.status_code == 200 and answer.json()["scaled"] == [6.0], answer.text
