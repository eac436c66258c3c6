"""The service process: `python -m sim.service` (started on demand by `sim.service.launcher`, never by hand).

It listens on its home's Unix socket (0600, in a 0700 folder: the file system is the access check) and on an
ephemeral 127.0.0.1 port where every request must carry the home's token (MLflow's client needs an http URI;
and it is the only way in where Unix sockets are not available). It publishes `service.json` once it answers,
and stops, removing its record and socket, when it has been idle for `DP100_SERVICE_IDLE_SECONDS`, on SIGTERM,
or when its record or home is gone or names another process (`dp100 reset`, a test's folder removed).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import struct
import sys
import threading
import time
from pathlib import Path

from sim.service import locations

TICK_SECONDS = 0.5
DRAIN_SECONDS = 0.3  # after the socket file is gone, how long connections already made are still answered
# mlflow too: two request threads importing it at once met it half imported ("partially initialized module
# 'mlflow' has no attribute 'version'", seen once in 50 kills of Model.register through the service).
PRELOAD = ("sim.rest._app", "sim.cloud.workspaces", "sim.service.calls", "mlflow")
PORT_FILE = "port"  # in the service's folder: the last TCP port, asked for again at the next start


def _tagged(app, transport: str):
    def tagged(environ, start_response):
        environ["dp100.transport"] = transport
        return app(environ, start_response)

    return tagged


def _request_handler():
    """Werkzeug's request handler, keeping the headers whose names hold '_'.

    Werkzeug drops them (behind a proxy, `X-Foo_Bar` could pose as `X-Foo-Bar`), but Azure's blob metadata
    travels in such headers (azure-ai-ml's `x-ms-meta-upload_status`), and the in-process mode keeps them too.
    """
    from werkzeug.serving import WSGIRequestHandler

    class KeepUnderscoreHeaders(WSGIRequestHandler):
        def make_environ(self):
            environ = super().make_environ()
            environ["dp100.peer_pid"] = _peer_pid(self.connection)
            for key, value in self.headers.items():
                if "_" in key:
                    environ.setdefault("HTTP_" + key.upper().replace("-", "_"), value.replace("\r\n", ""))
            return environ

    return KeepUnderscoreHeaders


def _peer_pid(connection) -> int | None:
    """The pid of the process at the other end of a Unix socket (None over TCP): the caller a run is made for."""
    if getattr(connection, "family", None) != socket.AF_UNIX or not hasattr(socket, "SO_PEERCRED"):
        return None
    try:
        pid, _uid, _gid = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                                   struct.calcsize("3i")))
    except OSError:
        return None
    return pid or None


def _listen(guard) -> tuple[list, Path | None]:
    """Bind the servers (Unix socket when available, TCP always); returns them and the socket path."""
    from werkzeug.serving import make_server

    handler = _request_handler()
    servers, socket_file = [], None
    if locations.listen_unix():
        socket_file = locations.socket_path()
        servers.append(make_server(f"unix://{socket_file}", 0, _tagged(guard, "unix"), threaded=True,
                                   request_handler=handler))
        os.chmod(socket_file, 0o600)
    servers.append(_tcp_server(make_server, _tagged(guard, "tcp"), handler))
    return servers, socket_file


def _tcp_server(make_server, app, handler):
    """The TCP server, on the port this home's service had last time when it is free: scoring URIs and MLflow URIs
    handed out then name it, and a sandboxed kernel's forwarder listens on it."""
    preferred = _last_port()
    try:
        server = make_server("127.0.0.1", preferred, app, threaded=True, request_handler=handler)
    except (OSError, SystemExit):  # werkzeug exits when the port is taken (by someone else since the probe)
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=handler)
    (locations.folder() / PORT_FILE).write_text(str(server.port))
    return server


def _last_port() -> int:
    """The port the previous service of this home listened on, if nothing else holds it now; else 0 (any port)."""
    try:
        port = int((locations.folder() / PORT_FILE).read_text())
    except (OSError, ValueError):
        return 0
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug binds: TIME_WAIT does not count
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return 0
    return port


def _preload() -> None:
    """Import what every request needs before saying "ready", so the first answer is as fast as the next."""
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    from sim.rest import _app

    _app._url_map()


def _still_ours(home: Path) -> bool:
    record = locations.read_record() if home.is_dir() else None
    return record is not None and record.get("pid") == os.getpid()


def _driving_sweeps() -> bool:
    """True while this service drives a HyperDrive sweep: nobody may be asking, but its children still run (an
    idle stop would cancel them, as the end of any process that drives a sweep does)."""
    from sim.cloud.sweeps import engine

    return engine.driving()


def _keeping_servers() -> bool:
    """True while a sandboxed scoring server this service started runs (it would stop with the service)."""
    from sim.cloud.services import _process

    return _process.keeping_servers()


def _watch(guard, home: Path, stop: threading.Event, idle_limit: float) -> str:
    """Wait until the service should stop; returns why."""
    while not stop.wait(TICK_SECONDS):
        if guard.idle_for() >= idle_limit and not _driving_sweeps() and not _keeping_servers():
            return "idle"
        if not _still_ours(home):
            return "record gone"
    return "asked to stop"


def _close(servers, socket_file: Path | None, home: Path) -> None:
    if _still_ours(home):
        locations.record_path().unlink(missing_ok=True)
    if socket_file is not None:
        socket_file.unlink(missing_ok=True)  # no new connections from here on ...
    time.sleep(DRAIN_SECONDS)  # ... while those already queued are still answered
    for server in servers:
        server.shutdown()
        server.server_close()


def _stop_event() -> threading.Event:
    """An event set by SIGTERM or SIGINT (`dp100 service stop`, `dp100 reset`, Ctrl+C in a terminal)."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    return stop


def _publish(servers, socket_file: Path | None) -> None:
    """Start answering on every server, then say so in the record (starters wait for it)."""
    for server in servers:
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    locations.write_record({"pid": os.getpid(), "socket": str(socket_file) if socket_file else None,
                            "port": servers[-1].port, "started": time.time(), "python": sys.executable})


def serve() -> int:
    """Run the service until it stops; returns the process exit code."""
    from dp100 import paths
    from sim.cloud import storage_ceiling
    from sim.service import app

    locations.IN_SERVICE = True  # what this process serves, it answers itself (never through a channel)
    paths.keep_private()
    home = paths.ensure_home()
    idle_limit = locations.idle_seconds()  # a bad setting fails the start, where the starter reports it
    storage_ceiling.quota_mb()  # so does a bad storage ceiling, rather than every write later
    for name in ("MLFLOW_DISABLE_TELEMETRY", "DO_NOT_TRACK"):
        os.environ.setdefault(name, "true")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request in the log
    stop = _stop_event()
    guard = app.Guard(app.application, locations.token())
    servers, socket_file = _listen(guard)
    _preload()
    from sim.cloud import gateway

    gateway.serve_through(f"http://127.0.0.1:{servers[-1].port}{gateway.ROUTE}")  # URIs name this service
    _publish(servers, socket_file)
    reason = _watch(guard, home, stop, idle_limit)
    print(f"simulated Azure service {os.getpid()} stopping: {reason}", file=sys.stderr, flush=True)
    _close(servers, socket_file, home)
    return 0
