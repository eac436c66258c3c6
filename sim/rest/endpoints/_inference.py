"""An endpoint's own address, `https://<endpoint>.<region>.inference.ml.azure.com`: scoring and its OpenAPI.

`POST /score` checks the caller's key or token (401), picks a deployment (the `azureml-model-deployment`
header, else the traffic split; 404 when no deployment gets traffic) and forwards the request to that
deployment's scoring server on 127.0.0.1; the answer names the deployment that gave it.
"""

from __future__ import annotations

import json

from werkzeug.wrappers import Response

from sim.cloud.endpoints import deployments, online, scoring
from sim.cloud.endpoints._table import SUCCEEDED

INFERENCE_HOST = "<endpoint>.<region>.inference.ml.azure.com"
DEPLOYMENT_HEADER = "azureml-model-deployment"


def score(request, endpoint, region):
    """POST /score: key or token checked, a deployment chosen by header or traffic, its server's answer."""
    record, found = scoring.find(endpoint, region)
    online.check_caller(found, request.headers.get("Authorization"))
    chosen = scoring.choose(record, found, request.headers.get(DEPLOYMENT_HEADER))
    status, headers, body = scoring.forward(chosen, request.get_data(), request.headers.get("Content-Type"))
    return Response(body, status=status, headers=headers)


def swagger(request, endpoint, region):
    """GET /swagger.json: the scoring API of the endpoint (what its deployments serve)."""
    _, found = scoring.find(endpoint, region)
    document = {"swagger": "2.0", "info": {"title": found.name, "version": "1.0"},
                "schemes": ["https"], "consumes": ["application/json"], "produces": ["application/json"],
                "paths": {"/score": {"post": {"operationId": "RunMLService",
                                              "responses": {"200": {"description": "Success"}}}}}}
    return Response(json.dumps(document), content_type="application/json")


def health(request, endpoint, region):
    """GET /: healthy once the endpoint has a deployment that can answer."""
    record, found = scoring.find(endpoint, region)
    ready = any(d.state == SUCCEEDED for d in deployments.list_deployments(record, found.name))
    return Response("Healthy\n" if ready else "No deployment is ready\n", status=200 if ready else 503,
                    content_type="text/plain")
