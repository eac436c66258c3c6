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


def create_run(record, experiment_id: str, tags: dict | None = None, run_name: str | None = None) -> str:
    """Create an MLflow run in the experiment and return its id (which is also the Azure ML run id)."""
    run = client(record).create_run(str(experiment_id), start_time=int(time.time() * 1000), tags=tags or {},
                                    run_name=run_name)
    return run.info.run_id


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

