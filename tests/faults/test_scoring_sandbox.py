"""Probes of the scoring servers' sandbox: with the home hidden (DP100_SANDBOX_HIDE_HOME=1) the service runs each
deployment's `score.py` in a job-style sandbox behind a keeper (sim._scoring_keeper), reachable only through the
service's scoring route.

A probing `score.py` tries, in init(), to read the learner's record, to walk every workspace's state, to leave a
setsid double-forked daemon behind and to serve on 0.0.0.0; run() answers what it found. Each is contained; the
service still answers through its route; nothing of it survives the service's deletion, a kill -9 of its keeper
or the stop of the service; a deployment whose keeper or server is killed while it starts ends Unhealthy, never
Transitioning. They need the isolation this machine kind gives ("full": bubblewrap and cgroup v1 as root).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import time
import uuid
from pathlib import Path

import pytest
import requests

from labs.sandbox import FULL, isolation
from tests.faults.test_sandbox_escapes import _answers
from tests.processes import alive_with
from tests.sim.conftest import sim_active  # noqa: F401 - a fixture, found by name

SUB = "00000000-0000-0000-0000-0000000000ab"

# Placeholders: __TOKEN__ (a daemon's mark on its command line), __PORT__ (a free port), __SECRET__ (the learner's
# record), __STATE__ (every workspace's state folder).
PROBE = r'''
import json, os, socket, sys, time

report = {}

def attempt(name, action):
    try:
        report[name] = action()
    except Exception as exc:
        report[name] = f"{type(exc).__name__}: {exc}"

def daemonise(argv):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            os.execvp(argv[0], argv)
        os._exit(0)
    os.wait()

def init():
    attempt("secret", lambda: open("__SECRET__").read())
    attempt("state_files", lambda: sorted(os.path.join(d, f) for d, _, files in os.walk("__STATE__") for f in files
                                          if f.endswith((".db", ".db-wal"))))
    attempt("pid", os.getpid)
    daemonise(["sleep", "__TOKEN__"])
    daemonise([sys.executable, "-m", "http.server", "--bind", "0.0.0.0", "__PORT__"])
    deadline = time.time() + 60
    while time.time() < deadline and "served" not in report:
        try:
            socket.create_connection(("127.0.0.1", __PORT__), timeout=1).close()
            report["served"] = True
        except OSError:
            time.sleep(0.1)

def run(raw):
    return report
'''

SLOW_INIT = "import time\n\ndef init():\n    time.sleep(__SECONDS__)\n\ndef run(raw):\n    return 'late'\n"


@pytest.fixture(autouse=True)
def full_isolation():
    found = isolation()
    assert found.level == FULL, f"these probes expect full isolation here: {found.summary()}"


@pytest.fixture
def hidden(monkeypatch, dp100_home, tmp_path):
    """The home hidden, the service (not this process) starting servers, a secret beside the learner's record."""
    monkeypatch.setenv("DP100_SANDBOX_HIDE_HOME", "1")
    monkeypatch.setenv("DP100_SERVICE", "process")
    monkeypatch.setenv("DP100_SERVICE_IDLE_SECONDS", "300")
    dp100_home.mkdir(parents=True, exist_ok=True)
    (dp100_home / "progress.db").write_text("the learner's record")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "factor.txt").write_text("2")
    return dp100_home


def _workspace(name: str):
    from azureml.core import Model, Workspace

    ws = Workspace.create(name, subscription_id=SUB, resource_group="rg-" + name, create_resource_group=True,
                          location="eastus", show_output=False)
    return ws, Model.register(ws, model_path="factor.txt", model_name="factor")


def _deploy(ws, model, name: str, script: str, wait: bool = True):
    from azureml.core import Model
    from azureml.core.model import InferenceConfig

    folder = Path(f"src-{name}")
    folder.mkdir()
    (folder / "score.py").write_text(script)
    service = Model.deploy(ws, name, [model], InferenceConfig(entry_script="score.py", source_directory=str(folder)))
    if wait:
        service.wait_for_deployment()
    return service


def _probe(home: Path) -> tuple[str, int, str]:
    token = f"700.{uuid.uuid4().int % 10**9}"
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    script = (PROBE.replace("__TOKEN__", token).replace("__PORT__", str(port))
              .replace("__SECRET__", str(home / "progress.db")).replace("__STATE__", str(home / "cloud")))
    return token, port, script


