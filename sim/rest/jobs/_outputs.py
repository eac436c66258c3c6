"""A job's named outputs as data: what `jobs.download(all=True)` asks the run history and the data plane.

The run's metadata lists each output as an asset (`azureml_<job>_output_data_<output>`); the dataset data plane
(`/data/v1.0/.../dataversion/batchGetResolvedUris`) resolves such an asset to the datastore URI the job wrote.
"""

from __future__ import annotations

import re

from werkzeug.routing import Rule

from sim.cloud import command_jobs
from sim.cloud.runs import state
from sim.rest._shapes import json_body
from sim.rest.workspaces import workspace_record

DATA_PLANE = "<region>.api.azureml.ms"
BATCH_URIS = ("/data/v1.0/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/"
              "workspaces/<ws>/dataversion/batchGetResolvedUris")
_ASSET = re.compile(r"/data/azureml_(?P<job>.+)_output_data_(?P<output>[^/]+)/versions/1$")
DATA_TYPES = ("uri_file", "uri_folder", "mltable")  # a model output is read as the folder it is


def asset_id(record, job: str, output: str) -> str:
    """The id a job's output has as a data asset."""
    return (f"azureml://locations/{record.location}/workspaces/{record.workspace_id}/data/"
            f"azureml_{job}_output_data_{output}/versions/1")


def run_outputs(record, row: dict) -> dict:
    """The `outputs` of a job's run metadata: a command job's, or the named outputs a service-run step recorded
    (a batch job's `score`); {} for other runs."""
    outputs = (row["definition"] or {}).get("outputs") or {}
    if not command_jobs.is_command_job(row):
        outputs = {name: spec for name, spec in outputs.items() if (spec or {}).get("uri")}
    return {name: {"assetId": asset_id(record, row["run_id"], name), "type": _data_type(spec)}
            for name, spec in outputs.items()}


def _data_type(spec) -> str:
    kind = str((spec or {}).get("jobOutputType") or "").lower()
    return kind if kind in DATA_TYPES else "uri_folder"


def batch_resolved_uris(request, region, sub, rg, ws):
    """The datastore URIs of job output assets (others are left out, as unknown ids are)."""
    record = workspace_record(sub, rg, ws)
    found = {}
    for asset in json_body(request).get("values") or []:
        match = _ASSET.search(str(asset))
        if match is None:
            continue
        uris = _output_uris(record, match["job"])
        if match["output"] in uris:
            found[asset] = {"uri": uris[match["output"]], "type": "uri_folder"}
    return {"values": found}


def _output_uris(record, job: str) -> dict:
    row = state.get(record, job)
    if command_jobs.is_command_job(row):
        return command_jobs.output_uris(record, job)
    outputs = ((row or {}).get("definition") or {}).get("outputs") or {}
    return {name: spec["uri"] for name, spec in outputs.items() if (spec or {}).get("uri")}


ROUTES = [Rule(BATCH_URIS, host=DATA_PLANE, endpoint=batch_resolved_uris, methods=["POST"])]
