"""Where a command job's files live: the workspace's artifact store, as in Azure ML.

Azure keeps a job's logs, its `outputs/` and what MLflow logs to its run under `ExperimentRun/dcid.<job>/` of the
`azureml` container of the workspace's storage account, which the datastore `workspaceartifactstore` names;
`jobs.stream` and `jobs.download` read them there through the blob service. Here the job's MLflow run keeps its
artifacts in that very folder, so v1 (`Run.get_file_names`), MLflow and the blob service see the same files.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sim.cloud import datastores

ARTIFACT_STORE = "workspaceartifactstore"
ARTIFACT_CONTAINER = "azureml"


def tracking_uri(record) -> str:
    """The workspace's MLflow tracking URI as Azure reports it (`azureml://<region>.api.azureml.ms/mlflow/...`)."""
    return f"azureml://{record.location}.api.azureml.ms/mlflow/v1.0{record.arm_id}"


def ensure_artifact_store(record) -> None:
    """Register `workspaceartifactstore` (the `azureml` container of the workspace's account) if it is missing."""
    existing = {d.name for d in datastores.list(record)}
    if ARTIFACT_STORE in existing:
        return
    account = datastores.storage_account_name(record)
    key = datastores.secrets(record, datastores.WORKSPACE_BLOB_DATASTORE).get("account_key")
    datastores.register(record, ARTIFACT_STORE, datastores.AZURE_BLOB,
                        {"container_name": ARTIFACT_CONTAINER, "account_name": account, "protocol": "https",
                         "endpoint": "core.windows.net"}, {"account_key": key})


def run_folder(record, job_name: str) -> Path:
    """`ExperimentRun/dcid.<job>/` in the artifact store (created on demand)."""
    ensure_artifact_store(record)
    folder = datastores.content_root(record, ARTIFACT_STORE) / "ExperimentRun" / f"dcid.{job_name}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run_folder_uri(job_name: str) -> str:
    """The job's default output, as Azure reports it (`azureml://datastores/workspaceartifactstore/...`)."""
    return f"azureml://datastores/{ARTIFACT_STORE}/ExperimentRun/dcid.{job_name}"


def place_run_files(record, job_name: str) -> Path:
    """Point the job's MLflow run at its folder in the artifact store; returns the folder.

    MLflow fixes a run's artifact location when it creates the run (under its experiment's); just after
    creation nothing is logged yet, so the location can still be moved, as `sim.cloud.runs.tracking` moves
    the run id.
    """
    folder = run_folder(record, job_name)
    with closing(sqlite3.connect(record.mlflow_db, timeout=30)) as conn, conn:
        conn.execute("UPDATE runs SET artifact_uri = ? WHERE run_uuid = ?", (folder.as_uri(), job_name))
    return folder
