"""The sandbox of a job's user code: what a job runner or a scoring server that the simulated Azure starts runs in.

The service (or whoever runs the simulated Azure in process) starts a job's runner outside any wall: the runner
plays Azure's job infrastructure and writes the run's states, logs and files. Only the learner's part - the
training script or command line, a deployment's `score.py` - runs inside, with the same walls as a lab kernel
(`Sandbox`): a read-only system, a private /tmp, DP100_HOME hidden but for the job's own working folder (its only
writable place) and what it must reach (its description and data inputs read-only, its output folders and metric
journals writable), its own PID namespace, a cgroup where the machine allows, hard rlimits, and the simulated Azure
reached only through the service's socket (`DP100_SERVICE=process`, `DP100_STATE_HIDDEN=1`). When the user code
ends, whatever it left running in the sandbox is stopped with it.

Only when the policy hides the home (`Policy.hide_home`) and the simulated Azure service started the job for one
of its callers; jobs that a process seeing the home starts in its own process run as plain processes (`wanted`).

Two ways in, the same walls: a fresh `command` that bubblewrap execs (1-5 s of imports on a busy machine), or, when
the caller offers a warm start (`run(..., warm=...)`), a process forked from the preloaded job host that joins the
sandbox (`labs.sandbox.enter`): bubblewrap then runs only a holder, a shell that waits for its stdin to close, and
the job lives in the holder's namespaces and cgroup. When the holder ends (the job ended, was stopped, or the runner
holding its stdin died), the PID namespace's init ends and the kernel kills everything left in it.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
from pathlib import Path

from dp100.settings import megabytes
from labs.sandbox import enter, quota
from labs.sandbox.box import Sandbox, SandboxLimits
from labs.sandbox.detect import HIDE_HOME_ENV, Policy
from labs.sandbox.quota import quota_mb

MEMORY_ENV = "DP100_JOB_MEMORY_MB"  # a job's memory (its RLIMIT_AS and its sandbox's ceiling); default below
DEFAULT_MEMORY_MB = 4096
MAX_TASKS = 256  # processes and threads of one job together (sklearn's joblib workers included)
WATCH_SECONDS = 1.0
QUOTA_EXIT = 125  # the exit code a job killed for its folder's size is given (after what the shell reserves)
WARM_ENV = "DP100_JOB_SANDBOX_WARM"  # "0": a sandboxed job always starts a fresh interpreter (to compare, or fall back)
HOLDER_START_SECONDS = 60.0  # bubblewrap (and the forwarder) up and the holder running, on a busy machine


def wanted(started_by_service: bool, env=None) -> bool:
    """True when a job's user code or a scoring script runs sandboxed.

    That is when the policy hides DP100_HOME and the simulated Azure service started the work
    (`started_by_service`), on behalf of a caller that may be a sandboxed kernel. A process that sees the home
    itself (the app, the dp100 command, a test, in-process mode) could run the same code unsandboxed anyway, so
    what it starts runs plain, without the sandbox's start-up cost; `DP100_SANDBOX_HIDE_HOME=1` asks for the sandbox
    there too.
    """
    env = os.environ if env is None else env
    if not started_by_service and env.get(HIDE_HOME_ENV, "").strip() != "1":
        return False  # before the policy: deciding it may run bubblewrap once
    return Policy.from_env(env).hide_home


def warm_wanted(env=None) -> bool:
    """True unless `DP100_JOB_SANDBOX_WARM=0` asks every sandboxed job to start a fresh interpreter."""
    return (os.environ if env is None else env).get(WARM_ENV, "").strip() != "0"


def memory_mb(env=None) -> int:
    """A job's memory in MB (`DP100_JOB_MEMORY_MB`, default 4096, at least 256)."""
    return megabytes(MEMORY_ENV, DEFAULT_MEMORY_MB, env, minimum=256)


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


def run(box: Sandbox, command: list[str], env: dict, log, pass_fds=(), on_wait=None, warm=None) -> int:
    """Run `command` in `box` until it ends, then stop everything left in the box; return its exit code.

    Args:
        command: the command to run inside (a Python module of the simulator, say).
        env: its environment; the sandbox's own variables are added.
        log: the file (object with fileno) its stdout and stderr go to.
        pass_fds: descriptors it inherits (a pipe for its outcome).
        on_wait: called with the process between checks (lets a caller pass a cancel on); may be None.
        warm: a warm start of the same work, tried first: called as `warm(namespaces, cgroup_procs, folder, env,
            log, forward)` once the box is up with a holder in it (`namespaces`: `enter.namespace_files` of it;
            `forward`: `Sandbox.forward_target`, the forwarder the job starts inside), it returns a started job
            (`entered`, `wait(timeout)`; `sim._joined_job.JoinedJob`) or None. When it cannot start one, or the job
            could not enter the box, `command` runs fresh instead.

    Returns:
        The exit code, 128 + N for a signal N, or QUOTA_EXIT when its folder passed the disk quota.
    """
    disk_mb = quota_mb()
    proc = None
    try:  # a cancel (KeyboardInterrupt) may come at any point: the box is closed whatever happened
        proc = _start_warm(box, warm, env, log) if warm is not None else None
        if proc is None:
            proc = subprocess.Popen(box.command(command), env={**env, **box.env()}, cwd=str(box.folder),
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, pass_fds=tuple(pass_fds))
        code = quota.watch(proc, box.folder, disk_mb, WATCH_SECONDS, on_wait)
        if code is None:  # the caller says why, in the job's own log
            return QUOTA_EXIT
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        box.close()
    return code if code >= 0 else 128 - code


