"""The port of a local web service whose scoring server runs sandboxed, beside the simulated Azure.

With DP100_HOME hidden, a lab kernel has a network of its own, and the service starts a `LocalWebservice`'s
scoring server in a sandbox of its own, listening on a Unix socket that only the service's scoring route reaches.
Nothing would listen on the port the learner asked for. As Docker publishes a local container's port on the
learner's machine, a relay in the process that holds the `LocalWebservice` listens on that port of its loopback
(or on a free one) and passes each request to the service's scoring route: `http://127.0.0.1:<port>/score` works,
and `service.port` is the port asked for.

A relay lives as long as its process (a lab kernel restarted starts it again on first use), one per service; a
delete or a change of port stops it.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sim import messages
from sim._scoring_server import MAX_BODY_BYTES  # the servers' own limit; the route refuses more before reading it

# What a local scoring container answers: its liveness probe, its Swagger document and the scoring path.
PATHS = {"/": "/", "/score": "/score", "/swagger.json": "/swagger.json"}
PASSED_HEADERS = ("Content-Type", "Authorization", "Accept")
TIMEOUT_SECONDS = 300.0  # as the route's own: a learner's run() may be slow

_relays: dict[str, _Relay] = {}  # by the service's scoring route
_lock = threading.Lock()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - http.server's naming
        self._forward(None)

    def do_POST(self):  # noqa: N802
        size = self.headers.get("Content-Length", "0")
        if not size.isdigit():
            self._answer(400, b'{"message": "Content-Length must be a whole number."}', None, close=True)
            return
        size = int(size)
        if size > MAX_BODY_BYTES:
            self._answer(413, b'{"message": "Request body too large."}', "application/json", close=True)
            return
        self._forward(self.rfile.read(size))

    def _forward(self, body: bytes | None) -> None:
        tail = PATHS.get(self.path.split("?", 1)[0])
        if tail is None:
            self._answer(404, b'{"message": "Not found."}', "application/json")
            return
        request = urllib.request.Request(self.server.route + tail, data=body, method=self.command)
        for name in PASSED_HEADERS:
            if self.headers.get(name):
                request.add_header(name, self.headers[name])
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                self._answer(answer.status, answer.read(), answer.headers.get("Content-Type"))
        except urllib.error.HTTPError as refused:
            self._answer(refused.code, refused.read(), refused.headers.get("Content-Type"))
        except OSError as exc:  # the service is gone: what a stopped container's port says
            self._answer(502, f'{{"message": "The local service did not answer: {exc}"}}'.encode(), "application/json")

    def _answer(self, status: int, body: bytes, content_type: str | None, close: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type or "application/json")
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # no line per request in the learner's output
        pass


class _Relay(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, route: str):
        super().__init__(("127.0.0.1", port), _Handler)
        self.route = route
        self.asked = port
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def port_for(route: str, asked: int | None) -> int:
    """The local port of the service whose scoring route is `route` (without `/score`): its relay's, started on
    `asked` (a free port when None) unless one runs in this process already.

    Raises:
        OSError: the port asked for is taken here (the message says what to do).
    """
    with _lock:
        relay = _relays.get(route)
        if relay is not None and asked not in (None, relay.asked):
            relay.stop()  # redeployed on another port
            relay = None
        if relay is None:
            try:
                relay = _Relay(asked or 0, route)
            except OSError as exc:
                raise OSError(messages.SERVICE_LOCAL_PORT_BUSY.format(port=asked, error=exc)) from None
            _relays[route] = relay
        return relay.server_address[1]


def stop(route: str) -> None:
    """Stop the relay of the service whose scoring route is `route`, if this process runs one."""
    with _lock:
        relay = _relays.pop(route, None)
    if relay is not None:
        relay.stop()
