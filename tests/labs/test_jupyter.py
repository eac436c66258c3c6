"""The lab's compute instance: the real JupyterLab server, its REST API, a kernel and a terminal through it.

One server for the module (its first start is the slow part); the tests talk to it as JupyterLab's page does:
REST calls with the token, a kernel's websocket, a terminal's websocket.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import websocket  # websocket-client, a dependency of jupyter_server

from dp100 import cli
from labs import api, jupyter
from labs.kernel import _children, pid_alive
from labs.spec import fill, get_lab

pytestmark = pytest.mark.usefixtures("lab_home")


@pytest.fixture(scope="module")
def lab_home(tmp_path_factory):
    """This module's own DP100_HOME (the labs conftest's autouse fixture uses it for every test here)."""
    home = tmp_path_factory.mktemp("jupyterhome")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DP100_HOME", str(home))
        mp.delenv("DP100_DATABASE_URL", raising=False)
        mp.delenv(jupyter.PORT_ENV, raising=False)
        yield home
        jupyter.stop()  # whatever a failing test left running


@pytest.fixture(scope="module")
def lab02_url(lab_home):
    return jupyter.start("02")


@pytest.fixture(scope="module")
def server(lab02_url):
    found = jupyter.status()
    assert found is not None
    return found


def call(server, method: str, path: str, body=None, token: str | None = None):
    """One REST call to the server; returns (status, parsed JSON or None)."""
    headers = {"Content-Type": "application/json"}
    if token is not False:
        headers["Authorization"] = f"token {token or server.token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(server.base_url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        return exc.code, None


def execute(ws, code: str, timeout: float = 180) -> tuple[str, str]:
    """Run `code` through a kernel's websocket (Jupyter messaging protocol); returns (status, text output)."""
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "username": "learner", "session": uuid.uuid4().hex, "date": "",
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True},
    }))
    texts, status, idle, deadline = [], None, False, time.monotonic() + timeout
    while time.monotonic() < deadline and not (status and idle):  # the reply and the idle status, in any order
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            texts.append(content["text"])
        elif kind == "error":
            texts.append("\n".join(content["traceback"]))
        elif kind == "execute_reply":
            status = content["status"]
        elif kind == "status":
            idle = content["execution_state"] == "idle"
    if status and idle:
        return status, "".join(texts)
    raise AssertionError(f"the cell did not finish in {timeout} s; output so far: {''.join(texts)}")


