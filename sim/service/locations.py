"""Where a DP100_HOME's service lives and how it is chosen: folder, record, lock, socket, token, log, env names.

The service of a home keeps its files in `<DP100_HOME>/service/` (0700): `service.json` (the record a running
service writes once it answers: pid, socket, port), `start.lock` (held by whoever starts it), `token` (0600: the
secret a TCP caller must present) and `service.log`. Its Unix socket is `service.sock` there, unless that path is
too long for AF_UNIX (108 bytes, easily reached by deep temporary folders); then it lives in a private runtime
folder (`$XDG_RUNTIME_DIR` or `/tmp/dp100-<uid>`, 0700) under a name derived from the home.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from dp100 import paths

MODE_ENV = "DP100_SERVICE"  # "inprocess" (default) or "process"
IDLE_ENV = "DP100_SERVICE_IDLE_SECONDS"  # how long the service waits for a request before it stops
LISTEN_ENV = "DP100_SERVICE_LISTEN"  # "unix" (default: Unix socket plus token-guarded TCP) or "tcp" (TCP only)
# Set for a sandboxed lab kernel by its sandbox: the service's socket, which the kernel uses as it is. It can neither
# see the service's process (its own PID namespace) nor start one (it would run inside the sandbox, blind to the home).
SOCKET_ENV = "DP100_SERVICE_SOCKET"
TOKEN_HEADER = "X-DP100-Service-Token"
SCHEME_HEADER = "X-DP100-Scheme"  # the scheme of the URL the client asked for (the socket itself is plain HTTP)
DEFAULT_IDLE_SECONDS = 600.0
MAX_SOCKET_PATH = paths.MAX_SOCKET_PATH


def folder() -> Path:
    """The service's own folder under DP100_HOME (created, 0700)."""
    return paths.subdir("service")


def record_path() -> Path:
    """`service.json`: written by a running service, removed when it stops."""
    return folder() / "service.json"


def lock_path() -> Path:
    """The file whose lock a starter holds, so two starters never start two services."""
    return folder() / "start.lock"


def log_path() -> Path:
    """Where the service writes its own output (read back when it fails to start)."""
    return folder() / "service.log"


def socket_path() -> Path:
    """The Unix socket a new service listens on (see the module docstring for the long-path case)."""
    preferred = folder() / "service.sock"
    if len(str(preferred).encode()) <= MAX_SOCKET_PATH:
        return preferred
    return paths.runtime_dir() / f"dp100-service-{paths.home_digest()}.sock"


def given_socket() -> str:
    """The socket a sandbox gave this process (env `SOCKET_ENV`), or "" when it finds the service itself."""
    return os.environ.get(SOCKET_ENV, "").strip()


def token_path() -> Path:
    """The file holding this home's service token (0600)."""
    return folder() / "token"


def token() -> str:
    """This home's service token (made on first use, 0600): TCP callers send it in `TOKEN_HEADER`."""
    path = token_path()
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    secret = secrets.token_urlsafe(32)
    scratch = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secret)
    try:
        os.link(scratch, path)  # first writer wins; a racing starter reads the winner's token
    except FileExistsError:
        pass
    finally:
        scratch.unlink()
    return path.read_text().strip()


def read_record() -> dict | None:
    """The running service's record, or None when there is none (or it is half written)."""
    try:
        return json.loads(record_path().read_text())
    except (FileNotFoundError, ValueError):
        return None


def write_record(record: dict) -> None:
    """Publish the record atomically (a reader never sees half of it)."""
    target = record_path()
    scratch = target.with_suffix(f".{os.getpid()}.tmp")
    scratch.write_text(json.dumps(record))
    os.replace(scratch, target)


def idle_seconds() -> float:
    """The idle time after which a service stops (env `DP100_SERVICE_IDLE_SECONDS`, default 600)."""
    raw = os.environ.get(IDLE_ENV, "").strip()
    try:
        return float(raw) if raw else DEFAULT_IDLE_SECONDS
    except ValueError:
        from sim import messages

        raise ValueError(messages.SIM_SERVICE_BAD_IDLE.format(value=raw, env=IDLE_ENV)) from None


IN_SERVICE = False  # True in the service process itself, which always answers in-process


def mode() -> str:
    """How the simulated Azure answers: "inprocess" (in the caller) or "process" (the service process).

    The one place the choice is made (env `DP100_SERVICE`; the service itself is always "inprocess").
    """
    if IN_SERVICE:
        return "inprocess"
    raw = os.environ.get(MODE_ENV, "").strip().lower() or "inprocess"
    if raw not in ("inprocess", "process"):
        from sim import messages

        raise ValueError(messages.SIM_SERVICE_BAD_MODE.format(value=raw, env=MODE_ENV))
    return raw


def listen_unix() -> bool:
    """True unless TCP only was asked for or this platform has no Unix sockets."""
    import socket

    return hasattr(socket, "AF_UNIX") and os.environ.get(LISTEN_ENV, "unix").strip().lower() != "tcp"
