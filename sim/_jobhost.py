"""A preloaded job host: forks a ready interpreter for each submitted script instead of starting one.

Starting Python and importing MLflow, pandas and the simulator costs 1.5-3 s per job; a forked copy of
a process that already imported them starts in milliseconds. Each process that submits jobs gets its own
host (started in the background when an Experiment is made, or on the first submit), reachable on a
Linux abstract socket, so there is no socket file to clean up. The host is single-threaded (forking a
threaded process is unsafe), and it exits when the process that started it exits or after
`IDLE_SECONDS` without work: no orphans. It lives no longer than its starter, so it never runs older
simulator code than the starter itself. When anything about the host fails, `submit` simply starts
the job as a plain subprocess.

The host also gives a job's sandboxed user code its warm start (`sim._joined_job`): the runner it forked builds the
job's sandbox with a holder in it (`labs.sandbox.jobs`) and sends the sandbox's namespaces; the host forks a process
that joins them (`labs.sandbox.enter`) and runs the user code there, without a fresh interpreter. The host answers
only processes of its own mount namespace: a sandboxed process (another mount namespace) that reaches its socket is
refused, so it cannot ask for a process outside its walls.

    python -m sim._jobhost NAME STARTER_PID      (started by `request_job`, never by hand)
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import traceback
from pathlib import Path

IDLE_SECONDS = 600
START_TIMEOUT_SECONDS = 60
TICK_SECONDS = 1.0
# Imported before the host answers (every job needs them) ...
PRELOAD = ("sim._runner", "sim.cloud.runs.lifecycle", "sim.cloud.runs.jobs", "sim.cloud.runs.files",
           "sim.cloud.runs.metrics", "sim.cloud.workspaces", "sim.azureml.core.run", "sim.azureml.core.workspace",
           "sim.azureml.core.experiment", "mlflow", "mlflow.tracking", "mlflow.entities",
           "mlflow.store.tracking.sqlalchemy_store", "mlflow.store.artifact.local_artifact_repo")
# ... and imported one at a time between requests (what lab scripts usually import).
PRELOAD_LATER = ("numpy", "pandas", "joblib", "matplotlib.pyplot", "sklearn.model_selection",
                 "sklearn.linear_model", "sklearn.tree", "sklearn.metrics", "sim.azureml.data",
                 "sim.azureml.core.model", "mlflow.store.model_registry.sqlalchemy_store", "sklearn.ensemble",
                 "sklearn.preprocessing", "sklearn.compose", "sklearn.impute", "mlflow.sklearn")
BORROW_ENV = "DP100_SIM_JOBHOST_BORROW"
PARENT_ENV = "DP100_SIM_JOBHOST_PARENT"  # in a process the host forked: the host's name (it joins sandboxes too)
MAX_FDS = 16  # descriptors one request may carry (a job's log and its sandbox's namespaces)
_hosts: dict[str, subprocess.Popen | None] = {}  # host name -> the host this process started (None: failed)
_ready: set[str] = set()  # hosts that have answered at least once since they were started
_NEVER = object()


def host_name() -> str:
    """The abstract socket name of this process's host (one per submitting process)."""
    return f"dp100-jobhost-{os.getuid()}-{os.getpid()}"


def warm_up() -> None:
    """Start this process's host in the background if it is not running (called before submits)."""
    if _supported() and not _connectable(host_name()):
        _start_host(host_name())


def request_job(job_file: Path, cwd: Path, env: dict, log_path: Path) -> int | None:
    """Ask the host to fork a job process; returns its pid, or None (host unavailable or stale).

    A host that is still starting is waited for (it is ready sooner than a cold interpreter would be).
    """
    if not _supported():
        return None
    name = _borrowed_host() or host_name()
    if not _connectable(name):
        _start_host(name)
        if not _wait_until_ready(name):
            return None
    request = {"job_file": str(job_file), "cwd": str(cwd), "env": env, "log": str(log_path)}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(START_TIMEOUT_SECONDS)  # a host still preloading answers once it is ready
            conn.connect("\0" + name)
            conn.sendall(json.dumps(request).encode() + b"\n")
            reply = json.loads(_read_line(conn))
    except (OSError, ValueError):
        return None
    return reply.get("pid")


