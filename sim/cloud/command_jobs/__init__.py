"""Command jobs (SDK v2's `command()`): a command line run on a copy of a code folder, in an environment.

A command job is a run of the workspace, like a v1 script run: the service record of `sim.cloud.runs` (status,
target, error) and an MLflow run in the workspace's store whose id is the job's name, so `mlflow.start_run()`,
`mlflow.autolog()` and `mlflow.log_metric` in the script attach to it (the job process gets MLFLOW_RUN_ID and the
workspace's `azureml://` MLFLOW_TRACKING_URI, as in Azure), the job's tags are the run's tags, and v1 `Run` and
`Experiment` see it. The job's settings as submitted (Azure's CommandJob properties) are the run's definition.

It runs on the v1 job engine (`sim.cloud.runs.jobs.launch`, `sim._runner`): queued for a node of its cluster,
its command run by `sim._command` as `__main__` in a copy of the code, only its environment's packages
importable, stdout and stderr in `user_logs/std_log.txt`. Its files (logs, `outputs/`, what MLflow logs) are in
the workspace's artifact store, `ExperimentRun/dcid.<job>/` of the `azureml` container (`artifacts`).
"""

from __future__ import annotations

import os
import re
import time

from sim import messages
from sim.cloud import experiments, registry
from sim.cloud.command_jobs import _binding, artifacts
from sim.cloud.environments import assets as environment_assets
from sim.cloud.environments import build_image, packages
from sim.cloud.errors import JOB, Conflict, NotFound, UserError
from sim.cloud.runs import jobs, lifecycle, listing, state

LOG_FILE = "user_logs/std_log.txt"
SERVERLESS = "serverless"
JOB_TYPE = "Command"
_DURATION = re.compile(r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>[\d.]+)S)?)?$")


def is_command_job(row: dict | None) -> bool:
    """True for the service record of a command job (its definition is a CommandJob)."""
    return bool(row) and (row.get("definition") or {}).get("jobType") == JOB_TYPE


def get(record, name: str) -> dict:
    """The service record of a command job (its run record; `definition` holds the job as submitted).

    Raises:
        NotFound: no job of that name in the workspace.
    """
    row = state.get(record, name)
    if not is_command_job(row):
        raise NotFound(JOB, messages.JOB_NOT_FOUND.format(name=name))
    return row


def list_jobs(record, limit: int | None = None, after: tuple | None = None) -> list[dict]:
    """The workspace's command jobs, newest first (a sweep's trials are listed with their sweep), in one query:
    all of them, or `limit` after the job whose `sim.cloud.runs.listing.key` is `after`."""
    return listing.page(record, limit=limit, after=after, job_type=JOB_TYPE, include_children=False)


def status(record, name: str) -> str:
    """The job's Azure ML status (Queued, Running, Completed, Failed, Canceled ...)."""
    return lifecycle.status(record, get(record, name)["run_id"])


def cancel(record, name: str) -> None:
    """Cancel a job (a finished job stays as it ended)."""
    get(record, name)
    jobs.cancel(record, name)


def set_description(record, name: str, description: str) -> None:
    """Change a job's description (the rest of what was submitted stays as it was)."""
    from sqlalchemy import update

    definition = dict(get(record, name)["definition"], description=description)
    with state.engine(record).begin() as conn:
        conn.execute(update(state.run_records).where(state.run_records.c.run_id == name)
                     .values(definition=definition))


def output_uris(record, name: str) -> dict:
    """{output name: the datastore URI it was written to} of a job's named outputs."""
    row = get(record, name)
    outputs = (row["definition"] or {}).get("outputs") or {}
    return {output: (spec or {}).get("uri") or _binding.default_output_uri(record, name, output)
            for output, spec in outputs.items()}


def wait_for_jobs(record, experiment_names, timeout: float) -> None:
    """Wait (at most `timeout` seconds) until the submitted jobs of these experiments have finished."""
    deadline = time.monotonic() + timeout
    wanted = set(experiment_names)
    for row in state.list_for(record):
        if row["run_type"] == state.SCRIPT and row["experiment"] in wanted and row["status"] not in state.TERMINAL:
            jobs.wait(record, row["run_id"], timeout=max(0.0, deadline - time.monotonic()))


def compute_name(compute_id: str | None) -> str:
    """The compute a job names by ARM id or name (none: serverless compute)."""
    if not compute_id:
        return SERVERLESS
    return str(compute_id).rstrip("/").rsplit("/", 1)[-1]


def timeout_seconds(limits: dict | None) -> int | None:
    """A job's `limits.timeout` (ISO 8601 duration such as PT1H, or seconds) in seconds."""
    value = (limits or {}).get("timeout")
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return int(value)
    match = _DURATION.match(str(value))
    if match is None:
        raise UserError(JOB, messages.JOB_TIMEOUT_INVALID.format(value=value))
    d, h, m, s = (float(match.group(k) or 0) for k in "dhms")
    return int(((d * 24 + h) * 60 + m) * 60 + s)


def check(record, name: str, job: dict) -> None:
    """Refuse, before anything exists, a command job the service could not run (what `submit` checks).

    A sweep job checks its trial this way before it starts any (its `${{search_space.x}}` are left as they are).
    """
    _process(record, name, job)


