"""Probe of a hidden-home kernel's network (its own namespace): a web service deployed from the kernel is scored
through the service's route with unchanged `requests.post(service.scoring_uri)`, and the scoring server's own port,
which the SDK never hands out, cannot be reached from inside the kernel."""

from __future__ import annotations

import json
import socket

import pytest

from labs import sandbox
from labs.kernel import LabKernel, Limits
from labs.sandbox.detect import HIDE_HOME_ENV
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
    sandbox.isolation.cache_clear()
    monkeypatch.setenv(HIDE_HOME_ENV, "1")
    folder = dp100_home / "labs" / "net"
    (folder / "scaler").mkdir(parents=True)
    (folder / "scaler" / "score.py").write_text(SCALER_SCRIPT)
    kernel = LabKernel(folder, Limits(cell_seconds=300, max_processes=16, disk_mb=256))
    kernel.start(timeout=120)
    yield kernel
    kernel.shutdown()
    from sim.cloud import services, workspaces

    for record in workspaces.list_workspaces():
        services.stop_all(record)
    sandbox.isolation.cache_clear()


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
    server_port = services.get(record, "net-svc").port
    socket.create_connection(("127.0.0.1", server_port), timeout=10).close()  # outside, the server answers
    probe = hidden_kernel.execute(
        f"import socket\ntry:\n socket.create_connection(('127.0.0.1', {server_port}), timeout=5)\n print('reached')\n"
        "except OSError as exc:\n print('refused', type(exc).__name__)")
    assert probe.stdout.startswith("refused"), probe.text()
