"""A job as the REST API shows it: the CommandJob or SweepJob as submitted plus what the service knows now."""

from __future__ import annotations

from sim.cloud import command_jobs, registry
from sim.cloud.command_jobs import artifacts
from sim.cloud.runs import lifecycle, listing, state
from sim.cloud.sweeps import sweep_jobs
from sim.rest._shapes import resource, workspace_id

STUDIO = "https://ml.azure.com"


def job_id(record, name: str) -> str:
    """The ARM id of a job."""
    return f"{workspace_id(record.subscription_id, record.resource_group, record.name)}/jobs/{name}"


def studio_url(record, name: str) -> str:
    """Where the Studio shows the job (the SDK appends `&tid=<tenant>` from the caller's token)."""
    return f"{STUDIO}/runs/{name}?wsid={record.arm_id}"


def services(record, name: str) -> dict:
    """The job's endpoints: the Studio page and the MLflow tracking URI."""
    return {"Studio": {"jobServiceType": "Studio", "endpoint": studio_url(record, name), "status": None},
            "Tracking": {"jobServiceType": "Tracking", "endpoint": artifacts.tracking_uri(record), "status": None}}


def job_views(record, rows: list[dict]) -> dict[str, dict]:
    """{job name: its current status, tags and display name} for a page of jobs, read in a few queries for all."""
    current = lifecycle.with_current_status(record, rows)
    tags = listing.tags(record, [r["run_id"] for r in rows])
    return {r["run_id"]: {"status": r["status"], "tags": tags[r["run_id"]], "display_name": r["display_name"]}
            for r in current}


def job_json(record, row: dict, view: dict | None = None) -> dict:
    """A JobBase resource (CommandJob properties) for a command job's service record.

    Azure also lists a `default` output (the run's folder in `workspaceartifactstore`); with it, `jobs.stream`
    lists the logs through that datastore and signs blob URLs with its account key, which the simulated
    listSecrets answers with a SAS token instead. Without it the SDK reads the logs from the run's details and
    downloads the run's files from the same folder, which it knows by convention (`ExperimentRun/dcid.<job>`).
    """
    name = row["run_id"]
    submitted = dict(row["definition"] or {})
    if registry.code_folder(submitted.get("codeId")) is not None:
        # A registry component's code shows as an asset of the workspace it ran in (the SDK loads no command job
        # whose code is a registry id), as Azure copies registry assets into the workspace that uses them.
        submitted["codeId"] = f"{record.arm_id}/codes/{registry.CODE_NAME}/versions/1"
    view = view or job_views(record, [row])[name]  # a listing reads its page's views at once
    props = {**submitted, "jobType": command_jobs.JOB_TYPE, "status": view["status"],
             "experimentName": row["experiment"],
             "displayName": view["display_name"] or submitted.get("displayName") or name,
             "tags": view["tags"], "services": services(record, name), "isArchived": False, "parameters": {},
             "outputs": dict(submitted.get("outputs") or {}),
             "properties": dict(submitted.get("properties") or {})}
    return resource(job_id(record, name), "workspaces/jobs", props, created=lifecycle.iso(row["created"]))


def sweep_json(record, row: dict, view: dict | None = None) -> dict:
    """A JobBase resource (SweepJob properties) for a sweep job's parent run.

    Its `properties` carry what the service adds as the sweep runs, as in Azure: `primary_metric_config`,
    `space_size`, `runTemplate` ... and, once it ends, `best_child_run_id`, `score`, `best_metric_status`.
    """
    out = job_json(record, row, view)
    props = out["properties"]
    props.pop("hyperdrive", None)  # the engine's own record of the settings, not part of the SweepJob
    props["jobType"] = sweep_jobs.JOB_TYPE
    props["properties"] = {**props["properties"], **(state.get(record, row["run_id"])["properties"] or {})}
    return out


def script_run_json(record, row: dict) -> dict:
    """A script run the service started (an SDK v1 step, an AutoML trial, a batch job's scoring) as the REST API
    shows it: a command job whose command is the script with its arguments."""
    definition = row["definition"] or {}
    command = " ".join(["python", str(definition.get("script") or ""), *map(str, definition.get("arguments") or [])])
    as_job = {"command": command.strip(), "computeId": row["target"], "experimentName": row["experiment"],
              "outputs": definition.get("outputs") or {}, "jobType": command_jobs.JOB_TYPE}
    return job_json(record, dict(row, definition=as_job))

