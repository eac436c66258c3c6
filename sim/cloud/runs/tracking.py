"""The MLflow side of runs: one client per workspace store, run creation and status mirroring."""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
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
    submitted script), so MLflow's own hex id is replaced before anything else is logged to the run.
    """
    run = client(record).create_run(str(experiment_id), start_time=int(time.time() * 1000), tags=tags or {},
                                    run_name=run_name)
    _rename(record, run.info.run_id, run_id)
    return run_id


def _rename(record, old: str, new: str) -> None:
    # MLflow offers no way to choose a run's id. Just after creation only the run row and its tags hold it,
    # and MLflow's SQLite engine is the one that turns foreign keys on; this plain connection leaves them off.
    with closing(sqlite3.connect(record.mlflow_db, timeout=30)) as conn, conn:
        conn.execute("UPDATE runs SET run_uuid = ?, artifact_uri = replace(artifact_uri, ?, ?) WHERE run_uuid = ?",
                     (new, f"/{old}/", f"/{new}/", old))
        conn.execute("UPDATE tags SET run_uuid = ? WHERE run_uuid = ?", (new, old))


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

