"""MLflow's REST API served by the simulated service, one workspace's store per request.

As in Azure, a workspace's tracking server lives under the data plane at
`/mlflow/v1.0/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/workspaces/<ws>`,
and MLflow's client appends its own REST paths (`/api/2.0/mlflow/runs/create` ...). The request handlers are
MLflow's own (`mlflow.server.handlers`, the ones `mlflow server` runs), so the protocol, validation and errors
are MLflow's; only the store they act on is chosen here: the workspace's SQLite store, through the same
`azureml://` store the tracking plugin opens (`sim.client.mlflow_plugin`).

MLflow's handlers find their store through two module functions (`_get_tracking_store`,
`_get_model_registry_store`); they are replaced once by functions that return the store of the workspace the
current request names (held per thread: the service answers each request in its own thread).
A job's own process calls under `.../workspaces/<ws>/_sim-job/api/...` (`sim.service.mlflow_client`).

Artifacts are served too, as Azure serves them: MLflow's own `mlflow-artifacts` handlers act on the workspace's
artifact areas (`sim.service.mlflow_artifacts`), every answer names `azureml://` artifact URIs instead of host paths,
and those URIs in a request are turned back before MLflow's handlers see them. A body over
`mlflow_artifacts.MAX_BODY_BYTES` is refused with a 413 before it is read.
"""

from __future__ import annotations

import io
import json
import re
import threading

from sim.service.app import consumed

PREFIX = re.compile(r"^(?P<prefix>/mlflow/v\d+\.\d+/subscriptions/(?P<sub>[^/]+)/resourceGroups/(?P<rg>[^/]+)/"
                    r"providers/Microsoft\.MachineLearningServices/workspaces/(?P<ws>[^/]+))(?P<job>/_sim-job)?"
                    r"(?P<rest>/api/.*)$",
                    re.IGNORECASE)
_current = threading.local()
_stores: dict[str, tuple] = {}  # azureml:// URI -> (tracking store, registry store)
_lock = threading.Lock()
_app = None


def match(path: str):
    """The workspace prefix match of an MLflow REST path, or None for any other path."""
    return PREFIX.match(path)


def workspace_uri(found) -> str:
    """The `azureml://` tracking URI of the workspace a matched path names."""
    sub, rg, ws = found["sub"], found["rg"], found["ws"]
    return (f"azureml://local.api.azureml.ms/mlflow/v1.0/subscriptions/{sub}/resourceGroups/{rg}/providers/"
            f"Microsoft.MachineLearningServices/workspaces/{ws}")


def _stores_for(uri: str) -> tuple:
    with _lock:  # two first requests for one workspace must not open two stores
        if uri not in _stores:
            from sim.client import mlflow_plugin

            _stores[uri] = (mlflow_plugin.tracking_store(uri), mlflow_plugin.registry_store(uri))
        return _stores[uri]


def _tracking_store(*args, **kwargs):
    return _current.stores[0]


def _registry_store(*args, **kwargs):
    return _current.stores[1]


def _artifact_repository(*args, **kwargs):
    return _current.space.get().repository()


def _serving_artifacts() -> bool:
    return True  # as `mlflow server --serve-artifacts`: the service is the only way to a workspace's artifacts


def _workspace_client(*args, **kwargs):
    """`MlflowClient` as MLflow's SQL model registry makes it to look up a `models:/<model id>` source: with no
    arguments that client follows the process's global tracking URI, which in the service names no workspace;
    during a request it is the request's workspace."""
    from mlflow.tracking.client import MlflowClient

    uri = getattr(_current, "uri", None)
    if uri and not args and not kwargs:
        return MlflowClient(tracking_uri=uri, registry_uri=uri)
    return MlflowClient(*args, **kwargs)


def _build_app():
    """A Flask app with MLflow's REST routes (`/api/...`), its handlers bound to the request's workspace."""
    from flask import Flask
    from mlflow.server import handlers

    handlers._get_tracking_store = _tracking_store
    handlers._get_model_registry_store = _registry_store
    handlers._get_artifact_repo_mlflow_artifacts = _artifact_repository
    handlers._is_serving_proxied_artifacts = _serving_artifacts
    from mlflow.store.model_registry import sqlalchemy_store as registry_sql

    registry_sql.MlflowClient = _workspace_client
    app = Flask("dp100_simulated_mlflow")
    for path, handler, methods in handlers.get_endpoints():
        if path.startswith("/api/"):
            app.add_url_rule(path, f"{handler.__name__}:{path}:{methods}", handler, methods=methods)
    return app


def _flask_app():
    global _app  # built once per process: it is code, the stores are chosen per request
    with _lock:
        if _app is None:
            _app = _build_app()
    return _app


class _Space:
    """The request's `ArtifactSpace`, made only when a request or an answer needs it (it reads the record)."""

    def __init__(self, uri: str):
        self._uri, self._space = uri, None

    def get(self):
        if self._space is None:
            from sim.client import mlflow_plugin
            from sim.service.mlflow_artifacts import ArtifactSpace

            self._space = ArtifactSpace(mlflow_plugin.workspace_record(self._uri))
        return self._space


def _mlflow_error(environ, start_response, exc):
    from werkzeug.wrappers import Response

    response = Response(exc.serialize_as_json(), status=exc.get_http_status_code(), content_type="application/json")
    return response(environ, start_response)


