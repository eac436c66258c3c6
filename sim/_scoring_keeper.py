"""The keeper of a sandboxed scoring server: `sim._scoring_server --detach` becomes this when the home is hidden.

bubblewrap cannot detach: the server in the sandbox stays the child of whoever started bwrap. So the detached
process the service launches (and records by pid: `sim.cloud.services._process`) is this keeper, outside the
walls. It builds the job-style sandbox of the service's folder (`labs.sandbox.jobs.job_sandbox`: a read-only
system, the home hidden, the service folder - snapshot, model copies, status and keys - its only place, its own
PID and network namespaces, a cgroup where the machine allows, hard rlimits) and runs `sim._scoring_server
--inside` there, which listens on the folder's Unix socket, the only way in (the service's scoring proxy and
endpoint router connect to it).

The keeper ends with the server, and the server with the keeper:
- when the server exits (its status file removed or replaced, a crash, a kill), bwrap ends and so does the
  keeper, so the recorded pid is gone and the service's next read says Unhealthy or restarts it;
- when the keeper is stopped (SIGTERM from `_process.stop`; its owner - the app - has ended; or the simulated
  Azure service that started it has stopped, as a sandboxed job stops with it) it stops everything in the sandbox
  first; a SIGKILL of the keeper takes the sandbox with it (bwrap's
  --die-with-parent ends the sandbox's init, and with it every process of its PID namespace).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from sim import _owner
from sim._scoring_server import REPORTED_PID_ENV, SOCKET_FILE, log, write_status

SERVICE_TOKEN_ENV = "DP100_SIM_SCORING_SERVICE"  # = sim.cloud.services._process.SERVICE_TOKEN_ENV


class Stopped(Exception):
    """The keeper was asked to stop (SIGTERM), or the process that owns the server has ended."""


def keep(folder: Path) -> int:
    """Run the server of the service in `folder` in its sandbox until either ends; returns the exit code."""
    from dp100 import paths
    from labs.sandbox import jobs as job_boxes

    # Said at once, before the sandbox is built and the server inside starts (seconds): a reader that finds the
    # deployment's starter killed stops the server that status.json names (`_process.stop_unrecorded`).
    write_status(folder, port=None, socket=SOCKET_FILE, state="Transitioning")
    watch = _OwnerWatch(os.environ.get(_owner.OWNER_ENV), os.environ.get(SERVICE_TOKEN_ENV))
    signal.signal(signal.SIGTERM, _on_terminate)
    box = job_boxes.job_sandbox(folder, paths.home())
    command = [sys.executable, "-m", "sim._scoring_server", "--inside", str(folder), *job_boxes.limits_args()]
    log(f"Starting the scoring server in a sandbox (isolation: {box.level}); its keeper is pid {os.getpid()}.")
    try:
        code = job_boxes.run(box, command, _inside_env(), sys.stdout, on_wait=watch)
    except Stopped as exc:
        log(f"{exc} The sandboxed server was stopped.")
        return 0
    if code == job_boxes.QUOTA_EXIT:
        log(f"The service's folder grew past its quota of {job_boxes.quota_mb()} MB (DP100_LAB_DISK_MB); the "
            "server was stopped. Write less from the scoring script.")
    return code


def _inside_env() -> dict[str, str]:
    """The server's environment: it reports its keeper's pid, and watches no owner (a pid it cannot see in its
    own PID namespace; the keeper watches it)."""
    env = {key: value for key, value in os.environ.items() if key not in (_owner.OWNER_ENV, SERVICE_TOKEN_ENV)}
    env[REPORTED_PID_ENV] = str(os.getpid())
    return env


def _on_terminate(signum, frame):
    raise Stopped("The keeper was asked to stop.")


class _OwnerWatch:
    """Called between the keeper's checks: stop when the process that owns the server, or the service that
    started it, has ended."""

    def __init__(self, owner: str | None, service: str | None):
        self.owner, self.service = owner, service

    def __call__(self, _proc) -> None:
        if self.owner and not _owner.alive(self.owner):
            raise Stopped(f"The process that owns this server ({self.owner.partition(':')[0]}) has ended.")
        if self.service and not _owner.alive(self.service):
            raise Stopped("The simulated Azure service that started this server has stopped.")
