"""A pipeline job as the REST API shows it: the PipelineJob as submitted, its status and its outputs' paths."""

from __future__ import annotations

from sim.cloud import pipelines
from sim.cloud.runs import lifecycle
from sim.rest._shapes import resource
from sim.rest.jobs._shape import job_id, services


def pipeline_json(record, row: dict) -> dict:
    """A JobBase resource (PipelineJob properties) for a pipeline job's service record."""
    name = row["run_id"]
    submitted = {k: v for k, v in (row["definition"] or {}).items() if k not in ("plan", "steps")}
    written = pipelines.output_uris(record, name)
    outputs = {output: {**(spec or {}), **({"uri": written[output]} if written.get(output) else {})}
               for output, spec in (submitted.get("outputs") or {}).items()}
    props = {**submitted, "jobType": pipelines.JOB_TYPE, "status": lifecycle.status(record, name),
             "experimentName": row["experiment"], "displayName": submitted.get("displayName") or name,
             "services": services(record, name), "isArchived": False, "outputs": outputs,
             "properties": dict(submitted.get("properties") or {}), "tags": dict(submitted.get("tags") or {})}
    return resource(job_id(record, name), "workspaces/jobs", props, created=lifecycle.iso(row["created"]))
