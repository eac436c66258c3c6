"""Probes of the sandbox of submitted jobs: a training script (SDK v1 ScriptRunConfig, SDK v2 command job) that
tries to read the learner's record or another workspace, detach a daemon with a setsid double fork, serve on
0.0.0.0 and write 1 GB. With the home hidden (DP100_SANDBOX_HIDE_HOME=1) its user code runs in a sandbox
(labs.sandbox.jobs): each of these is contained, nothing of it survives the job, and the job still reaches the
simulated Azure through the service (a metric it logs is there).

They need the isolation this machine kind gives ("full": bubblewrap and cgroup v1 as root).
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from pathlib import Path

import pytest

from labs.sandbox import FULL, isolation
from sim.cloud.runs import jobs
from tests.faults.test_sandbox_escapes import _answers
from tests.processes import alive_with
from tests.sim.conftest import sim_active  # noqa: F401 - a fixture, found by name
from tests.sim.service.conftest import service_pids

SUB = "00000000-0000-0000-0000-000000000000"
DISK_MB = 50

# argv: a unique number of seconds (a daemon's mark on its command line), a free port, the learner's record (an
# argument naming it must not open it), the folder of every workspace's state, the service's TCP port. It prints one
# line "REPORT {...}", logs the metric probe=1 to its run, then writes 1 GB.
PROBE = r"""
import json, os, socket, sys, time

token, port, secret, other = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
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

attempt("secret", lambda: open(secret).read())
report["ppid"] = os.getppid()  # 0: its parent is outside its PID namespace (the warm start's waiter)
report["privileges"] = [line for line in open("/proc/self/status").read().splitlines()
                        if line.startswith(("Cap", "NoNewPrivs"))]
report["descriptors"] = {}
for fd in os.listdir("/proc/self/fd"):
    try:
        report["descriptors"][fd] = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        pass  # the listing's own descriptor, closed by now

def ping_service(service_port):  # the service's port on the job's own loopback: its forwarder answers there
    with socket.create_connection(("127.0.0.1", service_port), timeout=30) as conn:
        conn.sendall(b"GET /_sim/ping HTTP/1.0\r\nHost: service\r\n\r\n")
        answer = b""
        while data := conn.recv(65536):
            answer += data
    return json.loads(answer.split(b"\r\n\r\n", 1)[1])["port"]

report["service_port_given"] = int(sys.argv[5])
attempt("service_port", lambda: ping_service(int(sys.argv[5])))
attempt("state_files", lambda: sorted(os.path.join(d, f) for d, _, files in os.walk(other) for f in files
                                      if f.endswith((".db", ".db-wal", ".json")) and f != "job.json"))
if os.path.islink("record-link"):  # a link in the source folder to the learner's record
    attempt("linked_record", lambda: open("record-link").read())
daemonise(["sleep", token])
daemonise([sys.executable, "-m", "http.server", "--bind", "0.0.0.0", str(port)])
deadline = time.time() + 60
while time.time() < deadline and "served" not in report:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        report["served"] = True
    except OSError:
        time.sleep(0.1)
print("REPORT " + json.dumps(report), flush=True)
#LOG#

def one_gigabyte():
    with open("big.bin", "wb") as fh:
        for _ in range(1024):
            fh.write(b"\0" * (1 << 20))
    return "wrote 1 GB"

attempt("big_file", one_gigabyte)
print("BIG " + report["big_file"], flush=True)
time.sleep(30)  # the folder now holds more than its quota: the job's keeper stops it within a second or two
print("NOT STOPPED", flush=True)
"""
V1_LOGS = "from azureml.core import Run\nRun.get_context().log('probe', 1)\nRun.get_context().flush()"
V2_LOGS = "import mlflow\nmlflow.log_metric('probe', 1)"


@pytest.fixture(autouse=True)
def full_isolation():
    found = isolation()
    assert found.level == FULL, f"these probes expect full isolation here: {found.summary()}"


@pytest.fixture
def hidden_home(monkeypatch, dp100_home):
    """The home hidden from sandboxes, a small disk quota, and a secret beside the learner's record."""
    monkeypatch.setenv("DP100_SANDBOX_HIDE_HOME", "1")
    monkeypatch.setenv("DP100_LAB_DISK_MB", str(DISK_MB))
    monkeypatch.setenv("DP100_SERVICE_IDLE_SECONDS", "300")
    dp100_home.mkdir(parents=True, exist_ok=True)
    (dp100_home / "progress.db").write_text("the learner's record")
    return dp100_home


