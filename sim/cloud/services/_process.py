"""The scoring server processes: start, identify, stop (no orphans), and read their status file.

A server runs detached in its own session (it outlives the notebook that deployed it, as a cloud service
does) and is tracked by pid. Before signalling a pid we check it is still *our* server (its command line
names the service folder), so a recycled pid is never killed by mistake.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import sim

SERVER_MODULE = "sim._scoring_server"
STATUS_FILE, CONFIG_FILE, KEYS_FILE, LOG_FILE = "status.json", "service.json", "keys.json", "server.log"

# Popen objects of servers this process started, so finished ones are reaped (no zombies).
_children: dict[int, subprocess.Popen] = {}


def start(folder: Path) -> int:
    """Start the scoring server for the service in `folder`; return its pid."""
    _reap()
    (folder / STATUS_FILE).unlink(missing_ok=True)
    env = sim.subprocess_env({"PYTHONUNBUFFERED": "1"})
    with open(folder / LOG_FILE, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", SERVER_MODULE, str(folder)], cwd=str(folder / "app"), env=env,
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            close_fds=True)
    _children[proc.pid] = proc
    return proc.pid


def _reap() -> None:
    """Collect servers of ours that ended on their own (replaced, or their service folder removed)."""
    for pid, child in list(_children.items()):
        if child.poll() is not None:
            _children.pop(pid, None)


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
    child = _children.get(pid)
    if child is not None and child.poll() is not None:
        _children.pop(pid, None)
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


def stop(pid: int | None, folder: Path, grace: float = 3.0) -> None:
    """Stop the server (its whole process group) if it is still ours; wait until it is gone."""
    if not is_ours(pid, folder):
        _children.pop(pid or 0, None)
        return
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and is_ours(pid, folder):
        time.sleep(0.02)
    if is_ours(pid, folder):
        _signal_group(pid, signal.SIGKILL)
        while is_ours(pid, folder):
            time.sleep(0.02)
    child = _children.pop(pid, None)
    if child is not None:
        child.wait(timeout=5)


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


def write_json(path: Path, data: dict, private: bool = False) -> None:
    """Write JSON atomically (and with 0600 permissions when `private`)."""
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
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
