"""The service's life: started on demand, one per home, stopped when idle or asked, restarted after a crash."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time

import pytest

from dp100 import cli, doctor
from sim import service
from sim.service import launcher, locations

from .conftest import service_pids

WAIT_SECONDS = 60.0


def _wait_until(condition, timeout=WAIT_SECONDS):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_first_call_starts_the_service_on_a_private_socket(process_mode):
    assert service.status()["running"] is False
    assert service.call("sim.cloud.workspaces", "list_workspaces") == []
    record = launcher.running_record()
    assert record is not None and service_pids(process_mode) == [record["pid"]]
    mode = os.stat(record["socket"]).st_mode
    assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o600
    assert stat.S_IMODE(os.stat(locations.token_path()).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(locations.folder()).st_mode) == 0o700


def test_two_concurrent_starters_get_one_service(process_mode):
    code = "from sim.service import launcher; print(launcher.ensure_running()['pid'])"
    starters = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
                for _ in range(3)]
    pids = {int(p.communicate(timeout=120)[0].strip()) for p in starters}
    assert len(pids) == 1
    assert service_pids(process_mode) == list(pids)


def test_idle_service_stops_and_cleans_up(process_mode, monkeypatch):
    monkeypatch.setenv("DP100_SERVICE_IDLE_SECONDS", "1")
    record = service.ensure_running()
    assert _wait_until(lambda: not launcher.pid_alive(record["pid"]))
    assert locations.read_record() is None
    assert not os.path.exists(record["socket"])
    assert service_pids(process_mode) == []
    assert "stopping: idle" in locations.log_path().read_text()


def test_killed_service_is_started_again_on_the_next_call(process_mode):
    first = service.ensure_running()
    os.kill(first["pid"], signal.SIGKILL)
    assert _wait_until(lambda: not launcher.pid_alive(first["pid"]))
    assert service.call("sim.cloud.workspaces", "list_workspaces") == []
    second = launcher.running_record()
    assert second["pid"] != first["pid"]
    assert service_pids(process_mode) == [second["pid"]]


def test_a_service_that_cannot_start_says_why_and_where_its_log_is(process_mode, monkeypatch):
    monkeypatch.setenv("DP100_SERVICE_IDLE_SECONDS", "soon")
    with pytest.raises(service.ServiceStartError) as caught:
        service.ensure_running()
    text = str(caught.value)
    assert "could not start" in text and "exited with code 1" in text
    assert str(locations.log_path()) in text and "DP100_SERVICE_IDLE_SECONDS='soon'" in text


def test_long_home_paths_get_a_socket_in_the_private_runtime_folder(process_mode, monkeypatch, tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    monkeypatch.setenv("DP100_HOME", str(deep))
    record = service.ensure_running()
    assert len(record["socket"].encode()) <= locations.MAX_SOCKET_PATH
    assert not record["socket"].startswith(str(deep))
    assert stat.S_IMODE(os.stat(os.path.dirname(record["socket"])).st_mode) == 0o700
    assert service.call("sim.cloud.workspaces", "list_workspaces") == []
    service.stop()


def test_cli_status_and_stop(process_mode, capsys):
    assert cli.main(["service", "status"]) == 3
    assert "not running" in capsys.readouterr().out
    assert cli.main(["service", "start"]) == 0
    pid = launcher.running_record()["pid"]
    capsys.readouterr()
    assert cli.main(["service", "status", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["running"] and shown["pid"] == pid and shown["home"] == str(process_mode.resolve())
    said = dict(doctor.report())["simulated Azure"]
    assert said.startswith("process mode (DP100_SERVICE) here") and f"; service running (pid {pid}," in said, said
    assert cli.main(["service", "stop"]) == 0
    assert capsys.readouterr().out.strip() == "stopped"
    assert not launcher.pid_alive(pid) and service_pids(process_mode) == []


def test_reset_stops_the_service(process_mode):
    from dp100 import reset

    pid = service.ensure_running()["pid"]
    reset.wipe_home()
    assert not launcher.pid_alive(pid)


def test_a_wrong_mode_is_named(monkeypatch):
    monkeypatch.setenv("DP100_SERVICE", "remote")
    with pytest.raises(ValueError, match="DP100_SERVICE='remote' is not a service mode"):
        locations.mode()


def test_a_service_started_from_a_process_whose_state_is_hidden_still_owns_the_state(process_mode, monkeypatch):
    # The starter may be a process that must not touch the state itself (DP100_STATE_HIDDEN=1, as in a sandboxed
    # kernel); the service it starts is the state's owner and must not inherit that refusal (MLflow answered 500).
    from sim.cloud import workspaces
    from sim.service import channel

    workspaces.create("00000000-0000-0000-0000-000000000000", "rg-own", "mlw-own", location="eastus")
    monkeypatch.setenv("DP100_STATE_HIDDEN", "1")
    service.ensure_running()
    url = ("https://eastus.api.azureml.ms/mlflow/v1.0/subscriptions/00000000-0000-0000-0000-000000000000/"
           "resourceGroups/rg-own/providers/Microsoft.MachineLearningServices/workspaces/mlw-own"
           "/api/2.0/mlflow/experiments/create")
    status, _, answer = channel.send("POST", url, {"Content-Type": "application/json"}, b'{"name": "owned"}')
    assert status == 200, answer[:300]
    assert service.call("sim.cloud.workspaces", "list_workspaces")[0].name == "mlw-own"
    monkeypatch.delenv("DP100_STATE_HIDDEN")  # before the service is stopped, which reads its home
