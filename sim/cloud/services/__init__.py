"""Simulated web services (ACI and local): each is a real HTTP scoring server on 127.0.0.1 (with the home hidden,
one sandboxed behind a keeper, on a Unix socket in its folder: `_process`, `sim._scoring_keeper`).

State and rules only; the SDK shapes live in `sim.azureml.core.webservice`.

Read API (graders, studio views): `list_services(record, ...)`, `get(record, name)` (a `ServiceRecord`
with `state`, `scoring_uri`, `model_ids`, `error`, ...), `logs(record, name)`, `keys(record, name)`.
Application Insights (`enable_app_insights`): `app_insights_enabled(record, name)`,
`request_records(record, name)` (each scoring request the server recorded while it was on: `RequestTelemetry`) and
`request_summary(records)` (counts, failures and latency per minute).
Reads reconcile a record with its process: a healthy service whose server is gone (machine or app
restart) is started again, or marked Stopped when its snapshot is gone.
Profiling (SDK v1 `Model.profile`): `profile_model(record, name, ...)` runs the scoring server on sample requests
and keeps the measured record; `get_profile(record, name)` reads it.
Life cycle hooks: `on_workspace_deleted(record)` / `stop_all(record)` stop every server of a workspace;
`restore_all(record)` restarts what should be running (optional: any read does it lazily).
A server also exits on its own within a second when its service folder (or DP100_HOME) is removed, or when the
process that owns it (the app; see `sim._owner`) ends. A deployment whose starting process was killed before it
recorded the server's pid is failed by the next read (`_process.start_abandoned`), never Transitioning forever.
"""

from sim.cloud.services._insights import RequestTelemetry, request_records
from sim.cloud.services._insights import enabled as app_insights_enabled
from sim.cloud.services._insights import summary as request_summary
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
from sim.cloud.services._profiling import get_profile, profile_model
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
    "ACI", "DELETING", "FAILED", "HEALTHY", "LOCAL", "STOPPED", "TRANSITIONING", "UNHEALTHY", "RequestTelemetry",
    "ServiceRecord", "app_insights_enabled", "delete", "deploy", "get", "get_profile", "keys", "list_services", "logs",
    "profile_model", "refresh", "regen_key", "request_records", "request_summary", "restore_all", "services_using",
    "stop_all", "update", "wait",
]


def on_workspace_deleted(record) -> None:
    """Workspace hook (sim.cloud.workspaces.DELETED_HOOKS): stop the workspace's scoring servers."""
    stop_all(record)