def submit(record, name: str, job: dict, *, parent_run_id: str | None = None) -> dict:
    """Create a command job and start it; returns its service record.

    Args:
        job: the CommandJob's properties as Azure names them: `command`, `codeId`, `environmentId`,
            `environmentVariables`, `inputs`, `outputs`, `computeId`, `experimentName`, `displayName`,
            `description`, `tags`, `properties`, `limits`, `resources` ...
        parent_run_id: the job this one is a child of (a pipeline's node, a sweep's trial).

    Raises:
        Conflict: a job (or run) of that name exists. UserError / NotFound: an environment, code asset,
        compute, input or output the service cannot find or bind.
    """
    if state.get(record, name) is not None:
        raise Conflict(JOB, messages.JOB_EXISTS.format(name=name))
    experiment = job.get("experimentName") or "Default"
    experiments.validate_name(experiment)
    process = _process(record, name, job)  # everything is checked before the job exists
    row = lifecycle.start(record, experiment, state.SCRIPT, state.NOT_STARTED, target=process["target"],
                          definition=dict(job, jobType=JOB_TYPE), tags=job.get("tags"),
                          display_name=job.get("displayName") or name, run_id=name, parent_run_id=parent_run_id)
    try:
        build_image(record, process["environment"]["definition"])  # the first build creates the registry
        _binding.prepare_outputs(process["folders"])
        _launch(record, row, process)
    except BaseException as exc:
        lifecycle.finish(record, name, state.FAILED, error={"error": {"code": "UserError", "message": str(exc)}})
        raise
    return state.get(record, name)


def _process(record, name: str, job: dict) -> dict:
    """What the job's process needs: its command line, compute, code, packages, variables, time limit."""
    if not str(job.get("command") or "").strip():
        raise UserError(JOB, messages.JOB_COMMAND_REQUIRED)
    environment = environment_assets.resolve(record, job.get("environmentId") or "")
    target, max_nodes = _target(record, job.get("computeId"))
    code = _code_folder(record, job.get("codeId"))
    inputs, outputs, folders = _binding.bind(record, name, job.get("inputs"), job.get("outputs"))
    variables = {str(k): str(v) for k, v in (job.get("environmentVariables") or {}).items()}
    return {"command": _binding.substitute(job["command"], inputs, outputs), "target": target,
            "max_nodes": max_nodes, "code": code, "folders": folders,
            "modules": packages.importable_modules(environment["definition"]), "environment": environment,
            "timeout": timeout_seconds(job.get("limits")),
            "env": {**_binding.environment_variables(inputs, outputs), **variables},
            # what a sandboxed job (labs.sandbox.jobs) may read and write beyond its own folder
            "readable": [v for v in inputs.values() if os.path.isabs(v)], "writable": [str(f) for f in folders]}


def _target(record, compute_id) -> tuple[str, int | None]:
    name = compute_name(compute_id)
    return (name, None) if name == SERVERLESS else jobs.resolve_target(record, name)


def _code_folder(record, code_id):
    if not code_id:
        return None
    built_in = registry.code_folder(code_id)  # a registry component's code ships with the service
    if built_in is not None:
        return built_in
    match = re.search(r"/codes/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/?$", str(code_id), re.IGNORECASE)
    if match is None:
        raise UserError(JOB, messages.JOB_CODE_INVALID.format(code=code_id))
    from sim.cloud import codes

    folder = codes.local_path(record, match["name"], match["version"])
    if not folder.is_dir():
        raise UserError(JOB, messages.JOB_CODE_MISSING.format(code=code_id))
    return folder


def _launch(record, row, process: dict) -> None:
    """Put the job's files in place and hand it to the job engine (queued for a node of its compute)."""
    name = row["run_id"]
    artifacts.place_run_files(record, name)
    work_dir = jobs.job_folder(record, name) / "wd"
    if process["code"] is not None:
        jobs.snapshot(process["code"], work_dir)
    else:
        work_dir.mkdir(parents=True)
    lifecycle.move(record, name, state.STARTING)
    description = {"run_id": name, "experiment": row["experiment"], "command": process["command"],
                   "arguments": [], "inputs": [], "log_file": LOG_FILE, "target": row["target"],
                   "max_nodes": process["max_nodes"], "modules": process["modules"], "timeout": process["timeout"],
                   "readable": process["readable"], "writable": process["writable"],
                   "workspace": {"subscription_id": record.subscription_id, "resource_group": record.resource_group,
                                 "name": record.name}}
    jobs.launch(record, name, description, {**_context_env(record, row), **process["env"]})


def _context_env(record, row) -> dict:
    """What Azure ML sets in a job's process: the run's identity and MLflow's way to it."""
    experiment_id = experiments.get_or_create(record, row["experiment"]).id
    return {"AZUREML_RUN_ID": row["run_id"], "AZUREML_ARM_SUBSCRIPTION": record.subscription_id,
            "AZUREML_ARM_RESOURCEGROUP": record.resource_group, "AZUREML_ARM_WORKSPACE_NAME": record.name,
            "AZUREML_ARM_PROJECT_NAME": row["experiment"], "AZUREML_EXPERIMENT_ID": experiment_id,
            "MLFLOW_TRACKING_URI": artifacts.tracking_uri(record), "MLFLOW_RUN_ID": row["run_id"],
            "MLFLOW_EXPERIMENT_ID": experiment_id, "MLFLOW_EXPERIMENT_NAME": row["experiment"]}

