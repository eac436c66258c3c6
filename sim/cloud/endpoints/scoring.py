"""Scoring through an endpoint's address: find the endpoint, check the caller, pick a deployment, forward.

`https://<endpoint>.<region>.inference.ml.azure.com/score` names an endpoint by its region-unique name. A request
carrying `azureml-model-deployment: <name>` goes to that deployment; any other is routed by the endpoint's traffic
split (weighted at random, as Azure's router does). The chosen deployment's scoring server answers (on 127.0.0.1,
or on its folder's Unix socket when it runs sandboxed: `_process.connection`);
a non-200 answer of the model becomes Azure's 424 "model error" with the model's status in
`ms-azureml-model-error-statuscode`.
"""

from __future__ import annotations

import random
import re

from sim import messages
from sim.cloud import workspaces
from sim.cloud.endpoints import _table as table
from sim.cloud.endpoints import deployments
from sim.cloud.endpoints._table import SUCCEEDED, OnlineDeployment, OnlineEndpoint
from sim.cloud.errors import SERVICE, NotFound, ServiceError
from sim.cloud.services import _process

DEFAULT_TIMEOUT_SECONDS = 60.0  # generous: the simulated machine may be busy; a configured timeout wins
_DURATION = re.compile(r"^PT(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$", re.IGNORECASE)


def find(name: str, region: str) -> tuple[object, OnlineEndpoint]:
    """(workspace record, endpoint) of the endpoint `name` in `region`; raises NotFound."""
    for record in workspaces.list_workspaces():
        if record.location.lower() == region.lower():
            endpoint = table.find_endpoint(record, name)
            if endpoint is not None:
                return record, endpoint
    raise NotFound(SERVICE, messages.SCORING_ENDPOINT_NOT_FOUND.format(name=name, region=region))


def choose(record, endpoint: OnlineEndpoint, requested: str | None = None) -> OnlineDeployment:
    """The deployment that answers: the one asked for by name, else one drawn by the traffic split."""
    if requested:
        chosen = table.find_deployment(record, endpoint.name, requested)
        if chosen is None:
            raise NotFound(SERVICE, messages.SCORING_DEPLOYMENT_NOT_FOUND.format(
                name=requested, endpoint=endpoint.name))
    else:
        weights = {name: pct for name, pct in endpoint.traffic.items() if pct > 0}
        if not weights:
            raise NotFound(SERVICE, messages.SCORING_NO_TRAFFIC.format(endpoint=endpoint.name))
        picked = random.choices(list(weights), weights=list(weights.values()))[0]  # noqa: S311 - routing, not crypto
        chosen = table.get_deployment(record, endpoint.name, picked)
    chosen = deployments.refresh(record, chosen)
    if chosen.state != SUCCEEDED or not _process.reachable(chosen.folder, chosen.port):
        raise ServiceError(SERVICE, messages.SCORING_DEPLOYMENT_NOT_READY.format(
            name=chosen.name, state=chosen.state), status=503, code="ServiceUnavailable")
    return chosen


def _timeout(d: OnlineDeployment) -> float:
    requested = ((d.settings or {}).get("requestSettings") or {}).get("requestTimeout")
    match = _DURATION.match(requested or "")
    if not match or not any(match.groups()):
        return DEFAULT_TIMEOUT_SECONDS
    minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return minutes * 60 + seconds


def forward(d: OnlineDeployment, body: bytes, content_type: str | None) -> tuple[int, dict, bytes]:
    """POST the request to the deployment's scoring server; (status, headers, body) as the endpoint answers."""
    connection = _process.connection(d.folder, d.port, _timeout(d))
    try:
        connection.request("POST", "/score", body=body,
                           headers={"Content-Type": content_type or "application/json"})
        answer = connection.getresponse()
        status, data = answer.status, answer.read()
        answer_type = answer.getheader("Content-Type") or "application/json"
    except TimeoutError:
        return 408, {}, messages.SCORING_TIMEOUT.format(name=d.name).encode()
    except OSError as exc:
        return 502, {}, messages.SCORING_UNREACHABLE.format(name=d.name, error=exc).encode()
    finally:
        connection.close()
    headers = {"Content-Type": answer_type, "azureml-model-deployment": d.name}
    if status != 200:
        headers.update({"ms-azureml-model-error-statuscode": str(status),
                        "ms-azureml-model-error-reason": "model_error"})
        status = 424
    return status, headers, data
