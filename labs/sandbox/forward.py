"""The service's TCP port inside a kernel's own network namespace: `forward.py --port P --socket S -- COMMAND...`.

A kernel whose sandbox has its own network sees only its own loopback, yet unchanged lab code calls the service
over HTTP: `requests.post(service.scoring_uri)`, an http MLflow tracking URI. This runs first inside the sandbox:
it binds 127.0.0.1:P (the service's port outside), then forks. The child forwards each connection to the service's
Unix socket S (bound read-only into the sandbox); the parent execs COMMAND (the kernel), so the kernel keeps the
sandbox's first pid and the forwarder dies with it (a parent-death signal, and the PID namespace's end).
A service that restarts on another port is followed: when the socket file changes, the forwarder asks the new
service its port (`/_sim/ping`) and listens there too.

Standard library only, run with `python -I -S`: it costs a kernel start one bare interpreter (~20 ms).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time

CHUNK = 65536
WATCH_SECONDS = 1.0
PR_SET_PDEATHSIG = 1


def listen(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:port inside this network namespace."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(128)
    return server


def _pipe(source: socket.socket, target: socket.socket) -> None:
    """Copy bytes one way until the source ends, then tell the target no more will come."""
    try:
        while data := source.recv(CHUNK):
            target.sendall(data)
    except OSError:
        pass
    try:
        target.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def _serve_one(client: socket.socket, socket_path: str) -> None:
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        upstream.connect(socket_path)
    except OSError:  # no service: the caller sees the connection close, as with a service that is down
        client.close()
        upstream.close()
        return
    back = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
    back.start()
    _pipe(client, upstream)
    back.join()
    client.close()
    upstream.close()


def _accept_forever(server: socket.socket, socket_path: str) -> None:
    while True:
        client, _ = server.accept()
        threading.Thread(target=_serve_one, args=(client, socket_path), daemon=True).start()


def _socket_identity(path: str) -> tuple[int, int, int] | None:
    """What tells one socket file from the next at the same path (an inode number may be reused at once)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino, found.st_ctime_ns


def service_port(socket_path: str) -> int | None:
    """The TCP port the service at `socket_path` listens on now (None when it does not answer)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(10)
            conn.connect(socket_path)
            conn.sendall(b"GET /_sim/ping HTTP/1.0\r\nHost: service\r\n\r\n")
            answer = b""
            while data := conn.recv(CHUNK):
                answer += data
        return int(json.loads(answer.split(b"\r\n\r\n", 1)[1])["port"])
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None


def _follow_restarts(socket_path: str, ports: set[int], seen) -> None:
    """Listen on the port of each new service too (a service restarted after an idle stop may get another);
    `seen` is the socket file's identity when the sandbox started."""
    while True:
        time.sleep(WATCH_SECONDS)
        now = _socket_identity(socket_path)
        if now is None or now == seen:
            continue
        seen = now
        port = service_port(socket_path)
        if port and port not in ports:
            try:
                server = listen(port)
            except OSError:
                continue
            ports.add(port)
            threading.Thread(target=_accept_forever, args=(server, socket_path), daemon=True).start()


def _die_with_parent() -> None:
    """Ask the kernel (of the machine) to kill this process when its parent, the lab kernel, ends."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # the sandbox's PID namespace still ends it with the kernel


def run_forwarder(server: socket.socket, port: int, socket_path: str, seen) -> None:
    """The child's life: forward connections until the parent (the kernel) ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Jupyter interrupts the kernel's whole process group
    threading.Thread(target=_follow_restarts, args=(socket_path, {port}, seen), daemon=True).start()
    try:
        _accept_forever(server, socket_path)
    finally:
        os._exit(0)


def start(port: int, socket_path: str) -> None:
    """Bind 127.0.0.1:port in this process's network and fork the forwarder, which ends with this process.

    `main` execs the kernel next; a job forked warm into its sandbox (`labs.sandbox.enter`) calls this itself.
    """
    seen = _socket_identity(socket_path)  # before anything can change it: a restart from now on is followed
    server = listen(port)
    parent = os.getpid()
    if os.fork() == 0:
        _die_with_parent()
        if os.getppid() != parent:  # the kernel ended before the signal was asked for
            os._exit(0)
        run_forwarder(server, port, socket_path, seen)
    server.close()


def main(argv: list[str]) -> None:
    """Bind, fork the forwarder, exec the command (see the module docstring)."""
    if "--" not in argv:
        sys.exit("usage: forward.py --port P --socket S -- COMMAND...")
    split = argv.index("--")
    options, command = dict(zip(argv[:split:2], argv[1:split:2], strict=False)), argv[split + 1:]
    start(int(options["--port"]), options["--socket"])
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
