"""Batch endpoints and deployments (ARM), and their invocation address (`https://<endpoint>.<region>.inference.
ml.azure.com/jobs`), which starts a batch job and answers it as a BatchJob."""

from __future__ import annotations

from werkzeug.routing import Rule

from sim import messages
from sim.cloud import workspaces
from sim.cloud.endpoints import batch
from sim.rest._errors import RestError, bad_request
from sim.rest._shapes import ARM_HOST, WS, json_body, page, resource
from sim.rest.endpoints._shapes import TENANT
from sim.rest.workspaces import workspace_record

ENDPOINTS = f"{WS}/batchEndpoints"
ENDPOINT = f"{ENDPOINTS}/<name>"
DEPLOYMENT = f"{ENDPOINT}/deployments/<deployment>"
INFERENCE_HOST = "<endpoint>.<region>.inference.ml.azure.com"


def _endpoint_json(record, item: dict) -> dict:
    scoring = f"https://{item['name']}.{record.location}.inference.ml.azure.com/jobs"
    defaults = {"deploymentName": item["defaults"]["deploymentName"]} if item["defaults"] else {}
    props = {"authMode": "AADToken", "description": item.get("description"), "defaults": defaults,
             "properties": {}, "provisioningState": batch.SUCCEEDED, "scoringUri": scoring,
             "swaggerUri": scoring.replace("/jobs", "/swagger.json")}
    return resource(f"{record.arm_id}/batchEndpoints/{item['name']}", "workspaces/batchEndpoints", props,
                    location=record.location, tags=item.get("tags") or {},
                    identity={"type": "SystemAssigned", "principalId": record.workspace_id, "tenantId": TENANT})


def _deployment_json(record, endpoint: str, item: dict) -> dict:
    props = {**{k: v for k, v in item["properties"].items() if k != "provisioningState"},
             "provisioningState": batch.SUCCEEDED}
    return resource(f"{record.arm_id}/batchEndpoints/{endpoint}/deployments/{item['name']}",
                    "workspaces/batchEndpoints/deployments", props, location=record.location,
                    tags=item["properties"].get("tags") or {})


def put_endpoint(request, sub, rg, ws, name):
    """Create or update a batch endpoint (done when this answers)."""
    record = workspace_record(sub, rg, ws)
    body = json_body(request)
    props = body.get("properties") or {}
    item = batch.create_or_update_endpoint(record, name, description=props.get("description"),
                                           defaults=props.get("defaults"), tags=body.get("tags"))
    return 200, _endpoint_json(record, item)


def get_endpoint(request, sub, rg, ws, name):
    """A batch endpoint."""
    record = workspace_record(sub, rg, ws)
    return _endpoint_json(record, batch.get_endpoint(record, name))


def list_endpoints(request, sub, rg, ws):
    """The workspace's batch endpoints."""
    record = workspace_record(sub, rg, ws)
    return page([_endpoint_json(record, e) for e in batch.list_endpoints(record)])


def delete_endpoint(request, sub, rg, ws, name):
    """Delete a batch endpoint with its deployments."""
    batch.delete_endpoint(workspace_record(sub, rg, ws), name)
    return 200, None


def put_deployment(request, sub, rg, ws, name, deployment):
    """Create or update a batch deployment (done when this answers)."""
    record = workspace_record(sub, rg, ws)
    body = json_body(request)
    props = dict(body.get("properties") or {}, tags=body.get("tags") or {})
    return 200, _deployment_json(record, name, batch.create_or_update_deployment(record, name, deployment, props))


def get_deployment(request, sub, rg, ws, name, deployment):
    """A batch deployment."""
    record = workspace_record(sub, rg, ws)
    return _deployment_json(record, name, batch.get_deployment(record, name, deployment))


def list_deployments(request, sub, rg, ws, name):
    """A batch endpoint's deployments."""
    record = workspace_record(sub, rg, ws)
    return page([_deployment_json(record, name, d) for d in batch.list_deployments(record, name)])


def delete_deployment(request, sub, rg, ws, name, deployment):
    """Delete a batch deployment."""
    batch.delete_deployment(workspace_record(sub, rg, ws), name, deployment)
    return 200, None


def invoke(request, endpoint, region):
    """Start a batch job on the data the body names; answers the job (its name is the pipeline job's).

    At the simulator's default pace the job has ended by the answer (`sim.cloud.endpoints.batch.settle`)."""
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        raise RestError(401, "AuthenticationFailed", messages.PUBLISHED_PIPELINE_NO_TOKEN)
    record = _workspace_of(endpoint, region)
    props = json_body(request).get("properties") or {}
    uri = _input_uri(props.get("inputData") or {})
    row = batch.invoke(record, endpoint, uri, deployment=request.headers.get("azureml-model-deployment"),
                       experiment=(props.get("properties") or {}).get("experimentName"))
    row = batch.settle(record, row["run_id"])
    job = {"name": row["run_id"], "id": f"{record.arm_id}/jobs/{row['run_id']}",
           "properties": {"status": row["status"], "inputData": props.get("inputData"),
                          "outputFileName": props.get("outputFileName")}}
    return 200, job


def _workspace_of(endpoint: str, region: str):
    for record in workspaces.list_workspaces():
        if record.location == region and batch.find_endpoint(record, endpoint) is not None:
            return record
    raise RestError(404, "NotFound", messages.BATCH_ENDPOINT_NOT_FOUND.format(name=endpoint))


def _input_uri(input_data: dict) -> str:
    """The data a batch job reads: {"UriFolder" | "UriFile" | <name>: {"uri": ...}}, one input."""
    values = list(input_data.values())
    if len(values) != 1 or not isinstance(values[0], dict) or not values[0].get("uri"):
        raise bad_request(messages.BATCH_INPUT_REQUIRED)
    uri = str(values[0]["uri"])
    return uri[len("azureml:"):] if uri.startswith("azureml:/") and not uri.startswith("azureml://") else uri


ROUTES = [
    Rule(ENDPOINTS, host=ARM_HOST, endpoint=list_endpoints, methods=["GET"]),
    Rule(ENDPOINT, host=ARM_HOST, endpoint=get_endpoint, methods=["GET"]),
    Rule(ENDPOINT, host=ARM_HOST, endpoint=put_endpoint, methods=["PUT"]),
    Rule(ENDPOINT, host=ARM_HOST, endpoint=delete_endpoint, methods=["DELETE"]),
    Rule(f"{ENDPOINT}/deployments", host=ARM_HOST, endpoint=list_deployments, methods=["GET"]),
    Rule(DEPLOYMENT, host=ARM_HOST, endpoint=get_deployment, methods=["GET"]),
    Rule(DEPLOYMENT, host=ARM_HOST, endpoint=put_deployment, methods=["PUT"]),
    Rule(DEPLOYMENT, host=ARM_HOST, endpoint=delete_deployment, methods=["DELETE"]),
    Rule("/jobs", host=INFERENCE_HOST, endpoint=invoke, methods=["POST"]),
]
