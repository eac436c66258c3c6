"""The service's scoring route takes a chunked request body as Azure's front end does: the model answers it, and one
over the servers' limit is refused with 413 while it is read (the limit comes from the service's environment, which
its servers inherit)."""

from __future__ import annotations

import json
import socket

import pytest
import requests

from sim import service as sim_service
from sim.service import locations
from tests.sim._models_helpers import SCALER_SCRIPT, LabFolder, register_factor

SMALL_LIMIT = 256 * 1024  # bytes: the limit of this module's service and servers, so a chunked body crosses it cheaply


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("DP100_SERVICE", "process")
    mp.setenv("DP100_SERVICE_IDLE_SECONDS", "300")
    mp.setenv("DP100_SIM_SCORING_MAX_BYTES", str(SMALL_LIMIT))  # read by the service when it starts, below
    folder = LabFolder(tmp_path_factory, "scoring-chunked")
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
def scaler(lab):
    from azureml.core import Model
    from azureml.core.model import InferenceConfig

    service = Model.deploy(lab.ws, "chunked-scaler", [lab.model], InferenceConfig(
        entry_script="score.py", source_directory="scaler"), overwrite=True)
    service.wait_for_deployment()
    assert service.state == "Healthy", service.get_logs()
    return service


def _chunks(data: bytes, size: int):
    for start in range(0, len(data), size):
        yield data[start:start + size]


def test_a_chunked_body_through_the_route_is_answered_by_the_model(scaler):
    body = json.dumps({"data": list(range(2000))}).encode()
    assert len(body) > 4096  # several chunks
    answer = requests.post(scaler.scoring_uri, data=_chunks(body, 4096), timeout=60,
                           headers={"Content-Type": "application/json"})  # a generator: requests sends it chunked
    assert answer.status_code == 200, answer.text
    assert answer.json()["scaled"][:3] == [0.0, 3.0, 6.0] and len(answer.json()["scaled"]) == 2000


def test_a_chunked_body_over_the_limit_is_cut_off_with_413_while_it_is_read(scaler):
    port = locations.read_record()["port"]
    path = scaler.scoring_uri.split(str(port), 1)[1]
    chunk, sent = b"x" * 16384, 0
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n".encode())
        while sent <= SMALL_LIMIT:
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        head = b""
        while b"\r\n\r\n" not in head and (data := sock.recv(65536)):
            head += data
    assert head.split()[1] == b"413", head[:300]
    assert requests.post(scaler.scoring_uri, json.dumps({"data": [1]}), timeout=60).json()["scaled"] == [3.0]
