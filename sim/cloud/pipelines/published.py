"""Published pipelines (SDK v1): a pipeline's steps kept under an id, with a REST endpoint that starts a new run of
them (see `sim.rest.published_pipelines`). Pipeline endpoints (`endpoints`) group published pipelines as
versions behind one address; schedules (`schedules`) start their runs on a clock or when data changes.

They are files under the workspace folder (`published_pipelines/<id>.json`, see `_store`), so every process sees
them. Reading the list of published pipelines fires the schedules whose time came (see `schedules`).
"""

from __future__ import annotations

import time
import uuid

from sim import messages
from sim.cloud import pipelines
from sim.cloud.errors import JOB, NotFound, UserError
from sim.cloud.pipelines import _parameters, _steps, _store

ACTIVE, DISABLED = "Active", "Disabled"
KIND = "published_pipelines"


def publish(record, name: str, steps: list[dict], *, description=None, version=None,
            continue_on_step_failure=False) -> dict:
    """Keep a pipeline's steps, with a snapshot of their code as it is now, under a new id; returns the published
    pipeline's record.

    Raises:
        UserError: two steps declare one pipeline parameter with different defaults.
    """
    parameters = _parameters.declared(steps)
    steps = [_steps.pinned(record, step) for step in steps]
    item = {"id": str(uuid.uuid4()), "name": name, "description": description, "version": version,
            "status": ACTIVE, "steps": steps, "continue_on_step_failure": bool(continue_on_step_failure),
            "graph_id": str(uuid.uuid4()), "created": time.time(), "parameters": parameters}
    _store.write(record, KIND, item)
    return item


def get(record, published_id: str) -> dict:
    """A published pipeline by id.

    Raises:
        NotFound: no published pipeline has that id.
    """
    item = _store.read(record, KIND, published_id)
    if item is None:
        raise NotFound(JOB, messages.PUBLISHED_PIPELINE_NOT_FOUND.format(id=published_id))
    return item


def list_published(record, active_only: bool = True) -> list[dict]:
    """The workspace's published pipelines, newest first."""
    from sim.cloud.pipelines import schedules

    schedules.fire_due_schedules(record)
    found = _store.all_items(record, KIND)
    return [p for p in found if p["status"] == ACTIVE or not active_only]


def set_status(record, folder: str, item_id: str, status: str) -> dict:
    """Enable or disable a published pipeline (`published_pipelines`), a pipeline endpoint (`pipeline_endpoints`)
    or a schedule (`schedules`)."""
    if status not in (ACTIVE, DISABLED):
        raise UserError(JOB, messages.PIPELINE_STATUS_INVALID.format(status=status))
    item = _store.read(record, folder, item_id)
    if item is None:
        raise NotFound(JOB, messages.PUBLISHED_PIPELINE_NOT_FOUND.format(id=item_id))
    item["status"] = status
    _store.write(record, folder, item)
    return item


def submit(record, published_id: str, experiment: str, parameters: dict | None = None,
           continue_on_step_failure: bool | None = None) -> dict:
    """Start a run of a published pipeline (what its REST endpoint does); returns the pipeline run's record.

    Args:
        parameters: {pipeline parameter: value} for this run; the others keep their defaults.
        continue_on_step_failure: overrides the published setting when given.

    Raises:
        NotFound: no such published pipeline. UserError: it is disabled, or a parameter it does not have.
    """
    item = get(record, published_id)
    if item["status"] != ACTIVE:
        raise UserError(JOB, messages.PUBLISHED_PIPELINE_DISABLED.format(name=item["name"]))
    keep_going = item["continue_on_step_failure"] if continue_on_step_failure is None else continue_on_step_failure
    return pipelines.submit_steps(record, experiment, item["steps"], continue_on_step_failure=bool(keep_going),
                                  properties={"azureml.pipelineid": published_id}, parameters=parameters)
