"""The sandbox of a job's user code: what a job runner or a scoring server that the simulated Azure starts runs in.

The service (or whoever runs the simulated Azure in process) starts a job's runner outside any wall: the runner
plays Azure's job infrastructure and writes the run's states, logs and files. Only the learner's part - the
training script or command line, a deployment's `score.py` - runs inside, with the same walls as a lab kernel
(`Sandbox`): a read-only system, a private /tmp, DP100_HOME hidden but for the job's own working folder (its only
writable place) and what it must reach (its description and data inputs read-only, its output folders and metric
journals writable), its own PID namespace, a cgroup where the machine allows, hard rlimits, and the simulated Azure
reached only through the service's socket (`DP100_SERVICE=process`, `DP100_STATE_HIDDEN=1`). When the user code
ends, whatever it left running in the sandbox is stopped with it.

Only when the policy hides the home (`Policy.hide_home`); otherwise jobs run as plain processes, as before.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from labs.sandbox import quota
from labs.sandbox.box import Sandbox, SandboxLimits
from labs.sandbox.detect import Policy
from labs.sandbox.quota import quota_mb

MEMORY_ENV = "DP100_JOB_MEMORY_MB"  # a job's memory (its RLIMIT_AS and its sandbox's ceiling); default below
DEFAULT_MEMORY_MB = 4096
MAX_TASKS = 256  # processes and threads of one job together (sklearn's joblib workers included)
WATCH_SECONDS = 1.0
QUOTA_EXIT = 125  # the exit code a job killed for its folder's size is given (after what the shell reserves)


def wanted(env=None) -> bool:
    """True when jobs and servers run sandboxed: the policy hides DP100_HOME (`DP100_SANDBOX_HIDE_HOME=1`)."""
    return Policy.from_env(env).hide_home


def memory_mb(env=None) -> int:
    """A job's memory in MB (`DP100_JOB_MEMORY_MB`, default 4096)."""
    raw = (os.environ if env is None else env).get(MEMORY_ENV, "").strip()
    try:
        return max(int(raw), 256) if raw else DEFAULT_MEMORY_MB
    except ValueError:
        raise ValueError(f"{MEMORY_ENV} must be a whole number of megabytes, not {raw!r}.") from None


def job_sandbox(folder: Path, home: Path, writable=(), readable=()) -> Sandbox:
    """A prepared sandbox (cgroup made where possible) for user code working in `folder`.

    Args:
        folder: the job's working folder (its snapshot): the working directory and the main writable place.
        home: DP100_HOME, hidden but for what is bound.
        writable: more folders it writes (output folders in a datastore, the service's metric journals).
        readable: files or folders it reads (its job description, data inputs).
    """
    policy = Policy.from_env()
    box = Sandbox(Path(folder), Path(home), SandboxLimits(memory_mb(), MAX_TASKS), kernel_files=tuple(writable),
                  readable=tuple(readable), policy=policy)
    box.prepare()
    return box


def run(box: Sandbox, command: list[str], env: dict, log, pass_fds=(), on_wait=None) -> int:
    """Run `command` in `box` until it ends, then stop everything left in the box; return its exit code.

    Args:
        command: the command to run inside (a Python module of the simulator, say).
        env: its environment; the sandbox's own variables are added.
        log: the file (object with fileno) its stdout and stderr go to.
        pass_fds: descriptors it inherits (a pipe for its outcome).
        on_wait: called with the process between checks (lets a caller pass a cancel on); may be None.

    Returns:
        The exit code, 128 + N for a signal N, or QUOTA_EXIT when its folder passed the disk quota.
    """
    disk_mb = quota_mb()
    proc = subprocess.Popen(box.command(command), env={**env, **box.env()}, cwd=str(box.folder),
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, pass_fds=tuple(pass_fds))
    try:
        code = quota.watch(proc, box.folder, disk_mb, WATCH_SECONDS, on_wait)
        if code is None:  # the caller says why, in the job's own log
            return QUOTA_EXIT
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        box.close()
    return code if code >= 0 else 128 - code


def limits_args(env=None) -> list[str]:
    """The hard limits for `labs._launcher.apply_limits` of the code inside: memory and the size of one file."""
    return [str(memory_mb(env)), str(quota_mb(env))]