def _listening(port: int) -> set[str]:
    """The local addresses with a listening TCP socket on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].rsplit(":", 1)
            if int(hex_port, 16) == port and fields[3] == "0A":
                found.add(address)
    return found


# -- the server ----------------------------------------------------------------------------------------
def test_start_opens_the_lab_notebook_on_loopback_with_a_token(lab02_url, server, lab_home):
    assert lab02_url == f"http://127.0.0.1:{server.port}/lab/tree/02-experiments/lab02.ipynb?token={server.token}"
    assert _listening(server.port) == {"0100007F"}, "listens on 127.0.0.1 only"
    assert call(server, "GET", "/api/status", token=False)[0] == 403
    assert call(server, "GET", "/api/status", token="wrong")[0] == 403
    status, body = call(server, "GET", "/api/status")
    assert status == 200 and "started" in body
    notebook = json.loads((lab_home / "labs" / "02-experiments" / "lab02.ipynb").read_text())
    assert notebook["metadata"]["kernelspec"]["name"] == "python38-azureml"
    with urllib.request.urlopen(lab02_url, timeout=60) as page:  # the token in the URL logs the browser in
        assert page.status == 200 and "jupyter-config-data" in page.read().decode()


def test_kernelspecs_are_the_compute_instance_kernels_kept_under_dp100_home(server, lab_home):
    status, body = call(server, "GET", "/api/kernelspecs")
    assert status == 200
    names = {name: spec["spec"]["display_name"] for name, spec in body["kernelspecs"].items()}
    assert names == {"python310-sdkv2": "Python 3.10 - SDK v2", "python38-azureml": "Python 3.8 - AzureML",
                     "python3": "Python 3 (ipykernel)"}
    assert body["default"] == "python310-sdkv2"
    assert all("labs._launcher" in spec["spec"]["argv"] for spec in body["kernelspecs"].values())
    assert (lab_home / "jupyter" / "data" / "kernels" / "python38-azureml" / "kernel.json").exists()


def test_a_second_lab_reuses_the_server_and_opens_its_own_folder(server, lab_home):
    url = jupyter.start("01")
    assert url == f"{server.base_url}/lab/tree/01-workspace/lab01.ipynb?token={server.token}"
    assert jupyter.status() == server
    assert (lab_home / "labs" / "01-workspace" / "lab01.ipynb").exists()


def test_an_existing_notebook_is_never_overwritten(server, lab_home):
    path = lab_home / "labs" / "01-workspace" / "lab01.ipynb"
    jupyter.start("01")
    edited = path.read_text().replace("# your code here", "# my own work", 1)
    path.write_text(edited)
    jupyter.start("01")
    assert path.read_text() == edited


# -- a kernel and a terminal through the server ------------------------------------------------------------
def test_a_lab_step_run_in_a_jupyterlab_kernel_passes_the_lab_check(server, lab_home):
    lab = get_lab("02")
    step = lab.spec.steps[0]
    assert not api.check_step("02", step.id, record=False).passed  # nothing done yet
    status, session = call(server, "POST", "/api/sessions", {
        "path": "02-experiments/lab02.ipynb", "name": "lab02.ipynb", "type": "notebook",
        "kernel": {"name": "python38-azureml"}})
    assert status == 201, status
    channels = f"ws://127.0.0.1:{server.port}/api/kernels/{session['kernel']['id']}/channels?token={server.token}"
    ws = websocket.create_connection(channels, timeout=180)
    try:
        outcome, text = execute(ws, "import os, sim\nprint(os.getcwd())\nprint(os.environ['MLFLOW_TRACKING_URI'])\n"
                                    "print(sim.is_active())")
        assert outcome == "ok", text
        cwd, tracking_uri, active = text.split()
        assert cwd == str(lab_home / "labs" / "02-experiments")
        assert tracking_uri.startswith("azureml://") and "/workspaces/mlw-lab02-" in tracking_uri
        assert active == "True"
        attempt = api.prepare("02")
        outcome, text = execute(ws, fill(step.solution, attempt.params))
        assert outcome == "ok", text
    finally:
        ws.close()
        assert call(server, "DELETE", f"/api/sessions/{session['id']}")[0] == 204
    report = api.check_step("02", step.id)
    assert report.passed, report.message


def test_the_terminal_runs_the_simulated_az(server):
    status, terminal = call(server, "POST", "/api/terminals", {"cwd": "02-experiments"})
    assert status == 200, status
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{server.port}/terminals/websocket/{terminal['name']}?token={server.token}", timeout=60)
    try:
        ws.send(json.dumps(["stdin", "az extension add -n ml; az ml workspace list --query '[].name' -o tsv; "
                                     "echo token=[$JUPYTER_TOKEN] end-$((6*7))\r"]))
        seen, deadline = "", time.monotonic() + 120
        while "end-42" not in seen and time.monotonic() < deadline:
            message = json.loads(ws.recv())
            if message[0] == "stdout":
                seen += message[1]
    finally:
        ws.close()
        call(server, "DELETE", f"/api/terminals/{terminal['name']}")
    assert "end-42" in seen, seen
    assert "mlw-lab02-" in seen and "token=[]" in seen, seen


def test_the_cli_opens_a_lab_in_the_running_server_and_shows_its_status(server, capsys):
    assert cli.main(["lab", "jupyter", "02"]) == 0
    out = capsys.readouterr().out
    assert server.url("lab/tree/02-experiments/lab02.ipynb") in out and "dp100 lab jupyter stop" in out
    assert cli.main(["lab", "jupyter", "status"]) == 0
    assert f"JupyterLab runs at {server.url()} (pid {server.pid})." in capsys.readouterr().out
    assert cli.main(["lab", "jupyter", "42"]) == 2
    assert "There is no lab '42'" in capsys.readouterr().err


# -- stopping --------------------------------------------------------------------------------------------
def test_stop_ends_the_server_its_kernels_and_terminals(server, capsys):
    assert call(server, "POST", "/api/kernels", {"name": "python310-sdkv2", "path": "01-workspace"})[0] == 201
    assert call(server, "POST", "/api/terminals", {})[0] == 200
    processes = [server.pid, *_children(server.pid)]
    assert len(processes) >= 3, "a server, a kernel and a terminal shell"
    assert cli.main(["lab", "jupyter", "stop"]) == 0  # jupyter.stop()
    assert capsys.readouterr().out == "JupyterLab stopped.\n"
    assert [pid for pid in processes if pid_alive(pid)] == []
    assert jupyter.status() is None and jupyter.stop() is False


# -- errors --------------------------------------------------------------------------------------------
def test_a_port_in_use_is_named_in_a_clear_error(monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setenv(jupyter.PORT_ENV, str(port))
        with pytest.raises(jupyter.JupyterError, match=f"127.0.0.1:{port}: the port is in use"):
            jupyter.start("01")
    assert jupyter.status() is None
    assert not any("labs._jupyter_server" in _cmdline(pid) for pid in _children(os.getpid()))


def test_a_bad_port_setting_and_a_missing_jupyterlab_are_clear_errors(monkeypatch):
    monkeypatch.setenv(jupyter.PORT_ENV, "eighty")
    with pytest.raises(jupyter.JupyterError, match="is not a port number"):
        jupyter.start("01")
    monkeypatch.delenv(jupyter.PORT_ENV)
    real_find_spec = jupyter.importlib.util.find_spec
    monkeypatch.setattr(jupyter.importlib.util, "find_spec",
                        lambda name, *a: None if name == "jupyterlab" else real_find_spec(name, *a))
    with pytest.raises(jupyter.JupyterError, match=r"pip install jupyterlab==\d"):
        jupyter.start("01")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def test_a_server_ends_with_its_owner_and_takes_its_kernels_along():
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        jupyter.start("01", owner=owner.pid)
        server = jupyter.status()
        assert server.owner == owner.pid
        assert call(server, "POST", "/api/kernels", {"name": "python38-azureml", "path": "01-workspace"})[0] == 201
        processes = [server.pid, *_children(server.pid)]
    finally:
        owner.kill()  # as if the app were killed: it never gets to stop the server itself
        owner.wait()
    deadline = time.monotonic() + 60
    while any(pid_alive(pid) for pid in processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in processes if pid_alive(pid)] == [], "outlived the process that owned the server"
    assert jupyter.status() is None


# -- resets ----------------------------------------------------------------------------------------------
def _kernel_pid(server, kernel_id: str) -> int:
    """The pid of a server's kernel, from its connection file under DP100_HOME/jupyter/runtime."""
    for pid in _children(server.pid):
        if f"kernel-{kernel_id}.json" in _cmdline(pid):
            return pid
    raise AssertionError(f"no process for kernel {kernel_id}")


