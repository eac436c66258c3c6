"""Simulated web services (ACI and local): each is a real HTTP scoring server on 127.0.0.1.

State and rules only; the SDK shapes live in `sim.azureml.core.webservice`. Other owners call
`stop_all(record)` when a workspace is deleted and `restore_all(record)` when the app starts.
"""

from sim.cloud.services._ops import (
    ACI,
    LOCAL,
    delete,
    deploy,
    get,
    keys,
    list_services,
    logs,
    refresh,
    regen_key,
    restore_all,
    services_using,
    stop_all,
    update,
    wait,
)
from sim.cloud.services._table import (
    DELETING,
    FAILED,
    HEALTHY,
    STOPPED,
    TRANSITIONING,
    UNHEALTHY,
    ServiceRecord,
)

__all__ = [
    "ACI", "DELETING", "FAILED", "HEALTHY", "LOCAL", "STOPPED", "TRANSITIONING", "UNHEALTHY", "ServiceRecord",
    "delete", "deploy", "get", "keys", "list_services", "logs", "refresh", "regen_key", "restore_all",
    "services_using", "stop_all", "update", "wait",
]


def on_workspace_deleted(record) -> None:
    """Workspace hook (sim.cloud.workspaces.DELETED_HOOKS): stop the workspace's scoring servers."""
    stop_all(record)
