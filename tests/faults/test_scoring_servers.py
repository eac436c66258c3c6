"""Probes of the scoring servers' limits: body size (413), idle connections, threads, and owner lifetime.

They run in either mode: with DP100_SANDBOX_HIDE_HOME=1 each server runs in its sandbox and has no port, so the
probes reach it on the Unix socket in its folder, and measure the sandboxed process that runs the script.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from sim import _owner
from sim.cloud.services import _table as service_table
from tests.sim._models_helpers import SCALER_SCRIPT, LabFolder, pid_alive, register_factor

IDLE_TIMEOUT = 1.0  # seconds; the servers of this module run with it instead of the default 30
SMALL_LIMIT = 1024 * 1024  # bytes; the "small" service's body limit, so a chunked body can cross it cheaply


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = LabFolder(tmp_path_factory, "faults-scoring")
    folder.write("scaler/score.py", SCALER_SCRIPT)
    folder.model = register_factor(folder.ws, 2.0)
    yield folder
    folder.close()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    return lab.home


def _deploy(lab, name: str, **env: str):
    """Deploy the scaler with extra environment for its server (read by the server when it starts).

    The server inherits the environment of the process that starts it. With DP100_SERVICE=process that is the
    service, started before this module with its own environment, so these knobs would never reach it: this process
    deploys (in process) whatever the mode, and the probes test the server itself.
    """
    from azureml.core import Model
    from azureml.core.model import InferenceConfig

    env = {**env, "DP100_SERVICE": "inprocess"}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        service = Model.deploy(lab.ws, name, [lab.model],
                               InferenceConfig(entry_script="score.py", source_directory="scaler"), overwrite=True)
        service.wait_for_deployment()
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    assert service.state == "Healthy", service.get_logs()
    return service


def _server_pid(lab, name: str) -> int:
    """The process that runs the scoring script (a sandboxed server's, not its keeper's)."""
    from sim.cloud import services
    from sim.cloud.services import _process

    found = services.get(lab.ws._record, name)
    return _process.server_process(found.pid, found.folder)


def _connect(service, timeout: float) -> socket.socket:
    """A connection to the server itself (these probes test the server; its scoring URI may name the service's route
    to it): its own port, or, sandboxed, the socket in its folder (named through a descriptor: the path is long)."""
    from sim.cloud import services
    from sim.cloud.services import _process

    found = services.get(service.workspace._record, service.name)
    if found.port:
        return socket.create_connection(("127.0.0.1", found.port), timeout=timeout)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    directory = os.open(found.folder, os.O_PATH | os.O_DIRECTORY)
    try:
        sock.connect(f"/proc/self/fd/{directory}/{_process.SOCKET_FILE}")
    finally:
        os.close(directory)
    return sock


def _answer(sock: socket.socket) -> tuple[int, dict]:
    data = b""
    while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body or b"{}")


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    return 0


@pytest.fixture(scope="module")
def service(lab):
    svc = _deploy(lab, "limits-svc", DP100_SIM_SCORING_READ_TIMEOUT=str(IDLE_TIMEOUT))
    yield svc
    svc.delete()


def test_a_body_over_100_mb_is_refused_with_413_before_it_is_read(lab, service):
    declared = 200 * 1024 * 1024
    with _connect(service, 30) as sock:
        sock.sendall(f"POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {declared}\r\n\r\n".encode())
        status, body = _answer(sock)
    assert status == 413, f"a declared {declared}-byte body got HTTP {status}: {body}"
    assert "at most 104857600 bytes" in body["message"], body
    rss_kb = int(next(line.split()[1] for line in Path(f"/proc/{_server_pid(lab, 'limits-svc')}/status")
                      .read_text().splitlines() if line.startswith("VmRSS")))
    assert rss_kb < 1024 * 1024, f"the server holds {rss_kb} kB after refusing a {declared}-byte body"
    ok = requests.post(service.scoring_uri, json.dumps({"data": [1]}), timeout=30)
    assert ok.status_code == 200, "the server stopped answering after a 413"


def test_a_chunked_body_is_cut_off_at_the_limit_while_it_is_read(lab):
    small = _deploy(lab, "small-svc", DP100_SIM_SCORING_MAX_BYTES=str(SMALL_LIMIT))
    chunk, sent = b"x" * 65536, 0
    with _connect(small, 30) as sock:
        sock.sendall(b"POST /score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        while sent <= SMALL_LIMIT:
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        status, body = _answer(sock)
    assert status == 413, f"a {sent}-byte chunked body over a {SMALL_LIMIT}-byte limit got HTTP {status}"
    assert "Send fewer rows per request" in body["message"], body
    small.delete()


def test_an_idle_connection_is_closed_after_the_read_timeout(service):
    with _connect(service, IDLE_TIMEOUT * 15) as sock:
        started = time.monotonic()
        try:
            data = sock.recv(1024)
        except TimeoutError:
            data = None
        waited = time.monotonic() - started
    assert data is not None, f"an idle connection was still open after {waited:.1f} s (read timeout {IDLE_TIMEOUT} s)"
    assert waited >= IDLE_TIMEOUT * 0.9, f"closed after {waited:.2f} s, before the {IDLE_TIMEOUT} s timeout"


def test_threads_stay_bounded_under_100_idle_connections(lab, service):
    from sim._scoring_server import WORKERS

    pid = _server_pid(lab, "limits-svc")
    idle = [_connect(service, 10) for _ in range(100)]
    try:
        time.sleep(0.5)  # give the server the time to accept them all (nothing to wait for: it must not grow)
        threads = len(os.listdir(f"/proc/{pid}/task"))
    finally:
        for sock in idle:
            sock.close()
    assert threads <= WORKERS + 4, f"{threads} threads under 100 idle connections (pool of {WORKERS})"
    answer = requests.post(service.scoring_uri, json.dumps({"data": [2]}), timeout=60)
    assert answer.json()["scaled"] == [4.0], "the server did not answer after the idle connections closed"


# The child plays the app: it claims ownership of what it starts (ui.startup does), deploys, and ends.
DEPLOY_AND_EXIT = """
import sim; sim.activate()
from sim import _owner; _owner.claim()
from azureml.core import Model, Workspace
from azureml.core.model import InferenceConfig
ws = Workspace.from_config()
service = Model.deploy(ws, "owned-svc", [Model(ws, "factor")],
                       InferenceConfig(entry_script="score.py", source_directory="scaler"), overwrite=True)