def _gone_within(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return not condition()


def _keeper_and_server(ws, name: str) -> tuple[int, int]:
    """(the recorded pid: the keeper's, the sandboxed server's host pid: the keeper's own until it has started)."""
    from sim.cloud.services import _process
    from sim.cloud.services import _table as table

    found = table.get(ws._record, name)
    return found.pid, _process.server_process(found.pid, found.folder)


def _servers_of(name: str) -> list[int]:
    return alive_with(f"/services/{name}")  # the keeper's and the sandboxed server's command lines name the folder


@pytest.mark.usefixtures("sim_active")
def test_a_score_py_reads_no_home_and_leaves_nothing_behind_its_deletion(hidden):
    ws, model = _workspace("mlw-score-probe")
    token, port, script = _probe(hidden)
    service = _deploy(ws, model, "probe-svc", script)
    assert service.state == "Healthy", service.get_logs()
    assert "/_sim/score/" in service.scoring_uri, service.scoring_uri  # the service's route, never a server's port
    report = requests.post(service.scoring_uri, json={"data": [1]}, timeout=60).json()
    assert report["secret"].startswith(("FileNotFoundError", "PermissionError")), report
    assert report["state_files"] == [] or str(report["state_files"]).startswith("FileNotFoundError"), report
    assert report["pid"] < 10, f"the script runs as pid {report['pid']}: not in a PID namespace of its own"
    assert report.get("served") is True, "the probe's http.server never answered inside (the probe is broken)"
    assert not _answers(port), f"the script's 0.0.0.0 server answers on the host's port {port}"
    assert service.run(json.dumps({"data": [1]}))["secret"] == report["secret"]  # service.run goes the same way
    assert alive_with(token), "the daemon the script left is not running in the sandbox (the probe is broken)"
    service.delete()
    assert _gone_within(lambda: bool(alive_with(token))), f"the script's daemon outlived its service: {token}"
    assert _gone_within(lambda: bool(_servers_of("probe-svc"))), "a keeper or server outlived its service"


@pytest.mark.usefixtures("sim_active")
@pytest.mark.parametrize("killed", ["keeper", "server"])
def test_a_kill_while_init_runs_ends_unhealthy_with_nothing_left(hidden, killed):
    ws, model = _workspace(f"mlw-kill-{killed}")
    seconds = f"800.{uuid.uuid4().int % 10**9}"  # the sleep's mark: init() never ends on its own within the test
    service = _deploy(ws, model, f"slow-{killed}", SLOW_INIT.replace("__SECONDS__", seconds), wait=False)
    assert _gone_within(lambda: len(set(_keeper_and_server(ws, service.name))) < 2, seconds=120), "no server started"
    keeper, server = _keeper_and_server(ws, service.name)
    victim = keeper if killed == "keeper" else server
    from azureml.exceptions import WebserviceException

    os.kill(victim, signal.SIGKILL)
    started = time.monotonic()
    with pytest.raises(WebserviceException, match="current service state: Unhealthy"):
        service.wait_for_deployment()  # the SDK raises when a deployment ends anything but Healthy
    assert time.monotonic() - started < 60
    assert _gone_within(lambda: bool(_servers_of(service.name))), f"a process outlived the kill of the {killed}"
    service.delete()


@pytest.mark.usefixtures("sim_active")
def test_stopping_the_service_stops_its_sandboxed_servers(hidden):
    from sim.service import launcher

    ws, model = _workspace("mlw-score-stop")
    token, _, script = _probe(hidden)
    service = _deploy(ws, model, "stop-svc", script)
    assert service.state == "Healthy", service.get_logs()
    assert alive_with(token)
    launcher.stop()
    assert _gone_within(lambda: bool(alive_with(token))), f"the script's daemon outlived the service: {token}"
    assert _gone_within(lambda: bool(_servers_of("stop-svc"))), "a keeper or server outlived the service"


@pytest.mark.usefixtures("sim_active")
def test_the_service_stays_up_while_it_keeps_a_server_and_stops_idle_after(hidden, monkeypatch):
    from tests.sim.service.conftest import service_pids

    monkeypatch.setenv("DP100_SERVICE_IDLE_SECONDS", "2")  # read by the service when it starts (the first call)
    ws, model = _workspace("mlw-score-idle")
    service = _deploy(ws, model, "idle-svc", "def init():\n    pass\n\ndef run(raw):\n    return 'up'\n")
    assert service.state == "Healthy", service.get_logs()
    pids = service_pids(hidden)
    time.sleep(3 * 2)  # three idle limits without a request
    assert service_pids(hidden) == pids, "the service stopped idle (and its server with it) while it served"
    assert requests.post(service.scoring_uri, json={}, timeout=60).json() == "up"
    service.delete()
    assert _gone_within(lambda: bool(service_pids(hidden))), "the service did not stop idle once it kept no server"
