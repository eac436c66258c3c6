"""The service's route to v1 web services: `/_sim/score/<subscription>/<resource group>/<workspace>/<service>/score`.

The scoring URIs the service hands out name this route (`sim.cloud.gateway`), so learner code never learns a
server's own port: a lab kernel in its own network namespace reaches the service's port through its sandbox's
forwarder, and the service forwards the request to the server: on 127.0.0.1, or, for a server sandboxed with its
own network (the home hidden), on the Unix socket in its folder (`_process.connection`). What the server answers
goes back as it is: a 401 for a missing or wrong key (the server checks keys, as Azure's front end does), the
model's result, the server's own 413 or 500. The route asks for no service token: a scoring URI is public in Azure,
guarded by the service's keys. A body over the servers' own limit is refused here before it is read, so it never
fills the service.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from sim import messages
from sim.cloud import gateway

# GET / is the liveness probe, GET /swagger.json the API description, POST /score a scoring request.
ROUTE = re.compile(re.escape(gateway.ROUTE) + r"/([^/]+)/([^/]+)/([^/]+)/([^/]+)(/score|/swagger\.json|/?)$")
FORWARD_TIMEOUT_SECONDS = 300.0  # a learner's run() may be slow; the server's own limits apply first
# A request that finds its server starting waits for it, as Azure's front end holds requests while a container
# starts: a server sandboxed beside the service stops with it and starts again on the next read, and a URI handed
# out before must keep working then.
STARTING_WAIT_SECONDS = 60.0
PASSED_HEADERS = ("Content-Type", "Authorization", "Accept")
HOP_BY_HOP = ("connection", "transfer-encoding", "keep-alive", "content-length")


def is_scoring_path(path: str) -> bool:
    """True for a path under the scoring route (the Guard lets those in without the service token)."""
    return path.startswith(gateway.ROUTE + "/")


def application(environ, start_response):
    """Forward one request to the web service its path names; errors as the SDK's JSON error shape."""
    found = ROUTE.match(environ.get("PATH_INFO", ""))
    if found is None:
        return _error(start_response, 404, messages.SCORING_ROUTE_UNKNOWN.format(path=environ.get("PATH_INFO")))
    *names, tail = (unquote(part) for part in found.groups())
    try:
        service = _serving(*names)
    except _NoAnswer as exc:
        return _error(start_response, exc.status, str(exc))
    body = _body(environ)
    if body is None:
        return _error(start_response, 413, messages.SCORING_BODY_TOO_LARGE.format(
            size=environ.get("CONTENT_LENGTH"), limit=max_body_bytes()))
    return _forward(start_response, service, environ, tail or "/", body)


class _NoAnswer(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _serving(subscription: str, resource_group: str, workspace: str, name: str):
    """The service's record, once the workspace and the service are found and its server is Healthy."""
    from sim.cloud import services, workspaces
    from sim.cloud.errors import NotFound
    from sim.cloud.services import _process

    try:
        record = workspaces.get(subscription, resource_group, workspace)
        service = services.get(record, name)
    except NotFound as exc:
        raise _NoAnswer(404, str(exc)) from None
    if service.state == services.TRANSITIONING:  # starting again (after this service restarted) or being updated
        service = services.wait(record, name, timeout=STARTING_WAIT_SECONDS)
    if service.state != services.HEALTHY or not _process.reachable(service.folder, service.port):
        raise _NoAnswer(503, messages.SCORING_SERVICE_NOT_SERVING.format(name=name, state=service.state))
    return service


def max_body_bytes() -> int:
    """The servers' own request size limit (the proxy refuses more before reading it)."""
    from sim._scoring_server import MAX_BODY_BYTES

    return MAX_BODY_BYTES


def _body(environ) -> bytes | None:
    """The request body, or None when it is over the limit (a declared length is checked before reading)."""
    limit = max_body_bytes()
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > limit:
        return None
    if length:
        return environ["wsgi.input"].read(length)
    if environ.get("wsgi.input_terminated"):  # chunked: read up to one byte past the limit to tell
        data = environ["wsgi.input"].read(limit + 1)
        return data if len(data) <= limit else None
    return b""


def _forward(start_response, service, environ, path: str, body: bytes):
    from sim.cloud.services import _process

    headers = {h: environ[_environ_key(h)] for h in PASSED_HEADERS if environ.get(_environ_key(h))}
    connection = _process.connection(service.folder, service.port, FORWARD_TIMEOUT_SECONDS)
    name = service.name
    try:
        connection.request(environ["REQUEST_METHOD"], path, body=body or None, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
    except OSError as exc:
        return _error(start_response, 502, messages.SCORING_SERVICE_UNREACHABLE.format(name=name, error=exc))
    finally:
        connection.close()
    kept = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP]
    start_response(f"{answer.status} {answer.reason}", [*kept, ("Content-Length", str(len(data)))])
    return [data]


def _environ_key(header: str) -> str:
    return "CONTENT_TYPE" if header == "Content-Type" else "HTTP_" + header.upper().replace("-", "_")


def _error(start_response, status: int, message: str):
    data = json.dumps({"error": {"code": _CODES.get(status, "Error"), "message": message}}).encode("utf-8")
    start_response(f"{status} {_CODES.get(status, 'Error')}", [("Content-Type", "application/json"),
                                                              ("Content-Length", str(len(data)))])
    return [data]


_CODES = {404: "NotFound", 413: "RequestEntityTooLarge", 502: "BadGateway", 503: "ServiceUnavailable"}
