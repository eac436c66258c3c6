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


def _ping_answering(path: Path, port: int) -> socket.socket:
    """A Unix socket server playing a restarted service: `/_sim/ping` names `port`; anything else is echoed."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(8)
    ping = b'HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"ok": true, "port": %d}' % port

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                data = conn.recv(65536)
                conn.sendall(ping if data.startswith(b"GET /_sim/ping") else b"NEW " + data)

    threading.Thread(target=serve, daemon=True).start()
    return server


def test_a_service_restarted_on_another_port_is_followed_there(tmp_path):
    sock, flag = tmp_path / "s.sock", tmp_path / "restarted"
    first, port, new_port = _upper_echo(sock), _free_port(), _free_port()
    client = (f"import os, socket, time\nwhile not os.path.exists({str(flag)!r}):\n    time.sleep(0.05)\n"
              "deadline = time.monotonic() + 60\nwhile True:\n    try:\n"
              f"        c = socket.create_connection(('127.0.0.1', {new_port}), timeout=30)\n        break\n"
              "    except OSError:\n        if time.monotonic() > deadline: raise\n        time.sleep(0.1)\n"
              "c.sendall(b'hi')\nprint(c.recv(100).decode())")
    command = [sys.executable, "-I", "-S", str(FORWARDER), "--port", str(port), "--socket", str(sock), "--",
               sys.executable, "-c", client]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as proc:
        deadline = time.monotonic() + 60
        while _port_free(port) and time.monotonic() < deadline:  # the forwarder has started once it holds the port
            time.sleep(0.05)
        first.close()
        sock.unlink()
        second = _ping_answering(sock, new_port)  # a new socket file: the forwarder asks it for its port
        flag.write_text("yes")
        try:
            out, _ = proc.communicate(timeout=120)
        finally:
            second.close()
    assert proc.returncode == 0 and out.strip() == "NEW hi", out
