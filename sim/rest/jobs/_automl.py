"""An AutoML job as the REST API shows it: the AutoMLJob as submitted, its status and what the service added."""

from __future__ import annotations

from sim.cloud.automl import automl_jobs
from sim.cloud.runs import state
from sim.rest.jobs._shape import job_json


def automl_json(record, row: dict, view: dict | None = None) -> dict:
    """A JobBase resource (AutoMLJob properties) for an AutoML job's parent run.

    Its `properties` carry what the service sets as the job runs, as in Azure: `primary_metric`, `num_iterations`
    ... and, once it ends, `best_child_run_id` and `score`.
    """
    out = job_json(record, row, view)
    props = out["properties"]
    props.pop("automl", None)  # the engine's own checked settings, not part of the AutoMLJob
    props["jobType"] = automl_jobs.JOB_TYPE
    props["properties"] = {**props["properties"], **(state.get(record, row["run_id"])["properties"] or {})}
    return out
