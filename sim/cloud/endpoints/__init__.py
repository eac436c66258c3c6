"""Managed online endpoints and their deployments (state and rules; the REST shapes live in `sim.rest.endpoints`).

Modules: `online` (endpoints: create or update with traffic, keys, tokens, delete), `deployments` (each a real
scoring server on 127.0.0.1: a learner's scoring script or, for an MLflow model, no script at all), `scoring`
(routing a request at the endpoint's address to a deployment).

Read API for graders and the Studio page: `list_endpoints(record)`, `get(record, name)` (an `OnlineEndpoint` with
`traffic`, `auth_mode`, `scoring_uri`), `list_deployments(record, endpoint)` (each an `OnlineDeployment` with
`state`, `model_id`, `instance_type`, `local_uri`), `deployment_logs(record, endpoint, name)`.
"""

from sim.cloud.endpoints._table import (
    CREATING,
    DELETING,
    FAILED,
    SUCCEEDED,
    UPDATING,
    OnlineDeployment,
    OnlineEndpoint,
)
from sim.cloud.endpoints.deployments import DeploymentSpec, deployments_using, list_deployments
from sim.cloud.endpoints.deployments import logs as deployment_logs
from sim.cloud.endpoints.online import get, list_endpoints, stop_all

__all__ = [
    "CREATING", "DELETING", "FAILED", "SUCCEEDED", "UPDATING", "DeploymentSpec", "OnlineDeployment",
    "OnlineEndpoint", "deployment_logs", "deployments_using", "get", "list_deployments", "list_endpoints",
    "stop_all",
]
