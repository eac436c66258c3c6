"""Managed online endpoints and deployments for SDK v2, over `sim.cloud.endpoints`.

ARM (`_arm`): endpoints (list, get, put with traffic, patch, delete, listKeys, regenerateKeys, token),
deployments (list, get, put as a long-running operation, delete, getLogs) and the operations' status.
The endpoint's own host (`_inference`): `POST /score` forwarded to a deployment's scoring server on 127.0.0.1.
"""

from __future__ import annotations

from werkzeug.routing import Rule

from sim.rest._shapes import ARM_HOST, PROVIDER, WS
from sim.rest.endpoints import _arm, _inference

ENDPOINTS = f"{WS}/onlineEndpoints"
ENDPOINT = f"{ENDPOINTS}/<endpoint>"
DEPLOYMENT = f"{ENDPOINT}/deployments/<deployment>"
LOCATION = f"/subscriptions/<sub>/providers/{PROVIDER}/locations/<location>"
INFERENCE = _inference.INFERENCE_HOST

ROUTES = [
    Rule(ENDPOINTS, host=ARM_HOST, endpoint=_arm.list_endpoints, methods=["GET"]),
    Rule(ENDPOINT, host=ARM_HOST, endpoint=_arm.get_endpoint, methods=["GET"]),
    Rule(ENDPOINT, host=ARM_HOST, endpoint=_arm.put_endpoint, methods=["PUT"]),
    Rule(ENDPOINT, host=ARM_HOST, endpoint=_arm.patch_endpoint, methods=["PATCH"]),
    Rule(ENDPOINT, host=ARM_HOST, endpoint=_arm.delete_endpoint, methods=["DELETE"]),
    Rule(f"{ENDPOINT}/listKeys", host=ARM_HOST, endpoint=_arm.list_keys, methods=["POST"]),
    Rule(f"{ENDPOINT}/regenerateKeys", host=ARM_HOST, endpoint=_arm.regenerate_keys, methods=["POST"]),
    Rule(f"{ENDPOINT}/token", host=ARM_HOST, endpoint=_arm.get_token, methods=["POST"]),
    Rule(f"{ENDPOINT}/deployments", host=ARM_HOST, endpoint=_arm.list_deployments, methods=["GET"]),
    Rule(DEPLOYMENT, host=ARM_HOST, endpoint=_arm.get_deployment, methods=["GET"]),
    Rule(DEPLOYMENT, host=ARM_HOST, endpoint=_arm.put_deployment, methods=["PUT"]),
    Rule(DEPLOYMENT, host=ARM_HOST, endpoint=_arm.delete_deployment, methods=["DELETE"]),
    Rule(f"{DEPLOYMENT}/getLogs", host=ARM_HOST, endpoint=_arm.get_logs, methods=["POST"]),
    Rule(f"{LOCATION}/mfeOperationsStatus/<token>", host=ARM_HOST, endpoint=_arm.operation_status,
         methods=["GET"]),
    Rule("/score", host=INFERENCE, endpoint=_inference.score, methods=["POST"]),
    Rule("/swagger.json", host=INFERENCE, endpoint=_inference.swagger, methods=["GET"]),
    Rule("/", host=INFERENCE, endpoint=_inference.health, methods=["GET"]),
]
