"""Probes: a deployment whose starting process is killed (kill -9 after the record is written, before the server's
pid is saved) must not stay Transitioning/Creating forever, `wait_for_deployment()` must end, and no unrecorded
scoring server may keep running."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from sim import _owner
from sim.cloud.services import _process as proc
from tests.sim._models_helpers import SCALER_SCRIPT, LabFolder, register_factor, servers_still_running

WAIT_LIMIT = 90.0  # seconds the probe lets wait_for_deployment() run before calling it stuck

# Runs in a child process: deploys with `proc.start` (or the starter mark) replaced by a kill -9 of the child at
# the chosen point, exactly as a crash there would leave things.
KILLED_DEPLOY_V1 = """
import os, signal, sys
import sim; sim.activate()
from azureml.core import Model, Workspace
from azureml.core.model import InferenceConfig
from sim.cloud.services import _process as proc

point = sys.argv[1]
real_start, real_mark = proc.start, proc.mark_starter

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def start(folder):
    if point == "after-server-started":
        real_start(folder)
    else:
        real_mark(folder)
    die()

proc.start = start
if point == "before-any-trace":
    proc.mark_starter = lambda folder: die()
ws = Workspace.from_config()
Model.deploy(ws, sys.argv[2], [Model(ws, "factor")],
             InferenceConfig(entry_script="score.py", source_directory="scaler"), overwrite=True)
"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = LabFolder(tmp_path_factory, "faults-deploy")
    folder.write("scaler/score.py", SCALER_SCRIPT)
    register_factor(folder.ws, 2.0)
    folder.ws.write_config()
    yield folder
    folder.close()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    return lab.home


def _killed_deploy(lab, point: str, name: str, script: str = KILLED_DEPLOY_V1) -> None:
    # The child's servers belong to this test process (as a kernel's belong to the app), so a server it started
    # survives its death: the probe checks that the next read stops it.
    env = {**os.environ, _owner.OWNER_ENV: _owner.token()}
    done = subprocess.run([sys.executable, "-c", script, point, name], cwd=lab.work, env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == -9, f"the child was not killed at '{point}': {done.returncode}\n{done.stderr[-2000:]}"


def _wait_ends(service) -> tuple[BaseException | None, float]:
    """Call wait_for_deployment() (no timeout) in a thread; (what it raised, seconds) - or fail when it hangs."""
    outcome: dict = {}

    def wait():
        try:
            service.wait_for_deployment()
        except BaseException as exc:  # noqa: BLE001 - the probe reports what ended the wait
            outcome["raised"] = exc

    started = time.monotonic()
    waiter = threading.Thread(target=wait, daemon=True)
    waiter.start()
    waiter.join(WAIT_LIMIT)
    seconds = time.monotonic() - started
    assert not waiter.is_alive(), f"wait_for_deployment() was still waiting after {seconds:.0f} s"
    return outcome.get("raised"), seconds


@pytest.mark.parametrize("point", ["before-server-started", "after-server-started"])
def test_a_killed_v1_deploy_fails_with_a_message_and_leaves_no_server(lab, point):
    from azureml.core import Webservice

    name = f"killed-{point.split('-')[0]}"
    _killed_deploy(lab, point, name)
    service = Webservice(lab.ws, name)
    raised, seconds = _wait_ends(service)
    assert raised is not None and "interrupted" in str(raised), f"after {seconds:.1f} s: {raised!r}"
    assert service.state == "Failed", f"state {service.state} after the starter was killed ({point})"
    leftovers = servers_still_running(lab.home, name)
    assert leftovers == [], f"{len(leftovers)} unrecorded server(s) still running after {point}"
    service.delete()


def test_a_deploy_killed_before_any_trace_fails_after_the_grace_period(lab, monkeypatch):
    from azureml.core import Webservice

    monkeypatch.setattr(proc, "START_GRACE_SECONDS", 1.0)
    _killed_deploy(lab, "before-any-trace", "killed-early")
    service = Webservice(lab.ws, "killed-early")
    raised, seconds = _wait_ends(service)
    assert service.state == "Failed", f"state {service.state} after {seconds:.1f} s"
    assert "interrupted" in str(raised), raised
    service.delete()


def test_a_live_start_is_not_taken_for_a_killed_one(lab):
    # The starter is this process (alive): the record stays Transitioning until it records its server.
    from sim.cloud import services
    from sim.cloud.services import _table as service_table

    stamp = service_table.now()
    service_table.insert(lab.ws._record, name="starting", compute_type="ACI", state="Transitioning",
                         operation_id="op", operation_state="Running", created_time=stamp, updated_time=stamp,
                         tags={}, properties={}, auth_enabled=False, config={}, model_ids=[], entry_script="")
    folder = service_table.services_dir(lab.ws._record) / "starting"
    folder.mkdir(parents=True)
    proc.mark_starter(folder)
    assert services.get(lab.ws._record, "starting").state == "Transitioning"
    service_table.remove(lab.ws._record, "starting")


# The v2 deployment is killed inside the service operation that `PUT .../deployments/<name>` runs (the same code;
# the child skips importing azure-ai-ml, which costs seconds and adds nothing to the probe).
KILLED_DEPLOY_V2 = """
import os, signal, sys
from pathlib import Path
import sim; sim.activate()
from labs.grading import workspace_from_config
from sim.cloud.endpoints import deployments, online
from sim.cloud.services import _process as proc

real_start = proc.start
def start(folder):
    real_start(folder)
    os.kill(os.getpid(), signal.SIGKILL)
proc.start = start
record = workspace_from_config(Path("."))
online.create_or_update(record, "ep-killed", auth_mode="key")
deployments.create_or_update(record, "ep-killed", sys.argv[2], deployments.DeploymentSpec(
    instance_type="Standard_DS3_v2", model="factor:1", code_folder=Path("scaler"), scoring_script="score.py",
    environment_id="azureml:AzureML-sklearn-1.5@latest"))
"""


def test_a_killed_v2_deployment_becomes_failed_and_its_server_is_stopped(lab):
    from azure.ai.ml import MLClient
    from azure.identity import DefaultAzureCredential

    _killed_deploy(lab, "after-server-started", "blue", KILLED_DEPLOY_V2)
    client = MLClient.from_config(DefaultAzureCredential(), path=str(lab.work))
    started = time.monotonic()
    found = client.online_deployments.get("blue", "ep-killed")
    assert found.provisioning_state == "Failed", (
        f"provisioning state {found.provisioning_state} {time.monotonic() - started:.1f} s after the kill")
    leftovers = servers_still_running(lab.home, "ep-killed")
    assert leftovers == [], f"{len(leftovers)} unrecorded server(s) of the killed deployment still running"
    client.online_endpoints.begin_delete("ep-killed").result()
