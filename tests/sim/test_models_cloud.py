"""Contract tests of `sim.cloud.models` and `sim.cloud.services` (state, processes, no orphans)."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest
import requests

from sim.cloud import models as cloud_models
from sim.cloud import services
from sim.cloud.models import registering
from tests.sim._models_helpers import SCALER_SCRIPT, LabFolder, pid_alive, register_factor, server_pids


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = LabFolder(tmp_path_factory, "cloudsvc")
    folder.write("scaler/score.py", SCALER_SCRIPT)
    folder.model = register_factor(folder.ws, 3.0)
    yield folder
    folder.close()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    return lab.home


def _deploy(lab, name: str, compute_type=services.ACI, port=None) -> services.ServiceRecord:
    return services.deploy(
        lab.ws._record, name, compute_type=compute_type, models=[lab.model._version_record],
        entry_script=lab.work / "scaler" / "score.py", source_directory=lab.work / "scaler", environment=None,
        config={"port": port}, overwrite=False)


def _score(record: services.ServiceRecord, value: float):
    return requests.post(record.scoring_uri, json.dumps({"data": [value]}), timeout=10).json()["scaled"]


def test_registry_round_trip_and_latest_versions(lab):
    record = lab.ws._record
    with cloud_models.staging_dir(record) as staging:
        (staging / "m.txt").write_text("x")
        mv = cloud_models.register(record, staging / "m.txt", "contract-model", tags={"a": 1},
                                   properties={"b": [1, 2]})
        assert not (staging / "m.txt").exists() and mv.path.read_text() == "x"
    assert not staging.exists()
    assert (mv.tags, mv.properties) == ({"a": "1"}, {"b": "[1, 2]"})
    latest = {m.name: m.version for m in cloud_models.latest_versions(record)}
    assert latest["contract-model"] == 1 and cloud_models.get_by_id(record, mv.id) == mv


def test_a_download_never_shows_a_reader_a_half_written_model(lab, tmp_path):
    # The worker processes of a parallel step each download the same model while others load it: every reader must
    # find the whole file (a copy in place truncated it first, and joblib.load met EOFError in notebook 10).
    import threading

    source = lab.work / "big-model.bin"
    source.write_bytes(os.urandom(8 * 2**20))
    version = registering.register_path(lab.ws._record, source, "big-model")
    target = tmp_path / "azureml-models"
    cloud_models.copy_files(version, target, exist_ok=True)
    sizes, done = set(), threading.Event()

    def download():
        for _ in range(15):
            cloud_models.copy_files(version, target, exist_ok=True)
        done.set()

    writer = threading.Thread(target=download)
    writer.start()
    while not done.is_set():
        sizes.add((target / "big-model.bin").stat().st_size)
    writer.join()
    assert sizes == {8 * 2**20}, f"a reader saw the model at {sorted(sizes)} bytes"
    assert sorted(p.name for p in target.iterdir()) == ["big-model.bin"]  # no scratch copy left


def test_deploy_wait_refresh_and_delete(lab):
    record = lab.ws._record
    started = _deploy(lab, "contract-svc")
    assert started.state == services.TRANSITIONING and started.pid
    healthy = services.wait(record, "contract-svc", timeout=60)
    assert healthy.state == services.HEALTHY and healthy.operation_state == "Succeeded"
    assert _score(healthy, 2) == [6.0]
    assert services.services_using(record, lab.model.id) == ["contract-svc"]
    services.delete(record, "contract-svc")
    assert not pid_alive(healthy.pid) and not healthy.folder.exists()
    assert services.list_services(record) == []


def test_a_killed_server_is_detected_and_restarted(lab):
    record = lab.ws._record
    _deploy(lab, "revive-svc")
    first = services.wait(record, "revive-svc", timeout=60)
    os.kill(first.pid, signal.SIGKILL)
    while pid_alive(first.pid) and services._process.is_ours(first.pid, first.folder):
        time.sleep(0.02)
    seen = services.get(record, "revive-svc")  # what an app restart does on its first look
    assert seen.state == services.TRANSITIONING and seen.pid != first.pid
    again = services.wait(record, "revive-svc", timeout=60)
    assert again.state == services.HEALTHY and _score(again, 1) == [3.0]
    services.delete(record, "revive-svc")


def test_restore_all_marks_a_service_without_its_snapshot_stopped(lab):
    import shutil

    record = lab.ws._record
    _deploy(lab, "gone-svc")
    healthy = services.wait(record, "gone-svc", timeout=60)
    services._process.stop(healthy.pid, healthy.folder)
    shutil.rmtree(healthy.folder / "app")
    states = {s.name: s.state for s in services.restore_all(record)}
    assert states["gone-svc"] == services.STOPPED
    assert services.get(record, "gone-svc").error["code"] == "Stopped"
    services.delete(record, "gone-svc")


def test_server_exits_by_itself_when_its_status_file_is_removed(lab):
    record = lab.ws._record
    _deploy(lab, "orphan-svc")
    healthy = services.wait(record, "orphan-svc", timeout=60)
    (healthy.folder / "status.json").unlink()
    deadline = time.monotonic() + 5
    while services._process.is_ours(healthy.pid, healthy.folder) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not services._process.is_ours(healthy.pid, healthy.folder)
    services.delete(record, "orphan-svc")


def test_keys_file_is_private(lab):
    record = lab.ws._record
    services.deploy(record, "keys-svc", compute_type=services.ACI, models=[lab.model._version_record],
                    entry_script=lab.work / "scaler" / "score.py", source_directory=lab.work / "scaler",
                    environment=None, config={}, overwrite=False, auth_enabled=True)
    folder = services.get(record, "keys-svc").folder
    assert oct((folder / "keys.json").stat().st_mode & 0o777) == "0o600"
    primary, secondary = services.keys(record, "keys-svc")
    assert primary != secondary and len(primary) >= 32
    services.delete(record, "keys-svc")


def test_deleting_the_workspace_stops_its_services(tmp_path_factory, lab):
    other = LabFolder(tmp_path_factory, "wsdelete")
    try:
        other.write("scaler/score.py", SCALER_SCRIPT)
        other.model = register_factor(other.ws, 1.0)
        _deploy(other, "doomed-a")
        _deploy(other, "doomed-b")
        services.wait(other.ws._record, "doomed-a", timeout=60)
        assert len(server_pids(other.home)) == 2
        other.ws.delete()
        assert server_pids(other.home) == []
    finally:
        other.close()


DEPLOY_AND_EXIT = '''
import sys
import sim
sim.activate()
from azureml.core import Model, Workspace
from azureml.core.model import InferenceConfig

ws = Workspace.get(name=sys.argv[1], subscription_id=sys.argv[2], resource_group=sys.argv[3])
service = Model.deploy(ws, "outlives-svc", [Model(ws, "factor")],
                       InferenceConfig(entry_script="score.py", source_directory="scaler"))
service.wait_for_deployment()
print(service.scoring_uri)
'''


def test_a_service_outlives_the_process_that_deployed_it(lab):
    import subprocess
    import sys

    from azureml.core import Webservice

    script = lab.write("deploy_and_exit.py", DEPLOY_AND_EXIT)
    ws = lab.ws
    done = subprocess.run([sys.executable, str(script), ws.name, ws.subscription_id, ws.resource_group],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    service = Webservice(ws, "outlives-svc")
    assert service.state == "Healthy" and service.scoring_uri == done.stdout.strip().splitlines()[-1]
    assert service.run(json.dumps({"data": [5]}))["scaled"] == [15.0]
    service.delete()
    assert server_pids(lab.home) == []
