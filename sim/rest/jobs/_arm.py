"""Jobs (ARM): submit a command job, get, list, cancel."""

from __future__ import annotations

from werkzeug.routing import Rule

from sim import messages
from sim.cloud import command_jobs
from sim.rest._errors import RestError
from sim.rest._shapes import ARM_HOST, WS, json_body, page
from sim.rest.jobs._shape import job_json
from sim.rest.workspaces import workspace_record

JOBS = f"{WS}/jobs"
# jobType -> the service function that submits it; job kinds not listed answer 501 NotSimulated.
SUBMITTERS = {"command": command_jobs.submit}


def put_job(request, sub, rg, ws, name):
    """Submit a job (only command jobs are simulated here)."""
    record = workspace_record(sub, rg, ws)
    props = json_body(request).get("properties") or {}
    submit = SUBMITTERS.get(str(props.get("jobType", "")).lower())
    if submit is None:
        raise RestError(501, "NotSimulated", messages.JOB_TYPE_NOT_SIMULATED.format(kind=props.get("jobType")))
    row = submit(record, name, props)
    return 201, job_json(record, row)


def get_job(request, sub, rg, ws, name):
    """A job with its current status."""
    record = workspace_record(sub, rg, ws)
    return job_json(record, command_jobs.get(record, name))


def list_jobs(request, sub, rg, ws):
    """The workspace's jobs, newest first."""
    record = workspace_record(sub, rg, ws)
    return page([job_json(record, row) for row in command_jobs.list_jobs(record)])


def cancel_job(request, sub, rg, ws, name):
    """Cancel a job (the long-running operation is done when this answers)."""
    record = workspace_record(sub, rg, ws)
    command_jobs.cancel(record, name)
    return 200, None


ROUTES = [
    Rule(JOBS, host=ARM_HOST, endpoint=list_jobs, methods=["GET"]),
    Rule(f"{JOBS}/<name>", host=ARM_HOST, endpoint=get_job, methods=["GET"]),
    Rule(f"{JOBS}/<name>", host=ARM_HOST, endpoint=put_job, methods=["PUT"]),
    Rule(f"{JOBS}/<name>/cancel", host=ARM_HOST, endpoint=cancel_job, methods=["POST"]),
]