def _probe_args(home: Path) -> tuple[str, int, list[str]]:
    token = f"600.{uuid.uuid4().int % 10**9}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    other = home / "cloud"  # every workspace's state
    from sim.service import launcher

    service_port = launcher.ensure_running()["port"]
    return token, port, [token, str(port), str(home / "progress.db"), str(other), str(service_port)]




def _gone_within(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return not condition()


def _report(log: str) -> dict:
    lines = [line for line in log.splitlines() if line.startswith("REPORT ")]
    assert lines, f"the probe printed no report; its log:\n{log[-3000:]}"
    return json.loads(lines[-1][len("REPORT "):])


def _assert_contained(log: str, token: str, port: int, work_dir: Path, warm: bool = True) -> None:
    report = _report(log)
    _assert_started_as(report, warm)
    # the service answers on its port on the job's own loopback (through the forwarder inside)
    assert report["service_port"] == report["service_port_given"], report
    assert "BIG OSError: [Errno 27] File too large" in log, log[-3000:]  # RLIMIT_FSIZE: one file, at the quota
    assert "past its quota of 50 MB" in log and "NOT STOPPED" not in log, log[-3000:]  # the folder's size check
    assert not (work_dir / "big.bin").exists() or (work_dir / "big.bin").stat().st_size <= DISK_MB << 20
    assert report["secret"].startswith(("FileNotFoundError", "PermissionError")), report["secret"]
    # only the job's own folders are bound under the home: no workspace's state.db, MLflow store or record shows
    assert report["state_files"] == [] or str(report["state_files"]).startswith("FileNotFoundError"), report
    assert report.get("linked_record", "FileNotFoundError").startswith(("FileNotFoundError", "PermissionError"))
    assert report.get("served") is True, "the probe's http.server never answered (the probe itself is broken)"
    assert _gone_within(lambda: bool(alive_with(token))), f"the double-forked daemon outlived the job: {token}"
    assert _gone_within(lambda: _answers(port)), f"something still answers on port {port} after the job ended"


def _assert_started_as(report: dict, warm: bool) -> None:
    """A warm job was forked from the job host into its sandbox: its parent (the host's waiter) is outside its PID
    namespace. A fresh one is bwrap's command: its parent is the namespace's init. Either way it holds no
    privilege and can gain none, as bwrap --cap-drop ALL leaves it."""
    assert report["ppid"] == (0 if warm else 1), report
    status = dict(line.split(":\t") for line in report["privileges"])
    assert {status[k] for k in ("CapInh", "CapPrm", "CapEff", "CapAmb")} == {"0000000000000000"}, status
    assert status["NoNewPrivs"] == "1", status
    if warm:  # nothing the host had open reaches in: stdin, stdout, stderr, and the pipe that takes its exit code
        others = {fd: target for fd, target in report["descriptors"].items() if fd not in ("0", "1", "2")}
        assert len(others) <= 1 and all(t.startswith("pipe:") for t in others.values()), report["descriptors"]


@pytest.mark.usefixtures("sim_active")
@pytest.mark.parametrize("warm", [True, False], ids=["warm", "fresh"])
def test_a_v1_script_run_started_by_the_service_is_contained(hidden_home, monkeypatch, tmp_path, warm):
    from azureml.core import Experiment, ScriptRunConfig, Workspace

    monkeypatch.setenv("DP100_SERVICE", "process")  # the service, not this process, starts the job's runner
    if not warm:  # the fresh start (a new interpreter inside bwrap) stays the fallback: it holds the same walls
        monkeypatch.setenv("DP100_JOB_SANDBOX_WARM", "0")
    ws = Workspace.create("mlw-probe", subscription_id=SUB, resource_group="rg-probe", create_resource_group=True,
                          location="eastus")
    src = tmp_path / "src"
    src.mkdir()
    (src / "probe.py").write_text(PROBE.replace("#LOG#", V1_LOGS))
    (src / "record-link").symlink_to(hidden_home / "progress.db")
    token, port, argv = _probe_args(hidden_home)
    run = Experiment(ws, "probe").submit(ScriptRunConfig(source_directory=str(src), script="probe.py",
                                                         arguments=argv))
    run.wait_for_completion(raise_on_error=False)
    log = run.get_details_with_logs()["logFiles"]["azureml-logs/70_driver_log.txt"]
    assert run.get_status() == "Failed", log[-3000:]
    _assert_contained(log, token, port, jobs.job_folder(ws._record, run.id) / "wd", warm)
    # the script logged through the service: the metric is in the run
    assert run.get_metrics().get("probe") == 1


@pytest.mark.usefixtures("sim_active")
def test_a_v2_command_job_is_contained(hidden_home, tmp_path):
    from azure.ai.ml import MLClient, command
    from azure.identity import DefaultAzureCredential

    from sim.cloud import workspaces

    workspaces.create(SUB, "rg-probe", "mlw-probe2", location="eastus")
    ml_client = MLClient(DefaultAzureCredential(), SUB, "rg-probe", "mlw-probe2")
    src = tmp_path / "src"
    src.mkdir()
    (src / "probe.py").write_text(PROBE.replace("#LOG#", V2_LOGS))
    token, port, argv = _probe_args(hidden_home)
    job = ml_client.create_or_update(command(code=str(src), command="python probe.py " + " ".join(argv),
                                             environment="AzureML-sklearn-1.5@latest", experiment_name="probe"))
    deadline = time.monotonic() + 300
    while ml_client.jobs.get(job.name).status not in ("Completed", "Failed", "Canceled"):
        assert time.monotonic() < deadline, "the command job did not end within 300 s"
        time.sleep(0.2)
    record = workspaces.get(SUB, "rg-probe", "mlw-probe2")
    from sim import _runner

    log = _runner.command_log_path(record, {"run_id": job.name, "log_file": "user_logs/std_log.txt"}).read_text()
    assert ml_client.jobs.get(job.name).status == "Failed", log[-3000:]
    _assert_contained(log, token, port, jobs.job_folder(record, job.name) / "wd")
    import mlflow

    assert mlflow.tracking.MlflowClient(record.mlflow_uri).get_run(job.name).data.metrics.get("probe") == 1


@pytest.mark.usefixtures("sim_active")
def test_nothing_of_a_running_job_survives_the_service_stop(hidden_home, monkeypatch, tmp_path):
    from azureml.core import Experiment, ScriptRunConfig, Workspace

    from sim.service import launcher

    monkeypatch.setenv("DP100_SERVICE", "process")
    ws = Workspace.create("mlw-stop", subscription_id=SUB, resource_group="rg-stop", create_resource_group=True,
                          location="eastus")
    src = tmp_path / "src"
    src.mkdir()
    token = f"900.{uuid.uuid4().int % 10**9}"
    (src / "hang.py").write_text("import subprocess, sys, time\nsubprocess.Popen(['sleep', sys.argv[1]])\n"
                                 "print('started', flush=True)\ntime.sleep(900)\n")
    run = Experiment(ws, "hang").submit(ScriptRunConfig(source_directory=str(src), script="hang.py",
                                                        arguments=[token]))
    assert _gone_within(lambda: not alive_with(token), seconds=180), "the job never started its sleeper"
    assert run.get_status() == "Running"
    pids = service_pids(hidden_home)
    launcher.stop()
    assert _gone_within(lambda: bool(alive_with(token))), f"a process of the job outlived the service: {token}"
    assert not any(launcher.pid_alive(p) for p in pids)


@pytest.mark.usefixtures("sim_active")
def test_a_canceled_warm_job_leaves_nothing_running(hidden_home, monkeypatch, tmp_path):
    """run.cancel() signals the runner, which ends the job's holder: the job (forked into the sandbox, no child of
    the runner) and a daemon it started go with the sandbox's PID namespace."""
    from azureml.core import Experiment, ScriptRunConfig, Workspace

    monkeypatch.setenv("DP100_SERVICE", "process")
    ws = Workspace.create("mlw-cancel", subscription_id=SUB, resource_group="rg-cancel", create_resource_group=True,
                          location="eastus")
    src = tmp_path / "src"
    src.mkdir()
    token = f"700.{uuid.uuid4().int % 10**9}"
    (src / "hang.py").write_text("import os, subprocess, sys, time\n"
                                 "subprocess.Popen(['sleep', sys.argv[1]], start_new_session=True)\n"
                                 "print('parent', os.getppid(), flush=True)\ntime.sleep(900)\n")
    run = Experiment(ws, "hang").submit(ScriptRunConfig(source_directory=str(src), script="hang.py",
                                                        arguments=[token]))
    assert _gone_within(lambda: not alive_with(token), seconds=180), "the job never started its sleeper"
    run.cancel()
    assert run.wait_for_completion(raise_on_error=False)["status"] == "Canceled"
    assert _gone_within(lambda: bool(alive_with(token))), f"a process of the canceled job outlived it: {token}"
    log = run.get_details_with_logs()["logFiles"]["azureml-logs/70_driver_log.txt"]
    assert "parent 0" in log, log[-2000:]  # it was the warm start (its parent outside its PID namespace)
