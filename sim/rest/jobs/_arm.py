"""Jobs (ARM): submit a command, sweep or pipeline job, get, list, cancel."""

from __future__ import annotations

from werkzeug.routing import Rule

from sim import messages
from sim.cloud import command_jobs, pipelines
from sim.cloud.automl import automl_jobs
from sim.cloud.runs import listing, state
from sim.cloud.sweeps import sweep_jobs
from sim.rest import paging
from sim.rest._errors import RestError
from sim.rest._shapes import ARM_HOST, WS, json_body, page
from sim.rest.jobs._automl import automl_json
from sim.rest.jobs._pipeline import pipeline_json
from sim.rest.jobs._shape import job_json, job_views, script_run_json, sweep_json
from sim.rest.workspaces import workspace_record

JOBS = f"{WS}/jobs"
# jobType -> (the service module that runs that kind, its REST shape); job kinds not listed answer 501 NotSimulated.
# Each module has submit, get (the record, moved on to its current state), list_jobs and cancel.
KINDS = {"command": (command_jobs, job_json), "sweep": (sweep_jobs, sweep_json),
         "pipeline": (pipelines, pipeline_json), "automl": (automl_jobs, automl_json)}


def _kind(row: dict | None):
    job_type = str(((row or {}).get("definition") or {}).get("jobType") or "").lower()
    return KINDS.get(job_type, (None, None))


def _job_row(record, name: str) -> dict:
    """The service record of a job of any simulated kind (404 when there is none). A script run the service
    started for an SDK v1 step, an AutoML trial or a batch job's scoring is a job too, shown as a command job."""
    row = state.get(record, name)
    service, _ = _kind(row)
    if service is None and row is not None and row["run_type"] == state.SCRIPT:
        return row
    return (service or command_jobs).get(record, name)


JOB_TYPES = tuple(service.JOB_TYPE for service, _ in KINDS.values())
JOBS_PAGE = 100  # jobs per answer; the SDK's ItemPaged asks for the next page ($skip) when a loop gets there
TAKE_VIEWS = (job_json, sweep_json)  # shapes that can take a listing's view instead of reading the job again


def _job_json(record, row: dict, view: dict | None = None) -> dict:
    shape = _kind(row)[1] or script_run_json
    return shape(record, row, view) if view is not None and shape in TAKE_VIEWS else shape(record, row)


def put_job(request, sub, rg, ws, name):
    """Submit a job (command, sweep and pipeline jobs are simulated here)."""
    record = workspace_record(sub, rg, ws)
    props = json_body(request).get("properties") or {}
    service, _ = KINDS.get(str(props.get("jobType", "")).lower(), (None, None))
    if service is None:
        raise RestError(501, "NotSimulated", messages.JOB_TYPE_NOT_SIMULATED.format(kind=props.get("jobType")))
    return 201, _job_json(record, service.submit(record, name, props))


def get_job(request, sub, rg, ws, name):
    """A job with its current status (a sweep's trial or a pipeline's node too, as the command job it is)."""
    record = workspace_record(sub, rg, ws)
    return _job_json(record, _job_row(record, name))


def list_jobs(request, sub, rg, ws):
    """The workspace's top-level jobs, newest first, a page per answer (children: `jobs.list(parent_job_name=...)`).

    A page is one query, its jobs' MLflow side one more; `nextLink` carries `$skip`, the position after the page.
    """
    record = workspace_record(sub, rg, ws)
    rows = listing.page(record, limit=JOBS_PAGE + 1, after=paging.position(request.args.get("$skip")),
                        include_children=False, job_type=JOB_TYPES)
    shown = rows[:JOBS_PAGE]
    views = job_views(record, shown) if shown else {}
    body = page([_job_json(record, row, views[row["run_id"]]) for row in shown])
    if len(rows) > JOBS_PAGE:
        body["nextLink"] = paging.next_link(request, "$skip", paging.token(shown[-1]))
    return body


def cancel_job(request, sub, rg, ws, name):
    """Cancel a job; a sweep or pipeline with its unfinished children (the operation is done when this answers)."""
    record = workspace_record(sub, rg, ws)
    service, _ = _kind(_job_row(record, name))
    service.cancel(record, name)
    return 200, None


ROUTES = [
    Rule(JOBS, host=ARM_HOST, endpoint=list_jobs, methods=["GET"]),
    Rule(f"{JOBS}/<name>", host=ARM_HOST, endpoint=get_job, methods=["GET"]),
    Rule(f"{JOBS}/<name>", host=ARM_HOST, endpoint=put_job, methods=["PUT"]),
    Rule(f"{JOBS}/<name>/cancel", host=ARM_HOST, endpoint=cancel_job, methods=["POST"]),
]
