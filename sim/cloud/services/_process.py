"""The scoring server processes: start, identify, stop (no orphans), and read their status file.

A server runs detached in its own session (it outlives the notebook that deployed it, as a cloud service
does, but not the app that owns the simulator: see `sim._owner`) and is tracked by pid.
Before signalling a pid we check it is still *our* server (its command line
names the service folder), so a recycled pid is never killed by mistake.

With the home hidden the pid is that of the server's keeper (`sim._scoring_keeper`), which runs the server in a
sandbox; such a server has no port: it listens on SOCKET_FILE in its folder, and `connection` reaches either kind.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import sim
from sim import _owner, messages
from sim.cloud.errors import SERVICE, ServiceError

SERVER_MODULE = "sim._scoring_server"
STATUS_FILE, CONFIG_FILE, KEYS_FILE, LOG_FILE = "status.json", "service.json", "keys.json", "server.log"
SOCKET_FILE = "server.sock"  # = sim._scoring_server.SOCKET_FILE: where a sandboxed server listens
SERVICE_TOKEN_ENV = "DP100_SIM_SCORING_SERVICE"  # the owner token of the service that started a server (if one did)
STARTER_FILE = "starter"  # who is starting the server right now (an owner token of sim._owner)
_KEEPERS: set[int] = set()  # keepers of sandboxed servers this process started (only the service records them)
# A start with no trace of its starter (killed between writing the record and `start`) is abandoned after this long;
# `start` itself waits at most 60 s for the launcher, so a live start always leaves its trace well before.
START_GRACE_SECONDS = 120.0

def start(folder: Path) -> int:
    """Start the scoring server for the service in `folder` (detached: not our child); return its pid.

    The server is launched through a short-lived intermediate process that forks it and exits, so the
    server is adopted by the system's init: no zombie is left behind in whichever process deployed it
    (a notebook kernel, the app), and nothing needs reaping when it ends.
    """
    (folder / STATUS_FILE).unlink(missing_ok=True)
    (folder / SOCKET_FILE).unlink(missing_ok=True)  # an earlier sandboxed server's: never mistaken for this one's
    mark_starter(folder)
    # The server watches its owner (sim._owner) and exits when it ends: no server outlives the app.
    env = sim.subprocess_env({"PYTHONUNBUFFERED": "1"})
    owner = _owner.current()
    if owner:
        env[_owner.OWNER_ENV] = owner
    else:  # nobody to watch (a script or `az` on its own): it runs until deleted, as a cloud service does
        env.pop(_owner.OWNER_ENV, None)
    _name_the_service(env)
    with open(os.open(folder / LOG_FILE, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab") as log:
        try:
            launcher = subprocess.Popen(
                [sys.executable, "-m", SERVER_MODULE, "--detach", str(folder)], cwd=str(folder / "app"), env=env,
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, close_fds=True)
        except OSError as exc:  # e.g. the service's app/ snapshot is gone: say so in the log the error names
            log.write(f"The scoring server could not be launched: {exc}\n".encode())
            raise ServiceError(SERVICE, messages.SERVICE_START_FAILED.format(log=folder / LOG_FILE)) from exc
    with launcher.stdout:
        line = launcher.stdout.readline().strip()
    launcher.wait(timeout=60)
    if not line.isdigit():
        raise ServiceError(SERVICE, messages.SERVICE_START_FAILED.format(log=folder / LOG_FILE))
    if SERVICE_TOKEN_ENV in env and _sandboxed():
        _KEEPERS.add(int(line))
    return int(line)


def _sandboxed() -> bool:
    from labs.sandbox import jobs as job_boxes

    return job_boxes.wanted(started_by_service=True)


def keeping_servers() -> bool:
    """True while a sandboxed server that this process (the service) started still runs: such a server stops with
    the service, so the service does not stop idle meanwhile (a deployed service stays up, as in Azure)."""
    _KEEPERS.difference_update([pid for pid in _KEEPERS if _gone(pid)])
    return bool(_KEEPERS)


def _name_the_service(env: dict) -> None:
    """Tell a server that the simulated Azure service starts which service that is: a sandboxed server's keeper
    stops it when that service stops, as a job's runner stops its job (a read through the next service starts it
    again). A server started in place watches only its owner."""
    from sim.service import locations

    if locations.IN_SERVICE:
        env[SERVICE_TOKEN_ENV] = _owner.token()
    else:
        env.pop(SERVICE_TOKEN_ENV, None)


def mark_starter(folder: Path) -> None:
    """Note that this process is starting the folder's server now (a reader can tell it from a killed start)."""
    (folder / STARTER_FILE).write_text(_owner.token())


