"""A lab's compute instance: the real JupyterLab, started on demand on the learner's lab folders.

    from labs import jupyter
    url = jupyter.start("02")    # http://127.0.0.1:<port>/lab/tree/02-experiments/lab02.ipynb?token=<token>
    jupyter.status()             # -> Server(pid, port, token, owner), or None when none runs
    jupyter.stop()               # the server, its kernels and its terminals

As on an Azure ML compute instance, JupyterLab gives a file browser, notebooks, kernels named as there
("Python 3.10 - SDK v2", "Python 3.8 - AzureML") and a terminal whose `az` is the (simulated) Azure CLI. Each
kernel starts through `labs._launcher`, as the app's own lab kernels do: the simulator is active and
MLFLOW_TRACKING_URI names the workspace of the folder's config.json, so a step run in JupyterLab writes the
same workspace the app's checklist grades.

One server per DP100_HOME serves every lab: its root is the labs folder and each lab's URL opens its own
folder. It listens on 127.0.0.1 only and asks for a token. Its kernelspecs, settings and runtime files live
under DP100_HOME/jupyter (JUPYTER_DATA_DIR, JUPYTER_CONFIG_DIR, JUPYTER_RUNTIME_DIR), never in ~/.local or
~/.jupyter. The server leads its own process group. Started by the app (`owner`), it ends with the app: the
app stops it at exit and the server itself watches the app's process (labs._jupyter_server), so even a killed
app leaves no server behind. Started by `dp100 lab jupyter`, it runs until `dp100 lab jupyter stop`.
"""

from __future__ import annotations

import atexit
import fcntl
import importlib.util
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from dp100 import paths
from labs import notebook, state
from labs._jupyter_files import KERNELS, kernel_for, prepare_instance_files, server_env
from labs.kernel import _children, pid_alive
from labs.spec import get_lab

PINNED_VERSION = "4.6.6"  # pyproject.toml pins the same release
PORT_ENV = "DP100_JUPYTER_PORT"  # a fixed port for the server; unset or 0: the system picks a free one
START_TIMEOUT_SECONDS = 90.0
STOP_GRACE_SECONDS = 10.0
KILL_WAIT_SECONDS = 5.0

__all__ = ["KERNELS", "JupyterError", "Server", "start", "status", "stop", "stop_owned", "lab_path",
           "shut_down_lab_kernels"]


class JupyterError(RuntimeError):
    """JupyterLab could not be started (not installed, port taken, crashed while starting)."""


@dataclass(frozen=True)
class Server:
    """A running JupyterLab server of this DP100_HOME."""

    pid: int
    port: int
    token: str
    owner: int = 0  # the process whose end stops the server (0: none; `dp100 lab jupyter stop` does)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "lab") -> str:
        """The address of `path` on the server, with the token that logs the browser in."""
        return f"{self.base_url}/{path.lstrip('/')}?token={self.token}"


_started_here: dict[int, subprocess.Popen] = {}  # server pid -> the process this interpreter started
# The server is on the loopback: never send its requests (and its token) through an HTTP_PROXY from the environment.
_LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# -- state on disk -------------------------------------------------------------------------------------
def _instance_dir() -> Path:
    return paths.subdir("jupyter")


def _server_file() -> Path:
    return _instance_dir() / "server.json"


