"""The forwarder of the service's TCP port (labs/sandbox/forward.py), on its own: it binds the port, execs the
command it was given, passes each connection to the Unix socket both ways, and ends with the command."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import labs.sandbox.box as box_module

FORWARDER = Path(box_module.__file__).with_name("forward.py")


def _upper_echo(path: Path) -> socket.socket:
    """A Unix socket server that answers each connection with what it read, upper-cased."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(8)

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                data = b""
                while chunk := conn.recv(65536):
                    data += chunk
                conn.sendall(data.upper())

    threading.Thread(target=serve, daemon=True).start()
    return server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_the_command_reaches_the_socket_on_the_port_and_the_forwarder_ends_with_it(tmp_path):
    server = _upper_echo(tmp_path / "s.sock")
    port = _free_port()
    client = (f"import socket\nc = socket.create_connection(('127.0.0.1', {port}), timeout=30)\n"
              "c.sendall(b'x' * 200000 + b'hello')\nc.shutdown(socket.SHUT_WR)\ndata = b''\n"
              "while chunk := c.recv(65536):\n    data += chunk\nprint(len(data), data[-5:].decode())")
    try:
        done = subprocess.run([sys.executable, "-I", "-S", str(FORWARDER), "--port", str(port), "--socket",
                               str(tmp_path / "s.sock"), "--", sys.executable, "-c", client],
                              capture_output=True, text=True, timeout=120)
    finally:
        server.close()
    assert done.returncode == 0 and done.stdout.split() == ["200005", "HELLO"], done.stderr
    deadline = time.monotonic() + 20
    while not _port_free(port) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _port_free(port), "the forwarder outlived the command it started"


def test_without_a_command_it_says_how_it_is_called():
    done = subprocess.run([sys.executable, "-I", "-S", str(FORWARDER), "--port", "1"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0 and "usage: forward.py --port P --socket S -- COMMAND" in done.stderr
