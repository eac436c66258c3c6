"""Published pipelines' REST endpoint (SDK v1): a POST with a bearer token and {"ExperimentName": ...} starts a
run of the published pipeline, as `requests.post(published_pipeline.endpoint, headers=auth_header, json=...)`
does in Microsoft's labs."""

from __future__ import annotations

from werkzeug.routing import Rule

from sim import messages
from sim.cloud.pipelines import published
from sim.rest._errors import RestError, bad_request
from sim.rest._shapes import json_body
from sim.rest.workspaces import workspace_record

DATA_PLANE = "<region>.api.azureml.ms"
SUBMIT = ("/pipelines/v1.0/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.MachineLearningServices/"
          "workspaces/<ws>/PipelineRuns/PipelineSubmit/<pipeline_id>")


def submit_published(request, region, sub, rg, ws, pipeline_id):
    """Start a run of a published pipeline; answers the new pipeline run (its `Id` is the run id)."""
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        raise RestError(401, "AuthenticationFailed", messages.PUBLISHED_PIPELINE_NO_TOKEN)
    record = workspace_record(sub, rg, ws)
    body = json_body(request)
    experiment = body.get("ExperimentName")
    if not experiment:
        raise bad_request(messages.PUBLISHED_PIPELINE_NO_EXPERIMENT)
    row = published.submit(record, pipeline_id, experiment, body.get("ParameterAssignments"))
    return {"Id": row["run_id"], "PipelineId": pipeline_id, "ExperimentName": experiment,
            "RunType": row["run_type"], "Status": {"StatusCode": row["status"]}}


ROUTES = [Rule(SUBMIT, host=DATA_PLANE, endpoint=submit_published, methods=["POST"])]
