"""MLflow's client side in "process" mode: an `azureml://` tracking URI talks HTTP to the service.

As `azureml-mlflow` turns a workspace's `azureml://` URI into MLflow's REST client on the workspace's
tracking server, the tracking plugin (`sim.client.mlflow_plugin`) gives MLflow a `RestStore` whose host is the
service's MLflow API for that workspace (`sim.service.mlflow_api`), on the service's 127.0.0.1 port with the
home's token. The host is looked up before every request, so a service that stopped idle or crashed is started
again and found on its new port.

A job's own process adds `JOB_SEGMENT` to its host path: the service then never makes its searches wait for the
experiment's running jobs (its own run is one of them), as the in-process store never does inside a job.
"""

from __future__ import annotations

import os

JOB_SEGMENT = "/_sim-job"


def _in_a_job() -> bool:
    return bool(os.environ.get("MLFLOW_RUN_ID") or os.environ.get("AZUREML_RUN_ID"))


def _host_creds(uri: str):
    """MLflow's per-request credentials callable for the workspace an `azureml://` URI names."""
    from mlflow.utils.rest_utils import MlflowHostCreds

    from sim.client.mlflow_plugin import workspace_ids
    from sim.service import launcher, locations

    sub, rg, ws = workspace_ids(uri)  # a malformed URI fails here, when MLflow asks for the store
    path = (f"/mlflow/v1.0/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/"
            f"workspaces/{ws}{JOB_SEGMENT if _in_a_job() else ''}")

    def creds() -> MlflowHostCreds:
        record = launcher.ensure_running()
        return MlflowHostCreds(f"http://127.0.0.1:{record['port']}{path}", token=locations.token())

    return creds


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