def start_abandoned(folder: Path, since: float) -> bool:
    """True when a start that began at `since` (epoch seconds) will never record its server's pid.

    That is the case when the process that began it has ended (killed between writing the record and saving
    the pid), or, with no trace of that process, when the start is older than START_GRACE_SECONDS.
    """
    starter = folder / STARTER_FILE
    try:
        # An older file belongs to an earlier start; the slack covers the coarse clock that file times come from.
        traced = starter.stat().st_mtime >= since - 1.0
        token = starter.read_text().strip() if traced else ""
    except OSError:
        token = ""
    if token:
        return not _owner.alive(token)
    return time.time() - since > START_GRACE_SECONDS


def stop_unrecorded(folder: Path) -> None:
    """Stop a server that a killed start left running without its pid in the record: the one its status file names,
    and any launched for the folder that has not written its status yet (a sandboxed server's keeper builds its
    sandbox first, so a reader can come before it)."""
    status = read_status(folder) or {}
    found = set(_running_with(["-m", SERVER_MODULE, "--detach", str(folder)]))
    if isinstance(status.get("pid"), int):
        found.add(status["pid"])
    for pid in found:
        stop(pid, folder)


def _cmdline(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"


def is_ours(pid: int | None, folder: Path) -> bool:
    """True when `pid` is a live scoring server for this service folder."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    if _is_zombie(pid):
        return False
    cmdline = _cmdline(pid)
    return cmdline is None or (SERVER_MODULE in cmdline and str(folder) in cmdline)


def serving(pid: int | None, folder: Path, port: int | None) -> bool:
    """True when the service's server is alive: its pid is ours and, where the command line of the pid
    cannot be read (no /proc), something still answers on its port."""
    if not is_ours(pid, folder):
        return False
    return _cmdline(pid) is not None or port_open(port)


def port_open(port: int | None, timeout: float = 2.0) -> bool:
    """True when something accepts connections on 127.0.0.1:port."""
    if not port:
        return False
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout):
            return True
    except OSError:
        return False


def reachable(folder: Path, port: int | None) -> bool:
    """True when the service's server has somewhere to be reached: its port, or its folder's socket (sandboxed)."""
    return bool(port) or (folder / SOCKET_FILE).exists()


def connection(folder: Path, port: int | None, timeout: float) -> http.client.HTTPConnection:
    """An HTTP connection to the service's server: on 127.0.0.1:port, or, with no port, on its folder's socket."""
    if port:
        return http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    return _SocketConnection(folder, timeout)


class _SocketConnection(http.client.HTTPConnection):
    """HTTP over the Unix socket a sandboxed server listens on, named through a descriptor of its folder (the full
    path under a deep DP100_HOME can be longer than a socket address may be)."""

    def __init__(self, folder: Path, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self.folder = folder

    def connect(self):
        directory = os.open(self.folder, os.O_PATH | os.O_DIRECTORY)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout)
            sock.connect(f"/proc/self/fd/{directory}/{SOCKET_FILE}")
        except OSError:
            sock.close()
            raise
        finally:
            os.close(directory)
        self.sock = sock


def server_process(pid: int, folder: Path) -> int:
    """The process that runs the scoring script: `pid` itself, or, for a keeper, the sandboxed server it started
    (`python -m sim._scoring_server --inside <folder>`; not bwrap or the shell, whose command lines hold that too;
    `pid` when there is none yet)."""
    found = _running_with(["-m", SERVER_MODULE, "--inside", str(folder)])
    return found[0] if found else pid


def _running_with(arguments: list[str]) -> list[int]:
    """Pids of the Python processes started with exactly these arguments after the interpreter's name."""
    found = []
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            argv = Path(f"/proc/{name}/cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if argv[1:1 + len(arguments)] == arguments:
            found.append(int(name))
    return found


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(pid)


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not _gone(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def stop(pid: int | None, folder: Path, grace: float = 3.0) -> None:
    """Stop the server (its whole process group) if it is still ours; wait until it is gone."""
    if not pid:
        return
    if not is_ours(pid, folder):
        if _cmdline(pid) == "":  # exiting right now (its command line is already released): let it finish
            _wait_gone(pid, grace)
        return
    _signal_group(pid, signal.SIGTERM)
    if not _wait_gone(pid, grace):
        _signal_group(pid, signal.SIGKILL)
        _wait_gone(pid, 5.0)


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)  # the server leads its own session: this also stops what the script started
    except (ProcessLookupError, PermissionError, AttributeError):  # AttributeError: no process groups here
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def read_status(folder: Path) -> dict | None:
    """What the server last wrote about itself (pid, port, state, error), or None."""
    try:
        return json.loads((folder / STATUS_FILE).read_text())
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: dict) -> None:
    """Write JSON atomically, readable by the user only (0600: keys files hold secrets, and nothing under
    DP100_HOME is for other users)."""
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh)
    os.replace(tmp, path)


def tail(path: Path, num_lines: int) -> str:
    """The last `num_lines` lines of a text file ('' when it does not exist)."""
    try:
        lines = path.read_text(errors="replace").splitlines(keepends=True)
    except OSError:
        return ""
    return "".join(lines[-num_lines:]) if num_lines else "".join(lines)
