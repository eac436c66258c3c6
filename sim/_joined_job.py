"""The warm start of a job's sandboxed user code: a process the job host forks into the job's sandbox.

Two halves, as for every request to the job host (`sim._jobhost`):
- `request_joined`, in the job's runner (outside the walls): it has built the job's sandbox with a holder in it
  (`labs.sandbox.jobs`) and sends the host the sandbox's namespaces and the job's log as descriptors over the host's
  socket; `JoinedJob` then tells whether the job entered its sandbox and how it ended;
- `fork_waiter`, in the host: it forks a waiter that joins the sandbox's cgroup and PID namespace and forks the job
  into the sandbox (`labs.sandbox.enter.fork_into`), waits for it and reports on the request's connection. The job
  runs `sim._sandboxed_job.inside` with the host's imports already made: no fresh interpreter.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import traceback
from pathlib import Path

from sim import _jobhost

JOIN_SECONDS = 60.0  # a joined job says whether it entered its sandbox within this (a busy machine)
EXIT_POLL_SECONDS = 0.2  # how often the waiter looks whether a job that said nothing has ended


def request_joined(namespaces: dict[str, int], cgroup_procs: list[str], folder: Path, env: dict, log,
                   argv: list[str], forward: tuple[int, str] | None = None) -> JoinedJob | None:
    """Ask the host that forked this runner for the warm start of a job's sandboxed user code: a process that
    joins the sandbox whose namespaces are open in `namespaces` (`labs.sandbox.enter.namespace_files`), enters its
    cgroup (`cgroup_procs`), works in `folder` with `env`, writes to `log` (a file object), starts the service's
    forwarder inside when `forward` names its (port, socket) (`labs.sandbox.forward.start`), and runs
    `sim._sandboxed_job.inside(argv)`. None when no host answers (the caller starts the job fresh)."""
    name = os.environ.get(_jobhost.PARENT_ENV)
    if not _jobhost._supported() or not name:
        return None
    order = list(namespaces)
    request = {"join": order, "cgroup": list(cgroup_procs), "cwd": str(folder), "env": env, "argv": argv,
               "forward": list(forward) if forward else None}
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(_jobhost.START_TIMEOUT_SECONDS)
        conn.connect("\0" + name)
        socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [log.fileno(), *namespaces.values()])
        job = JoinedJob(conn)
        if job.pid is None:
            conn.close()
            return None
        return job
    except (OSError, ValueError):
        conn.close()
        return None


class JoinedJob:
    """A job process the host forked into a sandbox, as its runner sees it: the host's child that waits for it
    tells, over the request's connection, whether it entered the sandbox, then how it ended."""

    def __init__(self, conn: socket.socket):
        self.conn, self._buffer = conn, b""
        self.pid = self._message(_jobhost.START_TIMEOUT_SECONDS).get("pid")
        said = self._message(JOIN_SECONDS) if self.pid is not None else {}
        self.entered, self.why = bool(said.get("entered")), str(said.get("why", ""))

    def wait(self, timeout: float | None = None) -> int:
        """The job's exit code (-N: killed by signal N) once it ends.

        Raises:
            subprocess.TimeoutExpired: when it is still running after `timeout` seconds.
        """
        try:
            said = self._message(timeout)
        except TimeoutError:
            raise subprocess.TimeoutExpired("joined job", timeout) from None
        self.conn.close()
        return int(said.get("exit", -signal.SIGKILL))  # no word at all: its waiter was killed with the sandbox

    def _message(self, timeout: float | None) -> dict:
        """The next JSON line from the host's side ({} when the connection ended first)."""
        while b"\n" not in self._buffer:
            self.conn.settimeout(timeout)
            chunk = self.conn.recv(4096)
            if not chunk:
                return {}
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return json.loads(line)


def fork_waiter(request: dict, fds: list[int], conn, listener) -> int:
    """In the host: fork the waiter of a job that joins a sandbox (what `request_joined` asks); its pid. The waiter
    joins the sandbox's cgroup and PID namespace, forks the job into it, and tells the runner over `conn` whether the
    job entered the sandbox and, later, how it ended. It stays outside the sandbox's other namespaces."""
    log, namespaces = fds[0], dict(zip(request["join"], fds[1:], strict=True))
    pid = os.fork()
    if pid:
        return pid
    try:
        listener.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        conn.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
        _wait_for_joined(request, namespaces, log, conn)
    finally:
        os._exit(0)
    return 0


def _wait_for_joined(request: dict, namespaces: dict[str, int], log: int, conn) -> None:
    """In the waiter: fork the job into its sandbox, then say on `conn` whether it entered and how it ended."""
    from labs.sandbox import enter

    done_r, done_w = os.pipe()  # the job writes its exit code here as it exits
    try:
        job = enter.fork_into(namespaces, request["cgroup"], Path(request["cwd"]))
    except OSError as exc:
        conn.sendall(json.dumps({"entered": False, "why": str(exc)}).encode() + b"\n")
        return
    if job == 0:
        os.close(done_r)
        _run_joined(request, log, done_w)
    os.close(done_w), os.close(log)
    enter.close_all(namespaces)  # the job holds what it needs; this waiter stays outside
    conn.sendall(json.dumps({"entered": True}).encode() + b"\n")
    conn.sendall(json.dumps({"exit": _exit_code(job, done_r)}).encode() + b"\n")
    try:
        os.waitpid(job, 0)  # reaped here, once the runner knows: its teardown no longer delays the run's end
    except ChildProcessError:
        pass  # already reaped by _exit_code


def _exit_code(job: int, done_r: int) -> int:
    """The job's exit code as it says it (before its memory is torn down), or as waitpid gives it when it ended
    without a word (killed: -N for signal N). Not read to the pipe's end: what the job forked keeps it open."""
    waiter = select.poll()  # not select.select: it refuses descriptors past 1023
    waiter.register(done_r, select.POLLIN)
    while True:
        if waiter.poll(EXIT_POLL_SECONDS * 1000):
            said = os.read(done_r, 64)
            if said.strip().lstrip(b"-").isdigit():
                return int(said)
            if not said:  # closed by the job: it is ending (or closed it itself, and runs on)
                return os.waitstatus_to_exitcode(os.waitpid(job, 0)[1])
        ended, status = os.waitpid(job, os.WNOHANG)
        if ended:
            return os.waitstatus_to_exitcode(status)


def _run_joined(request: dict, log: int, done: int) -> None:
    """In the job process, inside its sandbox: run the user code with its log as stdout and stderr, then exit
    (saying its exit code on `done` first)."""
    from labs.sandbox import enter

    code = 1
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0), os.dup2(log, 1), os.dup2(log, 2)
        # the host's socket, the request's connection: nothing of the outside stays open (but `done`: a pipe to
        # the waiter, which reads only a number from it)
        enter.close_inherited(keep=(0, 1, 2, done))
        os.environ.clear()
        os.environ.update(request["env"])
        if request.get("forward"):  # the service's port on the sandbox's own loopback, as a fresh start has it
            from labs.sandbox import forward

            port, socket_path = request["forward"]
            forward.start(int(port), socket_path)
        _jobhost._reseed()
        from sim import _sandboxed_job

        code = _sandboxed_job.inside(request["argv"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        _jobhost._exit(code, done)
