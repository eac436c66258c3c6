"""JupyterLab with DP100_HOME hidden from kernels: its kernels talk to the server over Unix sockets, so they get
their own network namespace, and the server keeps the simulated Azure service running while it has kernels (a
kernel cannot start it, and it would otherwise stop when idle between two cells)."""

from __future__ import annotations

import json
import os
import time

import pytest
import websocket

from labs import jupyter, sandbox
from labs.sandbox.detect import HIDE_HOME_ENV
from tests.labs.test_jupyter import call, execute

IDLE_SECONDS = 4

pytestmark = [pytest.mark.usefixtures("lab_home"),
              pytest.mark.skipif(sandbox.isolation().bwrap is None, reason="needs bubblewrap")]


@pytest.fixture(scope="module")
def lab_home(tmp_path_factory):
    """This module's own DP100_HOME, with the home hidden and a service that stops after a few idle seconds."""
    home = tmp_path_factory.mktemp("jupyterhidden")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DP100_HOME", str(home))
        mp.setenv(HIDE_HOME_ENV, "1")
        mp.setenv("DP100_SERVICE_IDLE_SECONDS", str(IDLE_SECONDS))
        mp.delenv("DP100_DATABASE_URL", raising=False)
        mp.delenv(jupyter.PORT_ENV, raising=False)
        yield home
        jupyter.stop()
        from sim.service import launcher

        launcher.stop()


@pytest.fixture(scope="module")
def kernel_socket(lab_home):
    jupyter.start("02")
    server = jupyter.status()
    status, session = call(server, "POST", "/api/sessions", {
        "path": "02-experiments/lab02.ipynb", "name": "lab02.ipynb", "type": "notebook",
        "kernel": {"name": "python38-azureml"}})
    assert status == 201, status
    channels = f"ws://127.0.0.1:{server.port}/api/kernels/{session['kernel']['id']}/channels?token={server.token}"
    ws = websocket.create_connection(channels, timeout=180)
    yield ws
    ws.close()
    call(server, "DELETE", f"/api/sessions/{session['id']}")


def _service_pid(home) -> int:
    return json.loads((home / "service" / "service.json").read_text())["pid"]


def test_a_jupyterlab_kernel_has_its_own_network_and_reaches_the_service_through_it(kernel_socket, lab_home):
    port = json.loads((lab_home / "service" / "service.json").read_text())["port"]
    outcome, text = execute(kernel_socket, (
        "import os, json, urllib.request\n"
        "print(os.readlink('/proc/self/ns/net'))\n"
        f"print(json.load(urllib.request.urlopen('http://127.0.0.1:{port}/_sim/ping', timeout=30))['ok'])"))
    assert outcome == "ok", text
    namespace, answered = text.split()
    assert namespace != os.readlink("/proc/self/ns/net"), "the JupyterLab kernel shares the host's network"
    assert answered == "True"


def test_the_server_keeps_the_service_running_while_it_has_kernels(kernel_socket, lab_home):
    before = _service_pid(lab_home)
    time.sleep(IDLE_SECONDS * 3)  # the scenario itself: no cell runs for three idle periods
    outcome, text = execute(kernel_socket, (
        "from sim.service import channel\n"
        "print(channel.send('GET', 'http://service/_sim/ping', {}, b'')[0])"))
    assert outcome == "ok" and text.strip() == "200", text
    assert _service_pid(lab_home) == before, "the service stopped while JupyterLab had a kernel"
