"""Web services of an unknown type (Webservice get/list/logs/run/update/delete) and scoring server processes
that die or never start."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest

from tests.sim._data_helpers import new_workspace

pytestmark = pytest.mark.usefixtures("sim_active")


@pytest.fixture(scope="module")
def ws(sim_active, tmp_path_factory):
    """A workspace holding 'edge-svc', a service of type MIR (no Webservice class simulates that type)."""
    from sim.cloud.services import _table as table

    mp = pytest.MonkeyPatch()
    mp.setenv("DP100_HOME", str(tmp_path_factory.mktemp("svc") / "home"))
    ws = new_workspace("svc-gaps-ws")
    stamp = table.now()
    table.insert(ws._record, name="edge-svc", compute_type="MIR", state="Healthy", operation_id=str(uuid.uuid4()),
                 operation_state="Succeeded", created_time=stamp, updated_time=stamp, description="edge",
                 tags={"team": "iot"}, properties={}, auth_enabled=False, config={}, model_ids=["m:1"],
                 entry_script="score.py", port=None, pid=None)
    folder = table.services_dir(ws._record) / "edge-svc"
    folder.mkdir(parents=True)
    (folder / "server.log").write_text("".join(f"line {i}\n" for i in range(1, 11)))
    yield ws
    mp.undo()


def test_getting_a_service_of_unknown_type(ws):
    from azureml.core.webservice import UnknownWebservice, Webservice

    service = Webservice(ws, "edge-svc")
    assert type(service) is UnknownWebservice
    assert (service.name, service.compute_type, service.tags, service.scoring_uri) == ("edge-svc", "MIR",
                                                                                      {"team": "iot"}, None)
    assert service.serialize()["computeType"] == "MIR"
    assert "UnknownWebservice(" in repr(service)


def test_listing_includes_it_and_filters_by_type(ws):
    from azureml.core.webservice import UnknownWebservice, Webservice

    assert [type(s) for s in Webservice.list(ws, compute_type="MIR")] == [UnknownWebservice]
    assert Webservice.list(ws, compute_type="ACI") == []
    assert [s.name for s in Webservice.list(ws, tags=[["team", "iot"]])] == ["edge-svc"]


def test_logs_are_readable(ws):
    from azureml.core.webservice import Webservice

    service = Webservice(ws, "edge-svc")
    assert service.get_logs(num_lines=2) == "line 9\nline 10\n"
    assert service.get_logs().count("\n") == 10


@pytest.mark.parametrize(("call", "action"), [
    (lambda s: s.run('{"data": [1]}'), "run"), (lambda s: s.update({"team": "edge"}), "update"),
    (lambda s: s.get_token(), "get a token for"),
])
def test_calling_or_updating_it_is_refused_like_the_sdk(ws, call, action):
    from azureml.core.webservice import Webservice

    with pytest.raises(NotImplementedError, match=f"Cannot {action} the service 'edge-svc': its compute type MIR"):
        call(Webservice(ws, "edge-svc"))


def test_unknown_name_and_delete(ws):
    from azureml.core.webservice import Webservice
    from azureml.exceptions import WebserviceException

    with pytest.raises(WebserviceException, match="WebserviceNotFound"):
        Webservice(ws, "no-such-svc")
    service = Webservice(ws, "edge-svc")
    folder = service._record.folder
    service.delete()
    assert service.state == "Deleting" and not folder.exists()
    with pytest.raises(WebserviceException, match="WebserviceNotFound"):
        Webservice(ws, "edge-svc")


# ---- the scoring server process -----------------------------------------------------------------------


@pytest.fixture()
def folder(tmp_path):
    service = tmp_path / "svc"
    (service / "app").mkdir(parents=True)
    return service


def test_a_server_whose_snapshot_is_gone_will_not_start_and_says_where_to_look(folder):
    from sim.cloud.errors import ServiceError
    from sim.cloud.services import _process as proc

    (folder / "app").rmdir()
    with pytest.raises(ServiceError, match="could not be started") as caught:
        proc.start(folder)
    assert str(folder / proc.LOG_FILE) in str(caught.value)
    assert "could not be launched" in (folder / proc.LOG_FILE).read_text()


def test_a_server_that_dies_at_start_up_is_no_longer_ours(folder):
    from sim.cloud.services import _process as proc

    pid = proc.start(folder)  # no service.json: the detached server exits as soon as it reads its config
    assert proc._wait_gone(pid, 30.0)
    assert not proc.is_ours(pid, folder) and not proc.serving(pid, folder, None)
    assert "service.json" in (folder / proc.LOG_FILE).read_text()
    proc.stop(pid, folder, grace=0.1)  # stopping a dead server is harmless


def test_a_process_that_is_not_our_server_is_never_signalled(folder):
    from sim.cloud.services import _process as proc

    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        assert not proc.is_ours(other.pid, folder)
        assert not proc.serving(other.pid, folder, None)
        proc.stop(other.pid, folder, grace=0.1)
        assert other.poll() is None  # a foreign (or recycled) pid is left alone
    finally:
        other.communicate(b"")
    assert not proc.is_ours(None, folder) and not proc.is_ours(other.pid, folder)  # reaped: gone
    proc.stop(None, folder)  # no pid: nothing to do


def test_a_server_that_dies_is_detected_and_stop_is_idempotent(folder):
    from sim.cloud.services import _process as proc

    # A stand-in whose command line names the server module and the folder, as a real server's does.
    fake = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()", proc.SERVER_MODULE, str(folder)],
                            stdin=subprocess.PIPE, start_new_session=True)
    try:
        # Popen returns once exec has begun, and the new command line shows a moment later (CI saw it empty).
        deadline = time.monotonic() + 10
        while str(folder) not in (proc._cmdline(fake.pid) or "") and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.is_ours(fake.pid, folder)
        assert proc.serving(fake.pid, folder, None)
        proc.stop(fake.pid, folder, grace=5.0)
        assert fake.wait(timeout=5) != 0  # SIGTERM'd
    finally:
        if fake.poll() is None:
            fake.kill()
            fake.wait()
    assert not proc.is_ours(fake.pid, folder) and not proc.serving(fake.pid, folder, 1)
    proc.stop(fake.pid, folder, grace=0.1)


def test_status_keys_and_log_files(folder):
    from sim.cloud.services import _process as proc

    assert proc.read_status(folder) is None
    (folder / proc.STATUS_FILE).write_text("{not json")
    assert proc.read_status(folder) is None
    proc.write_json(folder / proc.STATUS_FILE, {"pid": 1, "state": "Healthy"})
    assert proc.read_status(folder) == {"pid": 1, "state": "Healthy"}
    proc.write_json(folder / proc.KEYS_FILE, {"primaryKey": "k"})
    assert os.stat(folder / proc.KEYS_FILE).st_mode & 0o777 == 0o600
    assert proc.tail(folder / "missing.log", 5) == ""
    (folder / proc.LOG_FILE).write_text("a\nb\nc\n")
    assert proc.tail(folder / proc.LOG_FILE, 2) == "b\nc\n" and proc.tail(folder / proc.LOG_FILE, 0) == "a\nb\nc\n"
    assert not proc.port_open(None) and not proc.port_open(1, timeout=0.2)


STUBBORN = ("import signal, sys; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); "
            "sys.stdin.read()")


@pytest.mark.parametrize("own_session", [True, False])
def test_a_server_that_ignores_sigterm_is_killed(folder, own_session):
    from sim.cloud.services import _process as proc

    stubborn = subprocess.Popen([sys.executable, "-c", STUBBORN, proc.SERVER_MODULE, str(folder)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=own_session)
    try:
        assert stubborn.stdout.readline() == b"ready\n"  # its SIGTERM handler is in place
        proc.stop(stubborn.pid, folder, grace=0.3)
        assert stubborn.wait(timeout=5) == -9  # SIGKILL after the grace period
    finally:
        if stubborn.poll() is None:
            stubborn.kill()
            stubborn.wait()
        stubborn.stdout.close()
    assert proc._gone(stubborn.pid)


def test_port_open_sees_a_listening_server():
    import socket

    from sim.cloud.services import _process as proc

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert proc.port_open(listener.getsockname()[1])
