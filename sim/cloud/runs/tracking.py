"""The MLflow side of runs: one client per workspace store, run creation and status mirroring."""

from __future__ import annotations

import os
import time
from functools import lru_cache


def quiet_mlflow() -> None:
    """Switch off MLflow telemetry, which would otherwise try to reach the internet."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("DO_NOT_TRACK", "true")


@lru_cache(maxsize=32)
def _client_for(uri: str):
    quiet_mlflow()
    from mlflow.tracking import MlflowClient

    return MlflowClient(tracking_uri=uri)


def client(record):
    """The MLflow client of a workspace's tracking store (one per store URI, reused)."""
    return _client_for(record.mlflow_uri)


def store(record):
    """The MLflow tracking store (SqlAlchemyStore) behind a workspace's client, for batch writes MLflow's client
    has no call for (`batch.start_many`)."""
    return client(record)._tracking_client.store


def create_run(record, experiment_id: str, run_id: str, tags: dict | None = None,
               run_name: str | None = None) -> str:
    """Create an MLflow run in the experiment under the Azure ML run id `run_id` and return that id.

    In an Azure ML workspace the MLflow run id *is* the Azure ML run id (`<experiment>_<time>_<hash>` for a
    submitted script). MLflow's `create_run` offers no way to choose it, so the run is written as `create_run`
    writes it (MLflow's own table models, one transaction) under its final id from the start: a process killed
    meanwhile leaves the run whole or absent, never a half-made run under a stray id that nobody would end.
    """
    from mlflow.utils.name_utils import _generate_random_name

    from sim.cloud.runs import batch, state

    tags = dict(tags or {})
    name = run_name or tags.get("mlflow.runName") or _generate_random_name()
    batch.write_mlflow_runs(record, experiment_id, [run_id], [time.time()], state.RUNNING, None, [tags], [name])
    return run_id


def mirror_status(record, run_id: str, mlflow_status: str) -> None:
    """Show an Azure ML status change in MLflow (terminal states also set the end time)."""
    mlc = client(record)
    if mlflow_status in ("FINISHED", "FAILED", "KILLED"):
        mlc.set_terminated(run_id, status=mlflow_status, end_time=int(time.time() * 1000))
    else:
        mlc.update_run(run_id, status=mlflow_status)


def get_run(record, run_id: str):
    """The MLflow run, or None when the store has no run with that id."""
    from mlflow.exceptions import MlflowException

    try:
        return client(record).get_run(run_id)
    except MlflowException:
        return None

