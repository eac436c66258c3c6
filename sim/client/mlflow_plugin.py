"""MLflow's `azureml://` scheme: a workspace's tracking URI opens that workspace's MLflow store.

An Azure ML workspace reports its tracking URI as
`azureml://<region>.api.azureml.ms/mlflow/v1.0/subscriptions/<sub>/resourceGroups/<rg>/providers/
Microsoft.MachineLearningServices/workspaces/<ws>`; a compute instance and every job preset it in
MLFLOW_TRACKING_URI. In Azure the `azureml-mlflow` package serves the scheme; here MLflow finds this module
through its plugin entry points (`mlflow.tracking_store` and `mlflow.model_registry_store` in pyproject.toml),
so `mlflow.set_tracking_uri(ws.mlflow_tracking_uri)` works in any process, without `sim.activate()`.

Searching runs waits for the experiments' jobs that are still running (at most `JOB_WAIT_SECONDS`): the
simulated jobs take seconds where Azure's take minutes, and a notebook that submits jobs and searches their runs
in the next cell (lab 08) would otherwise find them half done. A job's own process never waits.

The scheme resolves to the workspace's own SQLite store (`sim.cloud.workspaces` record `.mlflow_uri`) with its
artifact root. MLflow caches one store per URI for the life of a process, while a workspace can be deleted and
created again under the same name (a lab reset, each test) with a new store file; so the store MLflow holds
finds its workspace anew whenever the store file it opened has gone or DP100_HOME has changed.
"""

from __future__ import annotations

import os
import re
import threading
from urllib.parse import unquote, urlsplit

SCHEME = "azureml"
JOB_WAIT_SECONDS = 60.0
_PATH = re.compile(r"^/mlflow/v\d+\.\d+/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)/providers/"
                   r"microsoft\.machinelearningservices/workspaces/(?P<ws>[^/]+)/?$", re.IGNORECASE)


def workspace_ids(uri: str) -> tuple[str, str, str]:
    """(subscription, resource group, workspace) named by an `azureml://` tracking URI.

    Raises:
        MlflowException: when the URI is not a workspace tracking URI.
    """
    parts = urlsplit(uri)
    match = _PATH.match(unquote(parts.path)) if parts.scheme == SCHEME else None
    if match is None:
        from mlflow.exceptions import MlflowException

        from sim import messages

        raise MlflowException(messages.MLFLOW_URI_NOT_A_WORKSPACE.format(uri=uri))
    return match["sub"], match["rg"], match["ws"]


def workspace_record(uri: str):
    """The `sim.cloud.workspaces` record an `azureml://` tracking URI names.

    Raises:
        MlflowException: when the URI is malformed or names no workspace (RESOURCE_DOES_NOT_EXIST).
    """
    from sim.cloud import workspaces

    sub, rg, ws = workspace_ids(uri)
    record = workspaces.find(sub, rg, ws)
    if record is None:
        from mlflow.exceptions import MlflowException
        from mlflow.protos.databricks_pb2 import RESOURCE_DOES_NOT_EXIST

        from sim import messages

        raise MlflowException(messages.MLFLOW_WORKSPACE_NOT_FOUND.format(workspace=ws, resource_group=rg, uri=uri),
                              error_code=RESOURCE_DOES_NOT_EXIST)
    return record


class _FollowsWorkspace:
    """Mixin for a store that delegates its state to the current store of its workspace.

    The instance holds no store state of its own: the store class's methods run on it, and every attribute
    they read (engine, session maker, artifact root ...) comes from `_current()`, a real store on the
    workspace's present store file.
    """

    def __init__(self, store_uri: str):
        self._azureml_uri = store_uri
        self._opened = None  # (DP100_HOME, store file, real store)

    def __getattr__(self, name):
        if name.startswith("__") or name in ("_azureml_uri", "_opened"):
            raise AttributeError(name)
        return getattr(self._current(), name)

    def _current(self):
        opened = self.__dict__.get("_opened")
        home = os.environ.get("DP100_HOME", "")
        if opened is None or opened[0] != home or not os.path.exists(opened[1]):
            record = workspace_record(self._azureml_uri)
            opened = (home, str(record.mlflow_db), self._open(record))
            self.__dict__["_opened"] = opened
        return opened[2]

    def _open(self, record):
        raise NotImplementedError


def _quiet() -> None:
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("DO_NOT_TRACK", "true")


# Set by the service while it answers a job's own process (`sim.service.mlflow_api`), which must never wait either.
job_caller = threading.local()


def _wait_for_jobs(store, experiment_ids) -> None:
    if os.environ.get("MLFLOW_RUN_ID") or os.environ.get("AZUREML_RUN_ID") or getattr(job_caller, "active", False):
        return  # inside a job: its own run is one of those still running
    from sim.cloud import command_jobs

    names = [store.get_experiment(str(i)).name for i in experiment_ids or []]
    command_jobs.wait_for_jobs(workspace_record(store._azureml_uri), names, JOB_WAIT_SECONDS)


def _through_service() -> bool:
    from sim.service import locations

    return locations.mode() == "process"


def tracking_store(store_uri: str, artifact_uri: str | None = None):
    """MLflow's tracking store builder for `azureml://` URIs (entry point `mlflow.tracking_store`).

    In "process" mode (`DP100_SERVICE`), MLflow's REST client on the service's MLflow API instead.
    """
    if _through_service():
        from sim.service import mlflow_client

        return mlflow_client.tracking_store(store_uri)
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    _quiet()

    class WorkspaceTrackingStore(_FollowsWorkspace, SqlAlchemyStore):
        """The tracking store of the workspace an `azureml://` URI names."""

        def _open(self, record):
            return SqlAlchemyStore(record.mlflow_uri, artifact_uri or record.artifact_root.as_uri())

        def search_runs(self, experiment_ids, *args, **kwargs):
            _wait_for_jobs(self, experiment_ids)
            return SqlAlchemyStore.search_runs(self, experiment_ids, *args, **kwargs)

    store = WorkspaceTrackingStore(store_uri)
    store._current()  # a URI naming no workspace fails here, where MLflow asks for the store
    return store


def registry_store(store_uri: str, tracking_uri: str | None = None):
    """MLflow's model registry store builder for `azureml://` URIs (entry point `mlflow.model_registry_store`)."""
    if _through_service():
        from sim.service import mlflow_client

        return mlflow_client.registry_store(store_uri)
    from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore

    _quiet()

    class WorkspaceRegistryStore(_FollowsWorkspace, SqlAlchemyStore):
        """The model registry of the workspace an `azureml://` URI names (one store with its tracking)."""

        def _open(self, record):
            return SqlAlchemyStore(record.mlflow_uri)

    store = WorkspaceRegistryStore(store_uri)
    store._current()
    return store
