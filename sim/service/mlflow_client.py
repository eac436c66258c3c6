"""MLflow's client side in "process" mode: an `azureml://` tracking URI talks HTTP to the service.

As `azureml-mlflow` turns a workspace's `azureml://` URI into MLflow's REST client on
`https://<region>.api.azureml.ms/mlflow/v1.0/<workspace ARM id>`, the tracking plugin
(`sim.client.mlflow_plugin`) gives MLflow a `RestStore` on that same Azure address. MLflow's requests to it go
through the simulator's transport adapter (`sim.client.transport.SimulatedAzureAdapter`), mounted for that host
on MLflow's own HTTP session, so they reach the service the way the SDK v2's do: over the home's Unix socket (a
sandbox needs only the socket), and the service answers with MLflow's own handlers (`sim.service.mlflow_api`).

A job's own process adds `JOB_SEGMENT` to its host path: the service then never makes its searches wait for the
experiment's running jobs (its own run is one of them), as the in-process store never does inside a job.

Artifacts: the service names a run's or a model's files by `azureml://` artifact URIs
(`sim.service.mlflow_artifacts`), never by host paths a sandbox could not open; `artifact_repository`, MLflow's
`mlflow.artifact_repository` entry point for the `azureml` scheme (as `azureml-mlflow` registers one), reads and
writes them through the service's `mlflow-artifacts` routes, in either mode.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

JOB_SEGMENT = "/_sim-job"
_hosts: set[str] = set()  # Azure hosts MLflow's session must send to the simulator
_ARTIFACT_URI = re.compile(r"^azureml://(?P<host>[^/]+)(?P<workspace>/mlflow/v\d+\.\d+/subscriptions/[^/]+/"
                           r"resourceGroups/[^/]+/providers/Microsoft\.MachineLearningServices/workspaces/[^/]+)"
                           r"/artifacts(?P<path>/.*)?$", re.IGNORECASE)


def _in_a_job() -> bool:
    return bool(os.environ.get("MLFLOW_RUN_ID") or os.environ.get("AZUREML_RUN_ID"))


def rest_host(uri: str) -> str:
    """The https address of the workspace's MLflow API that an `azureml://` URI names (as azureml-mlflow makes)."""
    from sim.client.mlflow_plugin import workspace_ids

    sub, rg, ws = workspace_ids(uri)  # a malformed URI fails here, when MLflow asks for the store
    host = urlsplit(uri).netloc
    return (f"https://{host}/mlflow/v1.0/subscriptions/{sub}/resourceGroups/{rg}/providers/"
            f"Microsoft.MachineLearningServices/workspaces/{ws}{JOB_SEGMENT if _in_a_job() else ''}")


def _host_creds(uri: str):
    from mlflow.utils.rest_utils import MlflowHostCreds

    address = rest_host(uri)
    _route_to_simulator(urlsplit(address).netloc)
    return lambda: MlflowHostCreds(address)


def _route_to_simulator(host: str) -> None:
    """Mount the simulator's adapter for `host` on the sessions MLflow makes (a longer prefix wins in requests)."""
    from mlflow.utils import request_utils

    _hosts.add(host)
    if getattr(request_utils._get_request_session, "_sim_routed", False):
        return
    original = request_utils._get_request_session

    def _get_request_session(*args, **kwargs):
        from sim.client.transport import SimulatedAzureAdapter

        session = original(*args, **kwargs)
        for name in _hosts - getattr(session, "_sim_hosts", set()):
            session.mount(f"https://{name}/", SimulatedAzureAdapter())
        session._sim_hosts = set(_hosts)
        return session

    _get_request_session._sim_routed = True
    request_utils._get_request_session = _get_request_session


def tracking_store(uri: str):
    """MLflow's REST tracking store on the service, for an `azureml://` workspace URI."""
    from mlflow.store.tracking.rest_store import RestStore

    # MLflow prints a "View run at <host>/#/..." link for REST stores: the service has no MLflow UI to open, and
    # the in-process store prints none, so both modes print the same.
    os.environ.setdefault("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true")
    return RestStore(_host_creds(uri))


def registry_store(uri: str):
    """MLflow's REST model registry store on the service, for an `azureml://` workspace URI."""
    from mlflow.store.model_registry.rest_store import RestStore

    return RestStore(_host_creds(uri))


def artifact_repository(artifact_uri: str, tracking_uri: str | None = None, registry_uri: str | None = None):
    """MLflow's artifact repository for a workspace's `azureml://` artifact URI (entry point
    `mlflow.artifact_repository`): MLflow's HTTP repository on the service's `mlflow-artifacts` routes.

    Raises:
        MlflowException: for an `azureml://` URI that is not a workspace's artifact URI.
    """
    from mlflow.store.artifact.http_artifact_repo import HttpArtifactRepository

    from sim.service.mlflow_artifacts import ARTIFACT_ROUTE

    found = _ARTIFACT_URI.match(artifact_uri or "")
    if found is None:
        from mlflow.exceptions import MlflowException

        from sim import messages

        raise MlflowException.invalid_parameter_value(messages.MLFLOW_ARTIFACT_URI_NOT_SERVED.format(uri=artifact_uri))
    _route_to_simulator(found["host"])
    address = f"https://{found['host']}{found['workspace']}{ARTIFACT_ROUTE}{(found['path'] or '').rstrip('/')}"
    return HttpArtifactRepository(address, tracking_uri=tracking_uri, registry_uri=registry_uri)
