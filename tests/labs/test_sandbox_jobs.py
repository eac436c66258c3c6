"""The sandbox of a job's user code (labs.sandbox.jobs), without the simulator: its switch, its settings, the folder
quota it watches and what is left of it after the code ends; the warm start (a forked process that joins a running
sandbox, labs.sandbox.enter) and the job host's refusal of a sandboxed caller."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import pytest

from labs.sandbox import isolation
from labs.sandbox import jobs as job_boxes
from tests.processes import alive_with


def test_jobs_are_sandboxed_when_the_service_starts_them_with_the_home_hidden_or_everywhere_when_asked():
    assert isolation().bwrap, f"this machine kind has bubblewrap: {isolation().summary()}"
    assert job_boxes.wanted(started_by_service=True, env={}) is True  # the default hides the home
    assert job_boxes.wanted(started_by_service=False, env={}) is False  # a process that sees the home itself
    assert job_boxes.wanted(started_by_service=False, env={"DP100_SANDBOX_HIDE_HOME": "1"}) is True
    assert job_boxes.wanted(started_by_service=True, env={"DP100_SANDBOX_HIDE_HOME": "0"}) is False
    assert job_boxes.wanted(started_by_service=True, env={"DP100_SANDBOX": "off"}) is False


def test_a_job_memory_setting_that_is_no_number_says_what_to_write():
    assert job_boxes.memory_mb({}) == job_boxes.DEFAULT_MEMORY_MB
    assert job_boxes.memory_mb({"DP100_JOB_MEMORY_MB": "1024"}) == 1024
    with pytest.raises(ValueError, match="DP100_JOB_MEMORY_MB must be a whole number of megabytes, not 'lots'"):
        job_boxes.memory_mb({"DP100_JOB_MEMORY_MB": "lots"})


def test_code_that_fills_its_folder_is_stopped_and_leaves_nothing_running(tmp_path, monkeypatch, dp100_home):
    assert isolation().bwrap, f"this machine kind has bubblewrap: {isolation().summary()}"
    monkeypatch.setenv("DP100_LAB_DISK_MB", "20")
    folder = tmp_path / "wd"
    folder.mkdir()
    token = f"300.{uuid.uuid4().int % 10**9}"
    script = (f"(setsid sleep {token} &); for i in $(seq 1 60); do head -c 1048576 /dev/zero > part-$i; done; "
              "sleep 60")
    dp100_home.mkdir(parents=True, exist_ok=True)
    box = job_boxes.job_sandbox(folder, dp100_home)
    started = time.monotonic()
    with open(tmp_path / "log", "wb") as log:
        code = job_boxes.run(box, ["sh", "-c", script], dict(os.environ), log)
    assert code == job_boxes.QUOTA_EXIT, (tmp_path / "log").read_text()
    assert time.monotonic() - started < 45, "the folder's quota was not enforced while the code slept"
    deadline = time.monotonic() + 15
    while alive_with(token) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive_with(token) == [], "a setsid daemon of the job outlived its sandbox"


# ---- the warm start: a forked process that joins a job's sandbox (labs.sandbox.enter) ------------------------------
# What the joined process reports, as JSON on the descriptor named by `report`.
def _look_around(home: Path, folder: Path, token: str, host_port: int) -> dict:
    import socket
    import subprocess

    found = {"pid": os.getpid(), "ppid": os.getppid(), "home": sorted(os.listdir(home)),
             "status": [line for line in Path("/proc/self/status").read_text().splitlines()
                        if line.startswith(("Cap", "NoNewPrivs", "Groups"))],
             "cgroup": Path("/proc/self/cgroup").read_text(), "cwd": os.getcwd()}
    (folder / "written.txt").write_text("the job's folder is writable")
    try:
        Path("/usr/written.txt").write_text("x")
        found["system"] = "writable"
    except OSError as exc:
        found["system"] = type(exc).__name__
    try:
        socket.create_connection(("127.0.0.1", host_port), timeout=2).close()
        found["host_port"] = "reached"
    except OSError as exc:
        found["host_port"] = type(exc).__name__
    subprocess.Popen(["sleep", token], start_new_session=True)  # a daemon left behind
    return found


def _joined_report(box, tmp_path: Path, token: str, host_port: int) -> dict:
    """Start a holder in `box`, fork a waiter (as the job host does) that forks a process into the box, and return
    what that process saw. The holder is left running; the caller ends it."""
    import json

    from labs.sandbox import enter

    with open(tmp_path / "holder.log", "wb") as log:
        holder = job_boxes.Holder.start(box, dict(os.environ), log)
    assert holder is not None, (tmp_path / "holder.log").read_text()
    fds = enter.namespace_files(holder.init_pid)
    read_end, write_end = os.pipe()
    waiter = os.fork()
    if waiter == 0:  # the host's waiter: joins cgroup and PID namespace, forks the job, waits
        code = 1
        try:
            job = enter.fork_into(fds, [str(p) for p in box.cgroup.procs_files], box.folder)
            if job == 0:
                os.write(write_end, json.dumps(_look_around(box.home, box.folder, token, host_port)).encode())
                os._exit(0)
            code = os.waitstatus_to_exitcode(os.waitpid(job, 0)[1])
        finally:
            os._exit(code)
    os.close(write_end)
    enter.close_all(fds)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    assert os.waitstatus_to_exitcode(os.waitpid(waiter, 0)[1]) == 0, data
    return {"holder": holder, **json.loads(data)}


def test_a_process_forked_into_a_job_sandbox_has_its_walls_and_nothing_of_it_outlives_the_holder(
        tmp_path, monkeypatch):
    import socket

    from labs.sandbox import Policy, Sandbox, SandboxLimits

    assert isolation().cgroup, f"this machine kind has cgroups: {isolation().summary()}"
    home, folder = tmp_path / "home", tmp_path / "home" / "cloud" / "jobs" / "run-1" / "wd"
    folder.mkdir(parents=True)
    (home / "progress.db").write_text("the learner's record")
    service = tmp_path / "service" / "service.sock"  # stands in for the simulated Azure's socket
    service.parent.mkdir()
    monkeypatch.setattr(Sandbox, "keep_service", lambda self: str(service))
    box = Sandbox(folder, home, SandboxLimits(512, 64), policy=Policy(True, True, True))
    box.prepare()
    token = f"300.{uuid.uuid4().int % 10**9}"
    with socket.socket() as listener:  # a server on the machine's loopback, which the job must not reach
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        try:
            seen = _joined_report(box, tmp_path, token, listener.getsockname()[1])
            assert alive_with(token), "the probe's daemon never started"
            seen["holder"].end()
            deadline = time.monotonic() + 15
            while alive_with(token) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert alive_with(token) == [], "a daemon the joined job left outlived its sandbox's holder"
        finally:
            box.close()
    assert seen["ppid"] == 0 and 1 < seen["pid"] < 10, seen  # a member of the sandbox's own PID namespace
    assert seen["home"] == ["cloud"], seen  # the record is hidden: only the job's folder shows through
    assert seen["cwd"] == str(folder) and (folder / "written.txt").exists()
    assert seen["system"] == "OSError" and seen["host_port"] in ("ConnectionRefusedError", "OSError"), seen
    status = dict(line.split(":\t") for line in seen["status"])
    assert {status[k] for k in ("CapInh", "CapPrm", "CapEff", "CapAmb", "CapBnd")} == {"0000000000000000"}, status
    assert status["NoNewPrivs"] == "1" and status["Groups"].strip() == "", status
    assert box.id in seen["cgroup"], seen["cgroup"]  # counted (and stopped) with the job's cgroup


def test_a_process_that_is_no_sandbox_cannot_be_joined():
    from labs.sandbox import enter

    with pytest.raises(enter.CannotJoin, match="no PID and mount namespace of its own: it is no job sandbox"):
        enter.namespace_files(os.getpid())


def test_a_job_whose_warm_start_is_not_offered_starts_fresh_in_the_same_walls(tmp_path, dp100_home):
    folder = tmp_path / "wd"
    folder.mkdir()
    dp100_home.mkdir(parents=True, exist_ok=True)
    box = job_boxes.job_sandbox(folder, dp100_home)
    with open(tmp_path / "log", "wb") as log:
        code = job_boxes.run(box, ["sh", "-c", "echo fresh start; exit 3"], dict(os.environ), log,
                             warm=lambda *_args: None)
    assert code == 3 and "fresh start" in (tmp_path / "log").read_text()


def test_the_warm_start_switch_says_when_jobs_start_fresh():
    assert job_boxes.warm_wanted({}) is True
    assert job_boxes.warm_wanted({"DP100_JOB_SANDBOX_WARM": "0"}) is False


def test_the_job_host_refuses_a_process_in_a_sandbox(tmp_path):
    """A sandboxed process that shares the host's network (DP100_SANDBOX_OWN_NETWORK=0) could reach the host's
    abstract socket: the host checks the peer's mount namespace and refuses one that is not its own."""
    import socket
    import subprocess
    import sys

    from sim import _jobhost

    name = f"dp100-test-peer-{uuid.uuid4().hex[:8]}"
    connect = f"import socket; s = socket.socket(socket.AF_UNIX); s.connect('\\0{name}'); s.recv(1)"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind("\0" + name)
        listener.listen(2)
        outside = subprocess.Popen([sys.executable, "-c", connect])
        inside = subprocess.Popen([isolation().bwrap, "--die-with-parent", "--ro-bind", "/", "/", "--dev", "/dev",
                                   "--proc", "/proc", "--unshare-pid", "--tmpfs", "/tmp",
                                   *_code_binds(), sys.executable, "-c", connect])
        verdicts = {}
        try:
            for _ in range(2):
                conn, _addr = listener.accept()
                with conn:
                    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
                    verdicts[int.from_bytes(creds[:4], "little")] = _jobhost._same_mount_namespace(conn)
        finally:
            for proc in (outside, inside):
                proc.kill()
                proc.wait()
    assert verdicts.get(outside.pid) is True, verdicts
    assert False in verdicts.values() and len(verdicts) == 2, verdicts


def _code_binds() -> list[str]:
    from labs.sandbox.box import _code_under_tmp

    return [arg for path in _code_under_tmp() for arg in ("--ro-bind", str(path), str(path))]
