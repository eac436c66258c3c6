"""The one way in to the simulated Azure: `send` a request, in this process or to the service process.

`locations.mode()` decides (env `DP100_SERVICE`): "inprocess" runs the service's application here, as a
function call; "process" sends the same request over the home's Unix socket (or its token-guarded TCP port)
to the service process, starting it when none runs. A service that has gone (killed, crashed, stopped idle) is
noticed when the connection fails and started again; the request is sent again only when it never reached the
old one, since sending a request twice could do its work twice.
"""

from __future__ import annotations

import http.client
import json
import socket
from urllib.parse import urlsplit

from sim.service import locations

DEFAULT_TIMEOUT_SECONDS = 300.0  # azure-core's own default read timeout
HOP_BY_HOP = ("connection", "transfer-encoding", "keep-alive")


class ServiceUnreachable(ConnectionError):
    """The service took the request but its answer never came (it died while answering)."""


class _NotConnected(OSError):
    """The connection could not be made: nothing was sent."""


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self._path)


def send(method: str, url: str, headers: dict, body: bytes, timeout: float | None = None) -> tuple[int, list, bytes]:
    """Send one request to the simulated Azure; returns (status, header pairs, body).

    Raises:
        ServiceStartError: when the service has to be started and cannot be.
        ServiceUnreachable: when the service died while answering (the request may or may not have been done).
    """
    if locations.mode() == "inprocess":
        return _in_process(method, url, headers, body)
    return _to_service(method, url, headers, body, timeout or DEFAULT_TIMEOUT_SECONDS)


def _in_process(method: str, url: str, headers: dict, body: bytes) -> tuple[int, list, bytes]:
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    from sim.service.app import application

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    builder = EnvironBuilder(method=method, base_url=f"{parts.scheme}://{parts.netloc}", path=path,
                             headers=headers, data=body)
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    app_iter, status, response_headers = run_wsgi_app(application, environ, buffered=True)
    return int(status.split()[0]), list(response_headers.items()), b"".join(app_iter)


def _to_service(method, url, headers, body, timeout) -> tuple[int, list, bytes]:
    from sim.service import launcher

    if locations.given_socket():
        return _to_given_socket(locations.given_socket(), method, url, headers, body, timeout)
    record = launcher.ensure_running()
    try:
        return _exchange(record, method, url, headers, body, timeout)
    except _NotConnected:
        record = launcher.ensure_running()  # it was gone: the record names a dead process now, or a new one
        return _exchange(record, method, url, headers, body, timeout)


def _to_given_socket(path: str, method, url, headers, body, timeout) -> tuple[int, list, bytes]:
    """A sandboxed kernel's way in: the socket its sandbox named; a service that is gone is said, not started here."""
    try:
        return _exchange({"socket": path}, method, url, headers, body, timeout)
    except _NotConnected as exc:
        from sim import messages

        raise ServiceUnreachable(messages.SIM_SERVICE_GONE_FOR_KERNEL.format(socket=path, reason=exc)) from None


def _connection(record: dict, timeout: float) -> tuple[http.client.HTTPConnection, dict]:
    """A connection to the service and the headers it needs (the token for TCP)."""
    if record.get("socket"):
        return _UnixConnection(record["socket"], timeout), {}
    connection = http.client.HTTPConnection("127.0.0.1", record["port"], timeout=timeout)
    return connection, {locations.TOKEN_HEADER: locations.token()}


def _exchange(record, method, url, headers, body, timeout) -> tuple[int, list, bytes]:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    connection, extra = _connection(record, timeout)
    sent = {**headers, **extra, "Host": parts.netloc, locations.SCHEME_HEADER: parts.scheme, "Connection": "close"}
    try:
        try:
            connection.connect()
        except OSError as exc:
            raise _NotConnected(str(exc)) from exc
        try:
            connection.request(method, path, body=body or None, headers=sent)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            from dp100 import paths
            from sim import messages

            raise ServiceUnreachable(messages.SIM_SERVICE_UNREACHABLE.format(
                home=paths.home(), method=method, url=url, reason=f"{type(exc).__name__}: {exc}")) from exc
    finally:
        connection.close()
    pairs = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
    return response.status, pairs, data


def control(record: dict, method: str, path: str) -> dict:
    """Ask the service itself (`/_sim/...` paths); returns its JSON answer."""
    status, _, data = _exchange(record, method, f"http://service{path}", {}, b"", 10.0)
    return json.loads(data) if status == 200 else {"status": status}