def request_module(module: str, argv: list[str], cwd: Path, env: dict, log_path: Path,
                   preload: tuple[str, ...] = ()) -> int | None:
    """Ask a host that is already up to fork a process running `python -m module argv...` (a service driver such
    as AutoML's); its pid, or None when no host answers at once: this never starts or waits for a host, so the
    caller starts a plain subprocess instead.

    `preload` names modules the host imports before it forks (what the module will import): a host still warming
    up would otherwise import them at the same time as the new process, twice the work on a busy machine.
    """
    if not _supported():
        return None
    name = _borrowed_host() or host_name()
    if not _connectable(name):
        return None
    request = {"module": module, "argv": [str(a) for a in argv], "cwd": str(cwd), "env": env, "log": str(log_path),
               "preload": list(preload)}
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(START_TIMEOUT_SECONDS)
            conn.connect("\0" + name)
            conn.sendall(json.dumps(request).encode() + b"\n")
            reply = json.loads(_read_line(conn))
    except (OSError, ValueError):
        return None
    return reply.get("pid")


def _borrowed_host() -> str | None:
    """The host of another process this one may use while it is up (`BORROW_ENV`: a sweep's driver uses the host
    of the process that submitted the sweep, already warm, instead of waiting for one of its own)."""
    name = os.environ.get(BORROW_ENV)
    return name if name and _connectable(name) else None


def _supported() -> bool:
    return sys.platform.startswith("linux") and os.environ.get("DP100_SIM_JOBHOST", "1") != "0"


def _connectable(name: str) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(1)
            conn.connect("\0" + name)
    except OSError:
        return False
    _ready.add(name)
    return True


def _wait_until_ready(name: str) -> bool:
    """Wait while the host is starting; False (and no more waiting) when it died or took too long."""
    proc = _hosts.get(name)
    started = time.monotonic()
    while proc is not None and proc.poll() is None and time.monotonic() - started < START_TIMEOUT_SECONDS:
        if _connectable(name):
            return True
        time.sleep(0.05)
    if _connectable(name):
        return True
    _hosts[name] = None  # it never came up: run jobs as plain subprocesses from now on
    return False


def _read_line(conn) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _start_host(name: str) -> None:
    """Start the host unless one is running; a host that ended idle is replaced, one that never came up is not."""
    proc = _hosts.get(name, _NEVER)
    if proc is None or (proc is not _NEVER and proc.poll() is None):
        return  # failed to start before (jobs run as plain subprocesses), or still running
    if proc is not _NEVER and name not in _ready:
        _hosts[name] = None  # it died before it ever answered: do not try again
        return
    _ready.discard(name)
    from sim.cloud.runs.jobs import with_project_on_path

    env = with_project_on_path(dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true",
                                    MPLBACKEND="Agg"))
    env.pop("MLFLOW_RUN_ID", None)
    _hosts[name] = subprocess.Popen([sys.executable, "-m", "sim._jobhost", name, str(os.getpid())], env=env,
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)


# ---- the host process ----------------------------------------------------------------------------------
def serve(name: str, starter_pid: int) -> int:
    """Claim the name, preload, then fork one job process per request until idle or orphaned.

    The name is claimed first so a second start attempt sees this host at once; requests that arrive
    while it preloads wait in the socket's backlog.
    """
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind("\0" + name)
    except OSError:
        return 0  # another host took the name first
    listener.listen(16)
    import sim

    sim.activate()
    for module in PRELOAD:
        if not _alive(starter_pid):
            return 0  # the starter is gone before we were even ready
        _import_quietly(module)
    _find_isolation()
    later = list(PRELOAD_LATER)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps finished jobs: no zombies
    last_work = time.monotonic()
    while time.monotonic() - last_work < IDLE_SECONDS and _alive(starter_pid):
        listener.settimeout(0.02 if later else TICK_SECONDS)
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            if later:
                _import_quietly(later.pop(0))
            continue
        with conn:
            _answer(conn, listener, name)
        last_work = time.monotonic()
    return 0


