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
Artifacts are not proxied: a run's artifact URI is the workspace's folder, which the client writes itself.
"""

from __future__ import annotations

import re
import threading

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


def _build_app():
    """A Flask app with MLflow's REST routes (`/api/...`), its handlers bound to the request's workspace."""
    from flask import Flask
    from mlflow.server import handlers

    handlers._get_tracking_store = _tracking_store
    handlers._get_model_registry_store = _registry_store
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


def application(environ, start_response, found):
    """Answer one MLflow REST request for the workspace `found` (a `match` result) names.

    A workspace that does not exist gets MLflow's own RESOURCE_DOES_NOT_EXIST error (404).
    """
    from mlflow.exceptions import MlflowException
    from werkzeug.wrappers import Response

    try:
        _current.stores = _stores_for(workspace_uri(found))
    except MlflowException as exc:
        response = Response(exc.serialize_as_json(), status=exc.get_http_status_code(),
                            content_type="application/json")
        return response(environ, start_response)
    from sim.client import mlflow_plugin

    environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + found["prefix"] + (found["job"] or "")
    environ["PATH_INFO"] = found["rest"]
    mlflow_plugin.job_caller.active = bool(found["job"])  # a job's own searches never wait for running jobs
    try:
        return _flask_app()(environ, start_response)
    finally:
        _current.stores = None
        mlflow_plugin.job_caller.active = False
