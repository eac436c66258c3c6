"""Probe of a hidden-home kernel's network (its own namespace): a web service deployed from the kernel is scored
through the service's route with unchanged `requests.post(service.scoring_uri)`, and the scoring server itself, which
the SDK never hands out (sandboxed, it listens only on a Unix socket in its folder), cannot be reached from inside the
kernel."""

from __future__ import annotations

import inspect
import json

import pytest

from labs import sandbox
from tests.faults._hidden import hidden_kernel_in
from tests.sim._models_helpers import SCALER_SCRIPT

pytestmark = pytest.mark.skipif(sandbox.isolation().bwrap is None, reason="needs bubblewrap")

DEPLOY = '''
import json, requests
from azureml.core import Model, Workspace
from azureml.core.model import InferenceConfig
ws = Workspace.create(name="net-ws", subscription_id="00000000-0000-0000-0000-0000000000ae", resource_group="net-rg",
                      location="eastus", create_resource_group=True, show_output=False)
open("factor", "w").write("2.0")
model = Model.register(workspace=ws, model_path="factor", model_name="factor")
service = Model.deploy(ws, "net-svc", [model], InferenceConfig(entry_script="score.py", source_directory="scaler"),
                       overwrite=True)
service.wait_for_deployment()
answer = requests.post(service.scoring_uri, data=json.dumps({"data": [1, 2]}),
                       headers={"Content-Type": "application/json"}, timeout=120)
print(json.dumps({"uri": service.scoring_uri, "status": answer.status_code, "scaled": answer.json()["scaled"]}))
'''


@pytest.fixture
def hidden_kernel(monkeypatch, dp100_home):
    folder = dp100_home / "labs" / "net"
    (folder / "scaler").mkdir(parents=True)
    (folder / "scaler" / "score.py").write_text(SCALER_SCRIPT)
    with hidden_kernel_in(monkeypatch, folder) as kernel:
        yield kernel
    from sim.cloud import services, workspaces

    for record in workspaces.list_workspaces():
        services.stop_all(record)


def test_a_service_deployed_from_the_kernel_is_scored_through_the_service_and_its_server_is_out_of_reach(
        hidden_kernel, dp100_home):
    result = hidden_kernel.execute(DEPLOY)
    assert result.ok, result.text()
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    service_port = json.loads((dp100_home / "service" / "service.json").read_text())["port"]
    assert seen["status"] == 200 and seen["scaled"] == [2.0, 4.0], seen
    assert seen["uri"].startswith(f"http://127.0.0.1:{service_port}/_sim/score/"), seen["uri"]

    from sim.cloud import services, workspaces

    record = next(r for r in workspaces.list_workspaces() if r.name == "net-ws")
    found = services.get(record, "net-svc")
    # With the home hidden the server runs in a sandbox of its own: no TCP port at all, only a Unix socket in its
    # folder, which the service reaches and the kernel cannot see (its folder is in the hidden home).
    assert found.port is None, f"a sandboxed scoring server listens on TCP port {found.port}"
    assert _connect(found.folder) == "reached"  # outside, the server answers
    probe = hidden_kernel.execute(f"{inspect.getsource(_connect)}\nprint(_connect({str(found.folder)!r}))")
    assert probe.stdout.startswith("refused"), probe.text()


def _connect(folder):
    """'reached' when the scoring server's socket in `folder` answers a connection, else 'refused' and why (also run
    inside the kernel; through the folder's descriptor, since the socket's full path is too long for AF_UNIX)."""
    import os
    import socket

    try:
        directory = os.open(folder, os.O_PATH)
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.settimeout(10)
                client.connect(f"/proc/self/fd/{directory}/server.sock")
        finally:
            os.close(directory)
    except OSError as exc:
        return f"refused {type(exc).__name__}"
    return "reached"


LOCAL = DEPLOY.replace('"net-svc", [model], InferenceConfig(entry_script="score.py", source_directory="scaler"),',
                       '"local-svc", [model], InferenceConfig(entry_script="score.py", source_directory="scaler"),\n'
                       '                       LocalWebservice.deploy_configuration(port=6789),')
IMPORT = "from azureml.core.model import InferenceConfig"
LOCAL = LOCAL.replace(IMPORT, f"{IMPORT}\nfrom azureml.core.webservice import LocalWebservice")
LOCAL += '''
on_port = requests.post("http://localhost:6789/score", json={"data": [3]}, timeout=120).json()
swagger = requests.get("http://localhost:6789/swagger.json", timeout=60).status_code
again = LocalWebservice(ws, "local-svc")
print(json.dumps({"port": service.port, "on_port": on_port["scaled"], "swagger": swagger,
                  "run": service.run(json.dumps({"data": [5]}))["scaled"], "again": [again.port, again.scoring_uri]}))
service.delete()
try:
    requests.post("http://localhost:6789/score", json={"data": [3]}, timeout=10)
    print("still answering")
except requests.ConnectionError:
    print("gone")
'''


def test_a_local_web_service_deployed_from_the_kernel_answers_on_the_port_asked_for(hidden_kernel):
    # As Docker publishes a local container's port: localhost:6789 in the kernel's own network reaches the server,
    # which runs sandboxed beside the simulated Azure.
    result = hidden_kernel.execute(LOCAL)
    assert result.ok, result.text()
    lines = result.stdout.strip().splitlines()
    first, seen = json.loads(lines[-3]), json.loads(lines[-2])
    assert first == {"uri": "http://127.0.0.1:6789/score", "status": 200, "scaled": [2.0, 4.0]}, first
    assert seen == {"port": 6789, "on_port": [6.0], "swagger": 200, "run": [10.0],
                    "again": [6789, "http://127.0.0.1:6789/score"]}, seen
    assert lines[-1] == "gone", "the local port still answers after the service was deleted"