service.wait_for_deployment()
print(service.state)
"""


def test_a_server_stops_when_the_process_that_owns_it_ends_and_a_read_starts_it_again(lab):
    from sim.cloud import services

    lab.ws.write_config()
    # The owner chain is that of a process that starts its own servers (in process). Through the service
    # (DP100_SERVICE=process) the service starts them and is their owner: they stop with it, which
    # tests/faults/test_scoring_sandbox.py probes.
    done = subprocess.run([sys.executable, "-c", DEPLOY_AND_EXIT], cwd=lab.work, capture_output=True, text=True,
                          timeout=180, env=dict(os.environ, DP100_SERVICE="inprocess"))
    assert done.stdout.strip().endswith("Healthy"), done.stderr[-2000:]
    pid = service_table.get(lab.ws._record, "owned-svc").pid
    deadline, ended = time.monotonic() + 30, time.monotonic()
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    lasted = time.monotonic() - ended
    assert not pid_alive(pid), f"the server outlived its owner by {lasted:.1f} s"
    revived = services.wait(lab.ws._record, "owned-svc", timeout=120)
    assert revived.state == "Healthy" and revived.pid != pid, f"{revived.state}, pid {revived.pid}"
    assert requests.post(revived.scoring_uri, json.dumps({"data": [1]}), timeout=30).json()["scaled"] == [2.0]
    services.delete(lab.ws._record, "owned-svc")


def test_a_server_with_no_owner_lives_on_like_a_cloud_service(lab):
    # A script run on its own in a terminal (no app, no inherited owner): its service outlives it until deleted.
    from sim.cloud import services

    lab.ws.write_config()
    env = {k: v for k, v in os.environ.items() if k != _owner.OWNER_ENV}
    script = DEPLOY_AND_EXIT.replace("from sim import _owner; _owner.claim()", "").replace("owned-svc", "free-svc")
    done = subprocess.run([sys.executable, "-c", script], cwd=lab.work, env=env, capture_output=True, text=True,
                          timeout=180)
    assert done.stdout.strip().endswith("Healthy"), done.stderr[-2000:]
    pid = service_table.get(lab.ws._record, "free-svc").pid
    time.sleep(4 * 0.5)  # four of the server's watch rounds: an owner check would have stopped it by now
    assert pid_alive(pid), "a server with no owner stopped when the script that deployed it ended"
    services.delete(lab.ws._record, "free-svc")
    assert not pid_alive(pid)
