"""Pipelines of both SDKs: a graph of steps run in order, each a child job, with data passed between them.

SDK v2 pipeline jobs (`submit`, nodes that are command components) and SDK v1 pipeline runs (`submit_steps`,
PythonScriptStep / ParallelRunStep / AutoMLStep steps that a v1 client describes as data, checked by `graphs`, see
`_steps`) share this engine.

The pipeline is a run of the workspace (run type `azureml.PipelineRun`) and each node a child command job
(`sim.cloud.command_jobs`) whose parent is the pipeline, in the same experiment, as in Azure. A node starts when
every node it reads from has completed; a node's output is a folder on the pipeline's default datastore
(`azureml/<child job>/<output>/`) unless the pipeline output it is promoted to names a path.

Moving the graph on is `advance()`: idempotent, and safe when several processes call it at once (a child job's
name is fixed in the plan, so a second start of the same node is refused as a conflict and ignored). A small
driver process calls it until the pipeline ends (`python -m sim.cloud.pipelines`); every read of the pipeline
calls it too, so a pipeline whose driver was killed still finishes.

Reuse, as Azure does it: a node whose component is deterministic, with the same command, code snapshot,
environment, inputs, output settings and compute as a node that completed before, is not run again; its child
job completes at once with the earlier job's outputs (properties `azureml.isreused`, `azureml.reusedrunid`).
`settings.force_rerun` turns reuse off, and a force-rerun pipeline's nodes are never reused by others.
"""

from __future__ import annotations

import os
import subprocess
import sys

from sim import messages
from sim.cloud import experiments
from sim.cloud.errors import JOB, Conflict, NotFound
from sim.cloud.pipelines import _nodes, _parameters, _plan, _steps
from sim.cloud.runs import jobs, lifecycle, state

JOB_TYPE = "Pipeline"
RUN_TYPE = "azureml.PipelineRun"


def is_pipeline_job(row: dict | None) -> bool:
    """True for the service record of a pipeline job."""
    return bool(row) and (row.get("definition") or {}).get("jobType") == JOB_TYPE


def submit(record, name: str, job: dict) -> dict:
    """Create a pipeline job from Azure's PipelineJob properties and start it; returns its service record.

    Raises:
        Conflict: a job of that name exists. UserError / NotFound: a node, component or binding the service
        cannot use (checked before the job exists).
    """
    if state.get(record, name) is not None:
        raise Conflict(JOB, messages.JOB_EXISTS.format(name=name))
    experiment = job.get("experimentName") or "Default"
    experiments.validate_name(experiment)
    plan = _plan.compile_plan(record, name, job)
    lifecycle.start(record, experiment, RUN_TYPE, state.NOT_STARTED, target=plan["settings"]["default_compute"],
                    definition=dict(job, jobType=JOB_TYPE, plan=plan), tags=job.get("tags"),
                    display_name=job.get("displayName") or name, run_id=name, owned=False)
    advance(record, name)
    _start_driver(record, name)
    return state.get(record, name)


def submit_steps(record, experiment: str, steps: list[dict], *, force_rerun: bool = False,
                 continue_on_step_failure: bool = False, properties: dict | None = None, tags=None,
                 parameters: dict | None = None) -> dict:
    """Create an SDK v1 pipeline run from its steps (see `_steps.compile_steps`) and start it.

    Args:
        parameters: {pipeline parameter: value} overriding the defaults the steps declare (see `_parameters`).

    Raises:
        UserError / NotFound: a step whose folder, script or compute target the service cannot use, or a
        parameter no step declares.
    """
    experiments.validate_name(experiment)
    values = _parameters.resolve(steps, parameters)
    nodes = _steps.compile_steps(record, steps)
    settings = {"default_compute": None, "default_datastore": None, "force_rerun": bool(force_rerun),
                "continue_on_step_failure": bool(continue_on_step_failure), "parameters": values}
    plan = {"nodes": nodes, "order": _plan.order(nodes), "settings": settings}
    for spec in nodes.values():
        jobs.resolve_target(record, spec["compute"])  # an unknown target is refused before the run exists
    definition = {"jobType": JOB_TYPE, "jobs": {}, "experimentName": experiment, "settings": settings,
                  "properties": dict(properties or {}), "tags": dict(tags or {}), "plan": plan, "steps": steps}
    row = lifecycle.start(record, experiment, RUN_TYPE, state.NOT_STARTED, definition=definition, tags=tags,
                          owned=False)  # its steps' runs drive its status, whoever reads it
    if properties:
        state.add_properties(record, row["run_id"], properties)
    advance(record, row["run_id"])
    _start_driver(record, row["run_id"])
    return state.get(record, row["run_id"])