def _answer(conn, listener, name: str) -> None:
    """Read one request and fork what it asks for; reply with the new process's pid (None: not forked)."""
    line, fds = _read_request(conn)
    try:
        if not line.strip() or not _same_mount_namespace(conn):
            return  # a readiness probe, or a process in a sandbox (refused: the connection just closes)
        request = json.loads(line)
        for module in request.get("preload", ()):
            _import_quietly(module)  # once, here: the forked process and the next ones inherit it
        if "join" in request:
            from sim import _joined_job

            _joined_job.fork_waiter(request, fds, conn, listener)
            return  # the forked waiter answers (its pid first, then whether the job entered its sandbox)
        pid = _fork_job(request, listener, name)
    except (OSError, ValueError, KeyError, TypeError):  # e.g. a process limit: the client falls back
        pid = None
    finally:
        for fd in fds:
            os.close(fd)  # the forked process has its own copies
    conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _read_request(conn) -> tuple[bytes, list[int]]:
    """One request line and the descriptors sent with it (`socket.send_fds`)."""
    data, fds, _flags, _addr = socket.recv_fds(conn, 65536, MAX_FDS)
    while data and not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data, fds


def _same_mount_namespace(conn) -> bool:
    """True when the peer sees the files this host sees (its own starter, or a runner it forked); False for a
    process in a sandbox, whose mount namespace is its own."""
    import struct

    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    pid = struct.unpack("3i", creds)[0]
    try:
        return os.stat(f"/proc/{pid}/ns/mnt").st_ino == os.stat("/proc/self/ns/mnt").st_ino
    except OSError:
        return False


def _find_isolation() -> None:
    """When jobs may run sandboxed, find what isolation the machine gives once here (it runs bubblewrap, tens of
    ms on a busy machine): every runner forked from this host inherits the answer instead of asking again."""
    try:
        from labs.sandbox import Policy, isolation

        if Policy.from_env().hide_home:
            isolation()
    except Exception:  # only a slower job: each runner asks for itself
        pass


def _import_quietly(module: str) -> None:
    import importlib

    try:
        importlib.import_module(module)
    except Exception:  # a missing optional library only means a slower job
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fork_job(request: dict, listener, name: str) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        listener.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        _redirect(request["log"])
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ[PARENT_ENV] = name  # a runner asks this host for its job's warm sandboxed start
        _reseed()
        if "module" in request:
            code = _run_module(request["module"], request["argv"])
        else:
            from sim import _runner

            code = _runner.main([request["job_file"]])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        _exit(code)
    return 0


def _run_module(module: str, argv: list[str]) -> int:
    """Run `python -m module argv...` in this forked process (what `request_module` asked for)."""
    import runpy

    sys.argv = [module, *argv]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    return 0


def _redirect(log_path: str) -> None:
    out = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0), os.dup2(out, 1), os.dup2(out, 2)
    os.close(out), os.close(null)


def _reseed() -> None:
    # A forked child inherits numpy's global random state: without this every job would draw the same
    # "random" numbers. (The random module reseeds itself after fork.)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()


def _exit(code: int, done: int | None = None) -> None:
    """End this forked process: exit handlers run and output is flushed first. `done`: a pipe on which the exit
    code is written then, so the waiter knows before the process's memory is torn down (tens of ms for a copy of
    this host)."""
    import atexit

    code = code if isinstance(code, int) else 1
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush(), sys.stderr.flush()
        if done is not None:
            os.write(done, f"{code}".encode())
    finally:
        os._exit(code)


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1], int(sys.argv[2])))
