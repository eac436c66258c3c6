"""The simulated Azure as its own process: one service per DP100_HOME, started on demand, stopped when idle.

The service answers what Azure answers - the REST application of `sim.rest` (ARM, data plane, blob storage),
MLflow's REST API per workspace (`mlflow_api`; in process mode `azureml://` tracking URIs reach it through
`mlflow_client`) - and a call proxy to `sim.cloud` for the SDK v1 face (`calls`). `channel.send` is the one way
in; env `DP100_SERVICE` chooses whether it runs the application in the caller's process ("inprocess", the
default) or sends the request to the service ("process"). The SDK v1 face and the `az` CLI name the `sim.cloud`
modules they use through `routed`, so in process mode their calls take that way too; a lab kernel whose sandbox
hides DP100_HOME is given the service's socket (`locations.SOCKET_ENV`) and has no other way.

Where things are (see `locations`): `<DP100_HOME>/service/` holds `service.json` (pid, socket, port),
`start.lock`, `token` and `service.log`; the Unix socket is `service.sock` there (or in a private runtime
folder when that path is too long for a socket). Env: `DP100_SERVICE`, `DP100_SERVICE_IDLE_SECONDS` (600),
`DP100_SERVICE_LISTEN` ("tcp" for TCP only).

    python -m sim.service          run the service (the launcher does this; never needed by hand)
    dp100 service status|start|stop
"""

from __future__ import annotations

from sim.service.launcher import ServiceStartError, ensure_running, status, stop
from sim.service.locations import mode

__all__ = ["ServiceStartError", "call", "call_with_log", "ensure_running", "mlflow_env", "mlflow_tracking_uri", "mode",
           "status", "stop", "warm_up_jobs"]


def call(module: str, function: str, *args, **kwargs):
    """Call an allowed `sim.cloud` function through the service (in this process in "inprocess" mode).

    Raises:
        CloudError: the service's own error, as `sim.cloud` raised it.
        CallRefused: when the function is not allowed or the arguments do not fit it.
    """
    from sim.service import calls, channel

    body = calls.request_body(module, function, *args, **kwargs)
    status_code, _, data = channel.send("POST", "http://service/_sim/call", {"Content-Type": "application/json"},
                                        body)
    return calls.result_of(status_code, data)


def call_with_log(module: str, function: str, log_parameter: str, *args, **kwargs) -> tuple[object, list[str]]:
    """`call` for a function that reports progress through a callback parameter: (its value, the lines it gave),
    collected by the service while it ran (a caller shows them after the call; the service never calls back)."""
    from sim.service import calls, channel

    body = calls.request_body(module, function, *args, collect_log=log_parameter, **kwargs)
    status_code, _, data = channel.send("POST", "http://service/_sim/call", {"Content-Type": "application/json"},
                                        body)
    value = calls.result_of(status_code, data)
    return value, calls.log_of(data)


def warm_up_jobs() -> None:
    """Ask the service to get its job host ready (a submit usually follows); a failure only costs time."""
    from sim.service import channel

    try:
        channel.send("POST", "http://service/_sim/warm-up", {}, b"", timeout=10.0)
    except Exception:  # noqa: BLE001 - a warm-up only saves time; the first real call reports any failure
        return


def mlflow_tracking_uri(workspace) -> str:
    """An http tracking URI that reaches `workspace`'s MLflow store through the service (starting it).

    MLflow's client must also send the home's token: see `mlflow_env`. The URI names this service's port, so it
    holds while this service runs; the workspace's `azureml://` URI is the one that outlives an idle stop.
    """
    record = ensure_running()
    return f"http://127.0.0.1:{record['port']}/mlflow/v1.0{workspace.arm_id}"


def mlflow_env(workspace) -> dict[str, str]:
    """Environment variables that point MLflow at `workspace` through the service (URI and token)."""
    from sim.service import locations

    return {"MLFLOW_TRACKING_URI": mlflow_tracking_uri(workspace), "MLFLOW_TRACKING_TOKEN": locations.token()}
