"""The service's HTTP application: the call proxy and control paths, MLflow's REST API, then Azure's REST shapes.

    /_sim/ping, /_sim/status   is it up, and what it is (pid, home, uptime, requests served)
    /_sim/call                 the call proxy (`sim.service.calls`)
    /_sim/warm-up              start the job host now (a caller imported azure-ai-ml: a job comes soon)
    /mlflow/v1.0/.../api/...   MLflow's REST API for a workspace, its artifact proxy included (`sim.service.mlflow_api`)
    /_sim/score/.../score      a v1 web service's scoring URI, forwarded to its server (`sim.service.scoring_proxy`)
    anything else              `sim.rest.application` (ARM, data plane, blob storage, told apart by host)

The same application runs in the caller's process (mode "inprocess") and in the service process; the service
wraps it with `Guard`, which checks the token of TCP callers (scoring URIs excepted: as in Azure they are guarded
by the web service's keys) and counts requests for the idle stop.
"""

from __future__ import annotations

import hmac
import json
import os
import threading
import time

from sim import messages
from sim.service import locations

STARTED = time.time()


def _json(start_response, status: int, body: dict | bytes, reason: str = "") -> list[bytes]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
    start_response(f"{status} {reason or 'OK'}", [("Content-Type", "application/json"),
                                                 ("Content-Length", str(len(data)))])
    return [data]


def _read_body(environ) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length else b""


def _status(environ, start_response):
    from dp100 import paths

    served = environ.get("dp100.requests_served", 0)
    return _json(start_response, 200, {"pid": os.getpid(), "home": str(paths.home()),
                                       "uptime_seconds": round(time.time() - STARTED, 1), "requests": served})


def _call(environ, start_response):
    from sim.service import calls

    if environ["REQUEST_METHOD"] != "POST":
        return _json(start_response, 405, {"error": {"message": "POST a call to /_sim/call."}}, "Method Not Allowed")
    status, body = calls.answer(_read_body(environ), peer_pid=environ.get("dp100.peer_pid"))
    return _json(start_response, status, body, "OK" if status == 200 else "Error")


def _warm_up(environ, start_response):
    """Get the job host ready in the background (a caller that just imported azure-ai-ml will submit soon)."""
    from sim.cloud.runs import jobs

    jobs.warm_up()
    return _json(start_response, 200, {"ok": True})


def _ping(environ, start_response):
    """Is it up, and on which TCP port (a sandbox's forwarder follows a restarted service to its new port)."""
    record = locations.read_record() or {}
    return _json(start_response, 200, {"ok": True, "port": record.get("port")})


CONTROL = {"/_sim/ping": _ping,
           "/_sim/status": _status, "/_sim/call": _call, "/_sim/warm-up": _warm_up}


def application(environ, start_response):
    """The WSGI entry point (both modes)."""
    path = environ.get("PATH_INFO", "")
    scheme = environ.get("HTTP_" + locations.SCHEME_HEADER.upper().replace("-", "_"))
    if scheme in ("http", "https"):  # the scheme the SDK used: the REST shapes build URLs with it
        environ["wsgi.url_scheme"] = scheme
    if path in CONTROL:
        return CONTROL[path](environ, start_response)
    from sim.service import scoring_proxy

    if scoring_proxy.is_scoring_path(path):
        return scoring_proxy.application(environ, start_response)
    from sim.service import mlflow_api

    found = mlflow_api.match(path)
    if found is not None:
        return mlflow_api.application(environ, start_response, found)
    from sim.rest import application as rest_application

    return rest_application(environ, start_response)


def consumed(answer) -> list[bytes]:
    """The body of a WSGI answer as a list, its `close()` called as WSGI requires (Flask's teardown runs there).

    Read while the request is still being answered: a bound workspace is still bound (send_file reads late)."""
    try:
        return list(answer)
    finally:
        if hasattr(answer, "close"):
            answer.close()


def _unauthorized(environ, start_response):
    """401 in the caller's own error shape: MLflow's for its REST paths, Azure's for the rest."""
    message = messages.SIM_SERVICE_TOKEN_REQUIRED.format(header=locations.TOKEN_HEADER)
    if "/api/" in environ.get("PATH_INFO", "") and environ.get("PATH_INFO", "").lower().startswith("/mlflow/"):
        return _json(start_response, 401, {"error_code": "UNAUTHENTICATED", "message": message}, "Unauthorized")
    return _json(start_response, 401, {"error": {"code": "Unauthorized", "message": message}}, "Unauthorized")


def _public(environ) -> bool:
    """True for what anyone on the machine may call without the token: scoring URIs, guarded by their own keys."""
    from sim.service import scoring_proxy

    return scoring_proxy.is_scoring_path(environ.get("PATH_INFO", ""))


class Guard:
    """The service side of the application: a token check for TCP callers, request counts for the idle stop."""

    def __init__(self, app, token: str):
        self._app = app
        self._token = token.encode()
        self._lock = threading.Lock()
        self.in_flight = 0
        self.served = 0
        self.last_request = time.monotonic()

    def __call__(self, environ, start_response):
        if environ.get("dp100.transport") == "tcp" and not (self._token_ok(environ) or _public(environ)):
            return _unauthorized(environ, start_response)
        with self._lock:
            self.in_flight += 1
            self.served += 1
            environ["dp100.requests_served"] = self.served
        try:
            return consumed(self._app(environ, start_response))  # so in_flight covers the whole answer
        finally:
            with self._lock:
                self.in_flight -= 1
                self.last_request = time.monotonic()

    def _token_ok(self, environ) -> bool:
        given = environ.get("HTTP_" + locations.TOKEN_HEADER.upper().replace("-", "_"), "")
        if not given:  # MLflow's client sends MLFLOW_TRACKING_TOKEN as a bearer token
            given = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), self._token)

    def idle_for(self) -> float:
        """Seconds since the last request ended (0 while one is being answered)."""
        with self._lock:
            return 0.0 if self.in_flight else time.monotonic() - self.last_request