@contextmanager
def _locked():
    """One start or stop at a time per DP100_HOME (two app sessions may click at once, or the app and the CLI)."""
    with open(_instance_dir() / "server.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read_server() -> Server | None:
    try:
        return Server(**json.loads(_server_file().read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _is_our_server(pid: int) -> bool:
    """True when `pid` is alive and runs labs._jupyter_server (a recycled pid is someone else's process)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return pid_alive(pid) and b"labs._jupyter_server" in cmdline


def _answers(server: Server, timeout: float = 2.0) -> bool:
    """True when the server's REST API answers `/api/status` with this token."""
    request = urllib.request.Request(f"{server.base_url}/api/status",
                                     headers={"Authorization": f"token {server.token}"})
    try:
        with _LOOPBACK.open(request, timeout=timeout) as resp:
            return resp.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _api(server: Server, method: str, path: str):
    """One call to the server's REST API with its token; the parsed JSON answer (None when empty)."""
    request = urllib.request.Request(f"{server.base_url}{path}", method=method,
                                     headers={"Authorization": f"token {server.token}"})
    with _LOOPBACK.open(request, timeout=30) as resp:
        body = resp.read()
    return json.loads(body) if body else None


# -- public API ----------------------------------------------------------------------------------------
def status() -> Server | None:
    """The running server of this DP100_HOME, or None (a server that died leaves no stale record)."""
    server = _read_server()
    if server is None:
        return None
    if not _is_our_server(server.pid):
        _reap(server.pid)
        _server_file().unlink(missing_ok=True)
        return None
    return server


def lab_path(lab_id: str, learner: str = state.DEFAULT_LEARNER) -> str:
    """The path of a lab's notebook relative to the server's root (the labs folder)."""
    lab = get_lab(lab_id)
    folder = state.lab_folder(lab, learner)
    return f"{folder.relative_to(paths.labs_dir()).as_posix()}/{notebook.file_name(lab)}"


def start(lab_id: str, learner: str = state.DEFAULT_LEARNER, language: str = "en", owner: int | None = None) -> str:
    """Make sure JupyterLab runs and the lab's notebook exists; return the URL that opens the lab in it.

    Args:
        lab_id: the lab ("02", "2" or its key).
        learner: whose lab folder to open.
        language: the language of the notebook, when it has to be written.
        owner: a process whose end stops the server (the app passes its own pid); None: run until `stop()`.

    Raises:
        JupyterError: JupyterLab is not installed, its port cannot be bound, or it did not start.
        KeyError: no such lab.
    """
    lab = get_lab(lab_id)
    _require_jupyterlab()
    attempt = state.prepare(lab, learner)
    target = Path(attempt.folder) / notebook.file_name(lab)
    if not target.exists():  # the learner's own edits are never overwritten
        notebook.write(lab, attempt.params, attempt.folder, language, kernel=kernel_for(lab))
    with _locked():
        server = status()
        if server is None or not _answers(server):
            if server is not None:  # alive but not answering: replace it
                _stop(server)
            server = _launch(owner)
    return server.url(f"lab/tree/{lab_path(lab.id, learner)}")


def shut_down_lab_kernels(lab_id: str, learner: str = state.DEFAULT_LEARNER) -> int:
    """Shut down the kernels of JupyterLab notebooks in a lab's folder (a reset deletes the folder they work in);
    returns how many. JupyterLab then offers to restart them, in the new folder. Nothing happens when no server
    runs or it does not answer."""
    server = status()
    if server is None:
        return 0
    folder = lab_path(lab_id, learner).rsplit("/", 1)[0] + "/"
    try:
        sessions = _api(server, "GET", "/api/sessions")
        doomed = [s["id"] for s in sessions if s.get("path", "").startswith(folder)]
        for session_id in doomed:
            _api(server, "DELETE", f"/api/sessions/{session_id}")
    except (OSError, ValueError):
        return 0
    return len(doomed)


def stop() -> bool:
    """Stop this DP100_HOME's server with its kernels and terminals; True if one was running."""
    with _locked():
        server = status()
        if server is None:
            return False
        _stop(server)
        return True


def stop_owned() -> None:
    """Stop the server if this process owns it (registered with atexit when this process starts one)."""
    server = status()
    if server is not None and server.owner == os.getpid():
        stop()


# -- starting ------------------------------------------------------------------------------------------
def _require_jupyterlab() -> None:
    if importlib.util.find_spec("jupyterlab") is None or importlib.util.find_spec("jupyter_server") is None:
        raise JupyterError(f"JupyterLab is not installed in this Python ({sys.executable}). Install it with "
                           f"`{sys.executable} -m pip install jupyterlab=={PINNED_VERSION}` and try again.")


def _requested_port() -> int:
    raw = os.environ.get(PORT_ENV, "").strip() or "0"
    try:
        port = int(raw)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise JupyterError(f"{PORT_ENV}={raw!r} is not a port number; set it to 1-65535, or to 0 (or unset it) "
                           "to let the system pick a free port.")
    return port


def _launch(owner: int | None) -> Server:
    """Start the server in its own process group and wait until its REST API answers."""
    port = _requested_port()
    folders = prepare_instance_files(_instance_dir())
    token = secrets.token_hex(24)
    env = server_env(folders, token)  # the token travels in the environment, never on a command line
    command = [sys.executable, "-m", "labs._jupyter_server", "--owner", str(owner or 0), "--",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               f"--ServerApp.root_dir={paths.labs_dir()}", "--ServerApp.open_browser=False",
               # kernels on Unix sockets, not TCP: a kernel in its own network namespace can still be reached
               "--AsyncMappingKernelManager.kernel_manager_class=labs._jupyter_kernels.IpcKernelManager"]
    log_path = folders["runtime"] / "server.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, env=env, cwd=paths.labs_dir(), stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
    _started_here[proc.pid] = proc
    try:
        found = _wait_for_port(proc, token, folders["runtime"], log_path, port)
    except JupyterError:
        _kill_group(proc.pid, _children(proc.pid))
        _reap(proc.pid)
        raise
    server = Server(pid=proc.pid, port=found, token=token, owner=owner or 0)
    _server_file().write_text(json.dumps(asdict(server)), encoding="utf-8")
    _server_file().chmod(0o600)  # it holds the token
    if owner == os.getpid():
        atexit.register(stop_owned)
    return server


def _wait_for_port(proc: subprocess.Popen, token: str, runtime: Path, log_path: Path, port: int) -> int:
    """The port the server listens on, once its API answers; raises JupyterError if it never does."""
    info = runtime / f"jpserver-{proc.pid}.json"  # written by the server once it listens
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise JupyterError(_start_failure(log_path, port, proc.returncode))
        try:
            found = int(json.loads(info.read_text(encoding="utf-8"))["port"])
        except (OSError, ValueError, KeyError):
            found = 0
        if found and _answers(Server(proc.pid, found, token), 1.0):
            return found
        time.sleep(0.1)
    raise JupyterError(f"JupyterLab did not answer within {START_TIMEOUT_SECONDS:g} s; its log is {log_path}.")


def _start_failure(log_path: Path, port: int, code: int) -> str:
    """A sentence for a server that ended while starting, from its log."""
    try:
        log = log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        log = ""
    if "is not available" in log or "already in use" in log or "could not be started because" in log:
        return (f"JupyterLab could not listen on 127.0.0.1:{port}: the port is in use. Stop what uses it, or set "
                f"{PORT_ENV} to another port (0 lets the system pick a free one).")
    tail = "\n".join(log.strip().splitlines()[-8:])
    return f"JupyterLab stopped while starting (exit code {code}); the end of its log ({log_path}):\n{tail}"


# -- stopping ------------------------------------------------------------------------------------------
def _stop(server: Server) -> None:
    """SIGTERM (the server shuts its kernels and terminals down), then kill whatever is left."""
    leftovers = _children(server.pid)
    try:
        os.kill(server.pid, signal.SIGTERM)
    except OSError:
        pass
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while time.monotonic() < deadline and pid_alive(server.pid):
        _reap(server.pid)
        time.sleep(0.05)
    targets = leftovers + _children(server.pid)
    _kill_group(server.pid, targets)
    _reap(server.pid)
    _wait_gone([server.pid, *targets])
    _server_file().unlink(missing_ok=True)


def _wait_gone(pids: list[int]) -> None:
    """Wait (briefly) until killed processes are really gone: a SIGKILL takes effect when the process next runs,
    which on a busy machine is not at once, and `stop()` promises that nothing is left when it returns."""
    deadline = time.monotonic() + KILL_WAIT_SECONDS
    while time.monotonic() < deadline and any(pid_alive(pid) for pid in pids):
        time.sleep(0.02)


def _kill_group(pid: int, descendants: list[int]) -> None:
    # Kernels and terminals lead process groups of their own, so the server's group alone is not enough.
    for target in [pid, *descendants]:
        if not pid_alive(target):  # ended already (a zombie of ours is reaped below)
            continue
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def _reap(pid: int) -> None:
    """Collect the exit status of a server this process started (no zombie is left)."""
    proc = _started_here.get(pid)
    if proc is not None and proc.poll() is not None:
        _started_here.pop(pid, None)