def application(environ, start_response, found):
    """Answer one MLflow REST request for the workspace `found` (a `match` result) names.

    A workspace that does not exist gets MLflow's own RESOURCE_DOES_NOT_EXIST error (404); a body over the limit a
    413; an artifact URI in the request that leaves the workspace's artifact areas a 400.
    """
    from mlflow.exceptions import MlflowException

    uri = workspace_uri(found)
    try:
        _current.stores, _current.uri = _stores_for(uri), uri
        _current.space = _Space(uri)
        if not _body_within_limit(environ):
            return _too_large(start_response, environ)
        if not found["rest"].startswith(_artifact_route()):
            _request_to_host(environ, found["rest"], _current.space)
    except MlflowException as exc:
        _current.stores = _current.space = _current.uri = None
        return _mlflow_error(environ, start_response, exc)
    from sim.client import mlflow_plugin

    environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + found["prefix"] + (found["job"] or "")
    environ["PATH_INFO"] = found["rest"]
    mlflow_plugin.job_caller.active = bool(found["job"])  # a job's own searches never wait for running jobs
    try:
        if found["rest"].startswith(_artifact_route()):
            return _artifact_answer(environ, start_response)  # files pass as they are
        return _answer_to_public(environ, start_response, _current.space)
    finally:
        _current.stores = _current.space = _current.uri = None
        mlflow_plugin.job_caller.active = False


def _artifact_answer(environ, start_response) -> list[bytes]:
    """MLflow's artifact handler; an upload counts against the storage ceiling (`sim.cloud.storage_ceiling`) and is
    refused before a byte is written when it would pass it. An upload MLflow then refuses (a bad path) stays counted
    until the next walk of the store, which is what a refusal waits for."""
    from sim.cloud import storage_ceiling
    from sim.cloud.errors import RUN, StorageFull

    if environ.get("REQUEST_METHOD") != "PUT":
        return consumed(_flask_app()(environ, start_response))
    what = f"the artifact '{environ.get('PATH_INFO', '').removeprefix(_artifact_route()).lstrip('/')}'"
    try:
        with storage_ceiling.accepting(int(environ.get("CONTENT_LENGTH") or 0), what, RUN):
            return consumed(_flask_app()(environ, start_response))
    except StorageFull as exc:
        # MLflow's own status for RESOURCE_EXHAUSTED is 429, which its client retries seven times with back-off,
        # sending the body again each time; 507 Insufficient Storage says the same and is not retried.
        body = json.dumps({"error_code": "RESOURCE_EXHAUSTED", "message": exc.message}).encode()
        start_response("507 Insufficient Storage", [("Content-Type", "application/json"),
                                                    ("Content-Length", str(len(body)))])
        return [body]


def _artifact_route() -> str:
    from sim.service.mlflow_artifacts import ARTIFACT_ROUTE

    return ARTIFACT_ROUTE


# ---- request bodies: the size limit, and artifact URIs turned back into the store's host paths ----------------
def _body_within_limit(environ) -> bool:
    """False when the body is over the limit; a chunked body (no length) is read here, up to one byte past it."""
    from sim.service.mlflow_artifacts import MAX_BODY_BYTES

    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        return length <= MAX_BODY_BYTES
    if not environ.get("wsgi.input_terminated"):
        return True
    data = environ["wsgi.input"].read(MAX_BODY_BYTES + 1)
    _replace_body(environ, data)
    return len(data) <= MAX_BODY_BYTES


def _too_large(start_response, environ) -> list[bytes]:
    from sim import messages
    from sim.service.mlflow_artifacts import MAX_BODY_BYTES

    size = environ.get("CONTENT_LENGTH") or f"over {MAX_BODY_BYTES}"
    body = json.dumps({"error_code": "REQUEST_LIMIT_EXCEEDED",
                       "message": messages.MLFLOW_BODY_TOO_LARGE.format(size=size, limit=MAX_BODY_BYTES)}).encode()
    start_response("413 Request Entity Too Large", [("Content-Type", "application/json"),
                                                    ("Content-Length", str(len(body)))])
    return [body]


def _replace_body(environ, data: bytes) -> None:
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))
    environ.pop("wsgi.input_terminated", None)


def _request_to_host(environ, rest: str, space: _Space) -> None:
    """Turn the workspace's `azureml://` artifact URIs in a JSON body back into host paths; refuse an experiment
    location chosen by the caller (the service alone decides where files go)."""
    from sim import messages
    from sim.service.mlflow_artifacts import invalid

    length = int(environ.get("CONTENT_LENGTH") or 0)
    data = environ["wsgi.input"].read(length) if length else b""
    _replace_body(environ, data)
    try:
        body = json.loads(data) if data.lstrip().startswith(b"{") else None
    except ValueError:
        return  # MLflow's handler says what is wrong with it
    if not isinstance(body, dict):
        return
    if rest.endswith("/experiments/create") and body.get("artifact_location"):
        raise invalid(messages.MLFLOW_ARTIFACT_LOCATION_CHOSEN.format(location=body["artifact_location"]))
    if b"azureml://" in data:
        _replace_body(environ, json.dumps(space.get().host_json(body)).encode("utf-8"))


# ---- answers: host paths of the workspace's artifacts named by their azureml:// URIs -----------------------
def _answer_to_public(environ, start_response, space: _Space) -> list[bytes]:
    """MLflow's answer, its JSON naming `azureml://` artifact URIs where the store keeps `file:` ones."""
    held, chunks = [], []

    def hold(status, headers, exc_info=None):
        held[:] = [status, headers]
        return chunks.append

    chunks.extend(consumed(_flask_app()(environ, hold)))
    status, headers = held
    body = b"".join(chunks)
    if b'"file:' in body and any(k.lower() == "content-type" and "json" in v for k, v in headers):
        body = json.dumps(space.get().public_json(json.loads(body))).encode("utf-8")
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
    start_response(status, headers)
    return [body]
