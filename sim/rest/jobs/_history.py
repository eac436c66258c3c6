"""Run history (the workspace data plane, `<region>.api.azureml.ms/history/v1.0/...`): runs and their details.

`jobs.stream` polls a run's details for its status and log files (each a blob URL with a SAS token, read
through the blob service), `jobs.download` reads a run's outputs (`rundata`), a job fetched then changed
(`create_or_update` of a job that exists) patches the run's display name, description, tags and properties.
Every run of the workspace is a run here, v1 runs included.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from werkzeug.routing import Rule

from sim.cloud import command_jobs, experiments
from sim.cloud.runs import files, lifecycle, listing, state, tracking
from sim.rest._shapes import json_body
from sim.rest.jobs._outputs import run_outputs
from sim.rest.workspaces import workspace_record

DATA_PLANE = "<region>.api.azureml.ms"
BASE = ("/history/v1.0/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/"
        "workspaces/<ws>")
LOG_FOLDERS = ("user_logs/", "azureml-logs/", "logs/", "system_logs/")


def _run_row(sub, rg, ws, run_id):
    record = workspace_record(sub, rg, ws)
    return record, lifecycle.record_of(record, run_id)


def _sas() -> str:
    expiry = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"sv=2021-08-06&sr=b&sp=r&se={expiry}&sig=simulated"


def log_files(record, run_id: str) -> dict:
    """{log name: blob URL} of a run's logs kept in blob storage (a job's, in the artifact store)."""
    root = files.artifact_root(record, run_id)
    storage = Path(record.storage_root)
    if storage not in root.parents:
        return {}
    account, container, *prefix = root.relative_to(storage).parts
    base = f"https://{account}.blob.core.windows.net/{container}/{'/'.join(prefix)}"
    return {name: f"{base}/{name}?{_sas()}" for name in files.names(record, run_id) if name.startswith(LOG_FOLDERS)}


def run_views(record, rows: list[dict]) -> dict[str, dict]:
    """{run id: what a run's shape needs beyond its record} for a page of runs, read in a few queries for all:
    the record with its current status, the run's tags and display name, its experiment's id."""
    current = lifecycle.with_current_status(record, rows)
    tags = listing.tags(record, [r["run_id"] for r in rows])
    experiment_ids = {name: experiments.get_or_create(record, name, create=False).id
                      for name in {r["experiment"] for r in rows}}
    return {r["run_id"]: {"row": r, "tags": tags[r["run_id"]], "display_name": r["display_name"],
                          "experiment_id": experiment_ids[r["experiment"]]} for r in current}


def _common(record, view: dict) -> dict:
    row = view["row"]
    run_id, current = row["run_id"], row["status"]
    out = {"runId": run_id, "runUuid": run_id, "runNumber": row["number"], "status": current,
           "target": row["target"], "properties": dict(row["properties"] or {}), "tags": view["tags"],
           "createdUtc": lifecycle.iso(row["created"]), "startTimeUtc": lifecycle.iso(row["started"]),
           "endTimeUtc": lifecycle.iso(row["ended"]) if current in state.TERMINAL else None,
           "parentRunId": row["parent_run_id"], "rootRunId": row["parent_run_id"] or run_id,
           "warnings": [], "inputDatasets": [], "outputDatasets": [], "services": {}}
    if row["error"]:
        out["error"] = row["error"]
    return out


def run_json(record, row: dict, view: dict | None = None) -> dict:
    """A Run of run history (`view`: the run's entry of `run_views`, read here when not given)."""
    view = view or run_views(record, [row])[row["run_id"]]
    out = _common(record, view)
    definition = row["definition"] or {}
    out.update(createdUtc=out["createdUtc"], runType=row["run_type"], name=None, hidden=False,
               displayName=view["display_name"] or row["run_id"],
               description=definition.get("description"), outputs=run_outputs(record, row), inputs={},
               experimentId=view["experiment_id"])
    return out


def details_json(record, row: dict) -> dict:
    """The RunDetails of a run: status, times, error, and its log files as URLs."""
    out = _common(record, run_views(record, [row])[row["run_id"]])
    out.update(createdTimeUtc=out.pop("createdUtc"), logFiles=log_files(record, row["run_id"]),
               runDefinition={})
    return out


def get_details(request, region, sub, rg, ws, run_id, experiment=None, experiment_id=None):
    """A run's details (`jobs.stream` polls this)."""
    record, row = _run_row(sub, rg, ws, run_id)
    return details_json(record, row)


def get_run(request, region, sub, rg, ws, run_id, experiment=None, experiment_id=None):
    """A run."""
    record, row = _run_row(sub, rg, ws, run_id)
    return run_json(record, row)


def get_run_data(request, region, sub, rg, ws):
    """A run with its definition (`jobs.download` reads the outputs from it)."""
    record, row = _run_row(sub, rg, ws, str(json_body(request).get("runId") or ""))
    return {"runMetadata": run_json(record, row), "runDefinition": None, "jobSpecification": None}


def get_children(request, region, sub, rg, ws, run_id, experiment=None, experiment_id=None):
    """A run's child runs, oldest first: all of them, or the first `$top`.

    One answer holds them all (no `nextLink`): azure-ai-ml 1.35 reads a single page of children, so a paged answer
    would hide the rest from `jobs.list(parent_job_name=...)`. They are read in a few queries for all of them.
    """
    record, row = _run_row(sub, rg, ws, run_id)
    rows = listing.page(record, limit=request.args.get("$top", type=int), oldest_first=True,
                        parent_run_id=row["run_id"])
    views = run_views(record, rows) if rows else {}
    return {"value": [run_json(record, r, views[r["run_id"]]) for r in rows]}


def patch_run(request, region, sub, rg, ws, experiment, run_id):
    """Change a run's display name, description, tags or properties."""
    record, row = _run_row(sub, rg, ws, run_id)
    body = json_body(request)
    if body.get("tags"):
        lifecycle.set_tags(record, run_id, body["tags"])
    if body.get("properties"):
        state.add_properties(record, run_id, body["properties"])
    if body.get("displayName"):
        tracking.client(record).set_tag(run_id, "mlflow.runName", str(body["displayName"]))
    if body.get("description") is not None and command_jobs.is_command_job(row):
        command_jobs.set_description(record, run_id, str(body["description"]))
    return run_json(record, state.get(record, run_id))


def _rules(suffix: str, endpoint, methods=("GET",)) -> list[Rule]:
    scopes = ("", "/experiments/<experiment>", "/experimentids/<experiment_id>")
    return [Rule(f"{BASE}{scope}/runs/<run_id>{suffix}", host=DATA_PLANE, endpoint=endpoint, methods=list(methods))
            for scope in scopes]


ROUTES = [
    *_rules("/details", get_details),
    *_rules("", get_run),
    *_rules("/children", get_children),
    Rule(f"{BASE}/experiments/<experiment>/runs/<run_id>", host=DATA_PLANE, endpoint=patch_run, methods=["PATCH"]),
    Rule(f"{BASE}/rundata", host=DATA_PLANE, endpoint=get_run_data, methods=["POST"]),
]
