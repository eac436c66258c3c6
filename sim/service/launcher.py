"""Start the service of the current DP100_HOME on demand, find it, say how it is, stop it.

Starting is serialised by an exclusive lock on `start.lock`, so two starters (two kernels, the app and the
CLI) that find no service start exactly one: the second waits for the lock and then finds the first one's
record. A record whose process is gone (killed, crashed) counts as no service: the next call starts a new one.
The service runs in its own session, so closing the process group of whoever started it (a kernel) does not
take it down; it ends by itself when idle. The starter reaps it when it ends (no zombie).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import threading
import time

from dp100 import paths
from dp100.errors import SetupError
from sim import messages
from sim.service import locations

START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0
POLL_SECONDS = 0.02
MAX_LOG_BYTES = 1_000_000
# A job run's variables say "this process is run X"; the service that such a process starts is no run.
# DP100_STATE_HIDDEN says "this process may not touch the state"; the service is the state's owner.
NOT_INHERITED = ("MLFLOW_RUN_ID", "AZUREML_RUN_ID", "DP100_SIM_JOB", "MLFLOW_TRACKING_URI", "MLFLOW_EXPERIMENT_ID",
                 "MLFLOW_EXPERIMENT_NAME", "DP100_STATE_HIDDEN")


class ServiceStartError(SetupError):
    """The service could not be started (the message says why and where its log is)."""


def pid_alive(pid) -> bool:
    """True while process `pid` runs (a zombie counts as ended)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def running_record() -> dict | None:
    """The record of this home's service if its process is alive, else None."""
    record = locations.read_record()
    return record if record is not None and pid_alive(record.get("pid")) else None


@contextlib.contextmanager
def _start_lock():
    fd = os.open(locations.lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def ensure_running(timeout: float = START_TIMEOUT_SECONDS) -> dict:
    """The record of this home's service, started first if none runs.

    Raises:
        ServiceStartError: when the service exits or stays silent while starting.
    """
    record = running_record()
    if record is not None:
        return record
    with _start_lock():
        record = running_record()  # another starter may have won the lock first
        return record if record is not None else _start(timeout)


def _service_env() -> dict:
    from sim.cloud.runs.jobs import with_project_on_path

    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env[paths.ENV_VAR] = str(paths.home().resolve())
    env.update({"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true", "PYTHONUNBUFFERED": "1"})
    return with_project_on_path(env)


def _start(timeout: float) -> dict:
    locations.record_path().unlink(missing_ok=True)  # a dead service's record must not read as ready
    log = locations.log_path()
    if log.exists() and log.stat().st_size > MAX_LOG_BYTES:  # keep one older log, never an ever-growing one
        os.replace(log, log.with_suffix(".log.1"))
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "sim.service"], env=_service_env(), cwd=str(paths.home()),
                                stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True)
    threading.Thread(target=proc.wait, name=f"dp100-service-reaper-{proc.pid}", daemon=True).start()
    return _wait_ready(proc, timeout)


def _wait_ready(proc: subprocess.Popen, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record = locations.read_record()
        if record is not None and record.get("pid") == proc.pid:
            return record
        if proc.poll() is not None:
            _fail(messages.SIM_SERVICE_EXITED.format(code=proc.returncode))
        time.sleep(POLL_SECONDS)
    proc.kill()
    _fail(messages.SIM_SERVICE_START_TIMEOUT.format(seconds=timeout))


def _fail(reason: str) -> None:
    log = locations.log_path()
    tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
    detail = f"{reason}; last lines of its log: {' | '.join(tail)}" if tail else reason
    raise ServiceStartError(messages.SIM_SERVICE_START_FAILED.format(home=paths.home(), reason=detail, log=log))


def stop(timeout: float = STOP_TIMEOUT_SECONDS) -> bool:
    """Stop this home's service (SIGTERM, then SIGKILL after `timeout`); False when none was running."""
    if not (paths.home() / "service").is_dir():
        return False  # never create the folder just to find nothing in it
    record = running_record()
    if record is None:
        return False
    pid = record["pid"]
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
    if pid_alive(pid):
        os.kill(pid, signal.SIGKILL)
        _clean_after_kill(record)
    return True


def _clean_after_kill(record: dict) -> None:
    if locations.read_record() == record:
        locations.record_path().unlink(missing_ok=True)
    if record.get("socket"):
        with contextlib.suppress(OSError):
            os.unlink(record["socket"])


def status() -> dict:
    """What `dp100 service status` shows: running or not, and the record plus the service's own account."""
    record = running_record() if (paths.home() / "service").is_dir() else None
    if record is None:
        return {"running": False, "home": str(paths.home())}
    from sim.service import channel

    try:
        account = channel.control(record, "GET", "/_sim/status")
    except OSError as exc:
        return {"running": False, "home": str(paths.home()), "pid": record["pid"], "problem": str(exc)}
    return {"running": True, **record, **account}