def limits_args(env=None) -> list[str]:
    """The hard limits for `labs._launcher.apply_limits` of the code inside: memory and the size of one file."""
    return [str(memory_mb(env)), str(quota_mb(env))]


# ---- the warm start: a holder in the box, and a forked process that joins it ------------------------------------
class Holder:
    """The command of a box that a warm job joins: a shell that says it is up, then waits for its stdin to close.

    Its stdin is a pipe only this process writes to, so the holder also ends when this process dies (killed).
    """

    def __init__(self, proc: subprocess.Popen, init_pid: int):
        self.proc, self.init_pid = proc, init_pid

    @classmethod
    def start(cls, box: Sandbox, env: dict, log) -> Holder | None:
        """Start the holder in `box` and wait until it runs inside; None (nothing left running) when it did not."""
        info_r, info_w = os.pipe()
        ready_r, ready_w = os.pipe()
        # (through /proc: sh takes only one-digit descriptors in a redirection)
        script = f"echo up > /proc/self/fd/{ready_w}; read _ || true"
        with os.fdopen(info_r, "rb") as info, os.fdopen(ready_r, "rb") as ready:
            try:
                # Without the service's forwarder, whose start (an interpreter) would cost most of the holder's:
                # the joined job starts it itself (`forward_target`).
                proc = subprocess.Popen(box.command(["sh", "-c", script], info_fd=info_w, forward=False),
                                        env={**env, **box.env()}, cwd=str(box.folder), stdin=subprocess.PIPE,
                                        stdout=log, stderr=log, pass_fds=(info_w, ready_w))
            except OSError:
                return None
            finally:
                os.close(info_w), os.close(ready_w)
            holder = cls(proc, 0)
            try:
                holder.init_pid = _init_pid(_read_until(info, lambda data: _init_pid(data) is not None)) or 0
                up = _read_until(ready, lambda data: data.endswith(b"\n")) == b"up\n"
            except BaseException:
                holder.end()
                raise
        if not (holder.init_pid and up):
            holder.end()
            return None
        return holder

    def end(self) -> None:
        """Stop the holder and with it everything in its PID namespace (the kernel kills them when init ends)."""
        if self.proc.poll() is None:
            self.proc.kill()  # bwrap itself: its init follows it (--die-with-parent)
        self.proc.wait()
        if self.proc.stdin is not None:
            self.proc.stdin.close()


def _read_until(pipe, done) -> bytes:
    """What `pipe` gives until `done(data)` or its end, waiting at most HOLDER_START_SECONDS for each part (the
    sandbox's own processes may keep the pipe open, so its end is not waited for)."""
    data = b""
    waiter = select.poll()  # not select.select: it refuses descriptors past 1023, which a busy process reaches
    waiter.register(pipe, select.POLLIN)
    while not done(data) and waiter.poll(HOLDER_START_SECONDS * 1000):
        chunk = os.read(pipe.fileno(), 4096)
        if not chunk:
            break
        data += chunk
    return data


def _init_pid(info: bytes) -> int | None:
    """The host pid of the box's first process, from what bubblewrap wrote to its --info-fd (None: nothing)."""
    try:
        return int(json.loads(info)["child-pid"])
    except (ValueError, KeyError, TypeError):
        return None


class WarmJob:
    """A job forked from the warm host into a holder's box, as `quota.watch` waits for a process (`wait`, `poll`,
    `kill`). Its end ends the holder, so nothing the job left behind outlives it."""

    def __init__(self, job, holder: Holder):
        self.job, self.holder = job, holder
        self.returncode: int | None = None

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.returncode = self.job.wait(timeout)  # raises subprocess.TimeoutExpired
            self.holder.end()
        return self.returncode

    def poll(self) -> int | None:
        try:
            return self.wait(0.001)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        self.holder.end()


def _start_warm(box: Sandbox, warm, env: dict, log) -> WarmJob | None:
    """The job started warm in `box` (a holder in it, the job joined), or None: then it starts fresh."""
    if not box.found.bwrap:
        return None
    holder = Holder.start(box, env, log)
    if holder is None:
        return None
    try:
        job = _join(box, warm, holder, {**env, **box.env()}, log)
    except BaseException:  # a cancel while it starts: nothing of the holder stays
        holder.end()
        raise
    if job is None or not job.entered:
        if job is not None:  # said in the runner's own log: the learner's job log stays theirs
            print(f"The job's warm start did not enter its sandbox ({job.why}); it starts fresh instead.",
                  file=sys.stderr)
        holder.end()
        return None
    return WarmJob(job, holder)


def _join(box: Sandbox, warm, holder: Holder, env: dict, log):
    """Ask `warm` for a job process that joins the holder's box; what it returns, or None (cannot be joined)."""
    try:
        namespaces = enter.namespace_files(holder.init_pid)
    except enter.CannotJoin as exc:
        print(f"The job's sandbox cannot be joined ({exc}); it starts fresh instead.", file=sys.stderr)
        return None
    try:
        procs = [str(path) for path in box.cgroup.procs_files] if box.cgroup else []
        return warm(namespaces, procs, box.folder, env, log, box.forward_target())
    finally:
        enter.close_all(namespaces)
