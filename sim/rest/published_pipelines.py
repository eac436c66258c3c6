"""Published pipelines' and pipeline endpoints' REST addresses (SDK v1): a POST with a bearer token and
{"ExperimentName": ...} starts a run, as `requests.post(published_pipeline.endpoint, headers=auth_header, json=...)`
does in Microsoft's labs. `ParameterAssignments` ({name: value}) and `DataPathAssignments` ({name:
{"DataStoreName", "RelativePath"}}) and `DataSetDefinitionValueAssignments` ({name: {"SavedDataSetReference":
{"Id": <dataset id>}}}) set the run's pipeline parameters; a pipeline endpoint also takes
`PipelineVersion` (its default version otherwise)."""

from __future__ import annotations

from werkzeug.routing import Rule

from sim import messages
from sim.cloud.pipelines import _parameters, endpoints, published
from sim.rest._errors import RestError, bad_request
from sim.rest._shapes import json_body
from sim.rest.workspaces import workspace_record

DATA_PLANE = "<region>.api.azureml.ms"
_WORKSPACE = ("/pipelines/v1.0/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/"
              "workspaces/<ws>/PipelineRuns/")
SUBMIT = _WORKSPACE + "PipelineSubmit/<pipeline_id>"
ENDPOINT_SUBMIT = _WORKSPACE + "PipelineEndpointSubmit/Id/<endpoint_id>"


def _request(request, sub, rg, ws) -> tuple:
    """(workspace record, experiment, parameters, body) of an authorized submit request."""
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        raise RestError(401, "AuthenticationFailed", messages.PUBLISHED_PIPELINE_NO_TOKEN)
    record = workspace_record(sub, rg, ws)
    body = json_body(request)
    experiment = body.get("ExperimentName")
    if not experiment:
        raise bad_request(messages.PUBLISHED_PIPELINE_NO_EXPERIMENT)
    parameters = {**(body.get("ParameterAssignments") or {}),
                  **_parameters.datapath_assignments(body.get("DataPathAssignments")),
                  **_parameters.dataset_assignments(record, body.get("DataSetDefinitionValueAssignments"))}
    return record, experiment, parameters, body


def _answer(row: dict, pipeline_id: str, experiment: str) -> dict:
    return {"Id": row["run_id"], "PipelineId": pipeline_id, "ExperimentName": experiment,
            "RunType": row["run_type"], "Status": {"StatusCode": row["status"]}}


def submit_published(request, region, sub, rg, ws, pipeline_id):
    """Start a run of a published pipeline; answers the new pipeline run (its `Id` is the run id)."""
    record, experiment, parameters, _ = _request(request, sub, rg, ws)
    row = published.submit(record, pipeline_id, experiment, parameters)
    return _answer(row, pipeline_id, experiment)


def submit_endpoint(request, region, sub, rg, ws, endpoint_id):
    """Start a run of a pipeline endpoint's default version (or the body's `PipelineVersion`)."""
    record, experiment, parameters, body = _request(request, sub, rg, ws)
    version = body.get("PipelineVersion", body.get("pipelineVersion"))
    item = endpoints.get_endpoint(record, endpoint_id)
    row = endpoints.submit_endpoint(record, endpoint_id, experiment, parameters, version)
    return _answer(row, endpoints.pipeline_of(item, version), experiment)


ROUTES = [Rule(SUBMIT, host=DATA_PLANE, endpoint=submit_published, methods=["POST"]),
          Rule(ENDPOINT_SUBMIT, host=DATA_PLANE, endpoint=submit_endpoint, methods=["POST"])]