def test_resetting_a_lab_shuts_down_its_notebooks_kernels_only():
    jupyter.start("01")
    server = jupyter.status()
    kernels = {}
    for lab_id, path in (("01", "01-workspace/lab01.ipynb"), ("02", "02-experiments/lab02.ipynb")):
        status, session = call(server, "POST", "/api/sessions", {"path": path, "type": "notebook",
                                                                 "kernel": {"name": "python38-azureml"}})
        assert status == 201
        kernels[lab_id] = _kernel_pid(server, session["kernel"]["id"])
    api.reset_lab("01", confirm=True)
    assert [s["path"] for s in call(server, "GET", "/api/sessions")[1]] == ["02-experiments/lab02.ipynb"]
    assert not pid_alive(kernels["01"]) and pid_alive(kernels["02"])


def test_dp100_reset_stops_the_jupyterlab_server_before_deleting_its_record():
    from dp100.reset import wipe_home

    jupyter.start("01")  # the server of the test before, when it ran
    server = jupyter.status()
    assert call(server, "POST", "/api/kernels", {"name": "python3", "path": "01-workspace"})[0] == 201
    processes = [server.pid, *_children(server.pid)]
    wipe_home()
    assert [pid for pid in processes if pid_alive(pid)] == []


def test_jupyterlab_never_asks_about_news_and_keeps_the_learners_own_choice(tmp_path):
    import json

    from labs._jupyter_files import prepare_instance_files

    folders = prepare_instance_files(tmp_path)
    setting = (folders["config"] / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
               / "notification.jupyterlab-settings")
    assert json.loads(setting.read_text())["fetchNews"] == "false"
    setting.write_text('{"fetchNews": "none"}')  # the learner chose "Ask" in Settings
    prepare_instance_files(tmp_path)
    assert json.loads(setting.read_text()) == {"fetchNews": "none"}