def get(record, name: str) -> dict:
    """The service record of a pipeline job, moved on to its current state.

    Raises:
        NotFound: no pipeline job of that name.
    """
    row = state.get(record, name)
    if not is_pipeline_job(row):
        raise NotFound(JOB, messages.JOB_NOT_FOUND.format(name=name))
    if row["status"] not in state.TERMINAL:
        advance(record, name)
        row = state.get(record, name)
    return row


def list_jobs(record) -> list[dict]:
    """Every pipeline job of the workspace, newest first."""
    rows = [r for r in state.list_for(record) if is_pipeline_job(r)]
    return sorted(rows, key=lambda r: r["created"], reverse=True)


def advance(record, name: str) -> str:
    """Start every node whose inputs are ready and settle the pipeline's status; returns that status."""
    row = state.get(record, name)
    if row["status"] in state.TERMINAL:
        return row["status"]
    plan = row["definition"]["plan"]
    statuses = _nodes.statuses(record, plan)
    if plan["settings"]["continue_on_step_failure"] or not _nodes.any_failed(statuses):
        for node in plan["order"]:
            upstream = plan["nodes"][node]["after"]
            if statuses[node] is None and all(statuses[u] == state.COMPLETED for u in upstream):
                statuses[node] = _nodes.start(record, row, plan, node)
    return _settle(record, name, plan, statuses)


def _settle(record, name: str, plan: dict, statuses: dict) -> str:
    """The pipeline's status from its nodes': running while any runs, then completed or failed."""
    if any(s is not None and s not in state.TERMINAL for s in statuses.values()):
        if lifecycle.status(record, name) == state.NOT_STARTED:
            lifecycle.move(record, name, state.RUNNING)
        return state.RUNNING
    if lifecycle.status(record, name) == state.NOT_STARTED:  # every node reused: it still ran, if briefly
        lifecycle.move(record, name, state.RUNNING)
    failed = [node for node in plan["order"] if statuses[node] in (state.FAILED, state.CANCELED)]
    if failed:
        message = messages.PIPELINE_NODE_FAILED.format(node=failed[0], job=plan["nodes"][failed[0]]["run_id"])
        lifecycle.finish(record, name, state.FAILED, error={"error": {"code": "UserError", "message": message}})
        return state.FAILED
    lifecycle.finish(record, name, state.COMPLETED)
    return state.COMPLETED


def cancel(record, name: str) -> None:
    """Cancel a pipeline job: its running nodes are canceled and no further node starts."""
    row = get(record, name)
    if row["status"] in state.TERMINAL:
        return
    lifecycle.finish(record, name, state.CANCELED)
    for plan in row["definition"]["plan"]["nodes"].values():
        child = state.get(record, plan["run_id"])
        if child is not None and child["status"] not in state.TERMINAL:
            jobs.cancel(record, plan["run_id"])


def steps(record, name: str) -> list[dict]:
    """The pipeline's child jobs that have started (reused ones included), in the graph's order."""
    plan = get(record, name)["definition"]["plan"]
    rows = (state.get(record, plan["nodes"][node]["run_id"]) for node in plan["order"])
    return [row for row in rows if row is not None]


def output_uris(record, name: str) -> dict:
    """{pipeline output: the datastore URI its node wrote to} for the outputs whose node has started."""
    return _nodes.pipeline_outputs(record, get(record, name)["definition"]["plan"])


def _start_driver(record, name: str) -> None:
    """A process that moves the pipeline on until it ends, so it runs with nobody watching."""
    folder = jobs.job_folder(record, name)
    folder.mkdir(parents=True, exist_ok=True)
    env = jobs.with_project_on_path(dict(os.environ))
    with open(folder / "driver.log", "ab") as log:
        subprocess.Popen([sys.executable, "-m", "sim.cloud.pipelines", record.subscription_id,
                          record.resource_group, record.name, name], env=env, stdout=log,
                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
