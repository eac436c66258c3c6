"""`POST /_sim/call`: the generic call proxy through which the SDK v1 face can reach `sim.cloud`.

A request body is `{"module": "sim.cloud.workspaces", "function": "get", "args": [...], "kwargs": {...}}` in
the wire format of `sim.service.codec` (JSON with tags). The answer is `{"value": ...}` with status 200, or
`{"error": {"type", "family", "code", "message"}}` with the error's HTTP status when `sim.cloud` refused (the
caller raises the same `CloudError` class again), or a 400/403 naming what was wrong with the request.

Only the functions in `ALLOWED` can be called: the service is the one place that writes cloud state, and its
callers are learner kernels. Left out on purpose: set-up and test switches (`access.set_caller`,
`compute.set_provisioning_delay`, `compute.set_quota_limit`, `*.warm_up`), the job engine's internals (launch,
reap, node claims), and `runs.lifecycle.start`/`move`/`finish`, which record a run in any state without running
anything: callers start and end their own runs with `runs.interactive` (an interactive run that starts Running,
ended Completed or Failed from an active state) and submit scripts with `runs.jobs.submit_script`, so a Completed
script run exists only where the service ran a script. Metric journals are files the service made
(`runs.journal.open_external`). The caller's simulated identity travels in the request ("caller": [principal,
role]), as an Azure token would, and the call runs as that caller.
"""

from __future__ import annotations

import importlib
import inspect

from sim import messages
from sim.service import codec

ALLOWED: dict[str, tuple[str, ...]] = {
    "sim.cloud.access": ("authorize", "current_caller", "list_role_definitions", "get_role_definition",
                         "create_custom_role", "role_allows", "list_role_assignments", "assign_role", "remove_role",
                         "roles_of_caller"),
    "sim.cloud.automl.engine": ("get", "guardrails", "trials", "best_trial", "cancel"),
    "sim.cloud.automl.submitting": ("submit_definition", "cancel_trial"),  # not engine.submit (DataFrames)
    "sim.cloud.compute": ("find", "get", "busy_nodes", "node_counts", "list_computes", "quota_limit", "core_usage",
                          "usages", "create_cluster", "create_instance", "update_cluster", "set_power_state", "delete",
                          "wait_until_provisioned", "wait_until_settled"),
    "sim.cloud.datasets": ("canonical", "save", "require_files", "register", "get_by_name", "get_by_id",
                           "list_latest", "versions", "update", "unregister_all_versions", "describe_sources"),
    "sim.cloud.data_assets": ("get", "latest", "versions", "list_latest", "as_v1_definition"),
    "sim.cloud.data_engine": ("frame_pickle", "files_of", "file_bytes"),
    "sim.cloud.datadrift.engine": ("backfill", "adhoc"),  # not submit: the service reads the monitor itself
    "sim.cloud.datadrift.monitors": ("create", "find", "get", "get_by_id", "list_monitors", "update"),
    "sim.cloud.datadrift.results": ("rows_of",),
    "sim.cloud.datastores": ("storage_account_name", "normalize_name", "register", "get", "list", "default",
                             "set_default", "unregister", "secrets", "clean_relative", "upload", "list_files",
                             "download"),
    "sim.cloud.environments": ("register", "get", "list_latest", "versions", "needs_image_build", "build_image"),
    "sim.cloud.mltables": ("spec_at", "frame_pickle_at"),
    "sim.cloud.models": ("query", "latest_versions", "find_by_id", "get_by_id", "update_tags", "add_properties",
                         "update", "delete", "copy_files"),
    "sim.cloud.models.registering": ("register_path", "register_run_files", "save_deploy_info", "deploy_info"),
    "sim.cloud.experiments": ("validate_name", "get_or_create", "get_by_id", "list_experiments", "archive",
                              "reactivate", "set_tags", "remove_tags"),
    "sim.cloud.keyvault": ("set_secret", "get_secret", "get_secret_content_type", "list_secrets", "delete_secret",
                           "secret_exists"),
    # SDK v1 pipelines: a graph goes to the service as data (`graphs` checks it), which runs its steps.
    "sim.cloud.pipelines": ("get", "steps", "cancel"),
    "sim.cloud.pipelines.graphs": ("submit", "publish", "publish_run"),
    "sim.cloud.pipelines.published": ("get", "list_published", "set_status", "submit"),
    "sim.cloud.pipelines.endpoints": ("publish_endpoint", "get_endpoint", "list_endpoints", "add_version",
                                      "set_default_version", "change", "version_pipeline", "submit_endpoint"),
    "sim.cloud.pipelines.schedules": ("create_schedule", "list_schedules", "get_schedule", "update_schedule"),
    "sim.cloud.runs.assessments": ("save", "listing", "load"),
    "sim.cloud.runs.files": ("upload_file", "upload_folder", "names", "log_names", "read_from", "download_file",
                             "download_files", "copy_tree_into"),
    "sim.cloud.runs.interactive": ("start", "complete", "fail", "mark_started", "start_children", "active_runs"),
    "sim.cloud.runs.jobs": ("submit_script", "submit_with_inputs", "wait", "cancel", "resolve_target"),
    "sim.cloud.runs.journal": ("open_external", "close_external"),
    "sim.cloud.runs.lifecycle": ("new_run_id", "record_of", "status", "status_of", "list_runs", "run_page",
                                 "run_counts", "tags", "set_tags", "remove_tags", "details", "sweep_settings"),
    "sim.cloud.runs.listing": ("tags",),
    "sim.cloud.runs.metrics": ("settle", "get_metrics"),
    "sim.cloud.runs.naming": ("display_name", "set_display_name", "description", "set_description"),
    "sim.cloud.runs.state": ("add_properties",),
    # HyperDrive (SDK v1): the service checks the sweep's definition and drives it; never the engine itself
    "sim.cloud.sweeps.hyperdrive": ("submit_v1_sweep", "trial_summaries", "cancel"),
    "sim.cloud.services": ("deploy", "get", "list_services", "logs", "keys", "regen_key", "refresh", "update",
                           "delete", "wait", "services_using", "profile_model", "get_profile"),
    "sim.cloud.workspaces": ("validate_workspace_name", "validate_subscription_id", "validate_resource_group_name",
                             "validate_location", "get_resource_group", "create_resource_group",
                             "list_resource_groups", "create", "find", "get", "get_by_name", "list_subscriptions",
                             "list_workspaces", "delete", "ensure_container_registry", "update"),
}


class CallRefused(Exception):
    """A call request the proxy will not run: `status` 400 (malformed) or 403 (not allowed)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class PathRefused(CallRefused):
    """A sandboxed caller named a host path it could not write itself (403; see `sim.service.caller_paths`)."""


def resolve(module_name, function_name):
    """The allowed `sim.cloud` function a request names.

    Raises:
        CallRefused: (403) when the module or function is not in `ALLOWED`.
    """
    target = f"{module_name}.{function_name}"
    if function_name not in ALLOWED.get(module_name, ()):
        raise CallRefused(403, messages.SIM_SERVICE_CALL_NOT_ALLOWED.format(target=target))
    function = getattr(importlib.import_module(module_name), function_name, None)
    if not inspect.isfunction(function):  # the list names something that is gone: refuse, never guess
        raise CallRefused(403, messages.SIM_SERVICE_CALL_NOT_ALLOWED.format(target=target))
    return function


def parse(body: bytes) -> tuple[str, str, list, dict, tuple]:
    """(module, function, args, kwargs, caller) of a request body; the caller is (principal, role), ("", None)
    for the account owner.

    Raises:
        CallRefused: (400) when the body is not a well-formed call.
    """
    try:
        request = codec.loads(body)
    except (ValueError, codec.NotEncodable) as exc:
        raise CallRefused(400, messages.SIM_SERVICE_CALL_BAD_REQUEST.format(problem=str(exc))) from None
    if not isinstance(request, dict):
        raise CallRefused(400, messages.SIM_SERVICE_CALL_BAD_REQUEST.format(problem="the body is not an object"))
    module, function = request.get("module"), request.get("function")
    args, kwargs = request.get("args", []), request.get("kwargs", {})
    if not (isinstance(module, str) and isinstance(function, str)):
        raise CallRefused(400, messages.SIM_SERVICE_CALL_BAD_REQUEST.format(problem="module or function is missing"))
    if not (isinstance(args, list) and isinstance(kwargs, dict)):
        problem = "args or kwargs has the wrong type"
        raise CallRefused(400, messages.SIM_SERVICE_CALL_BAD_REQUEST.format(problem=problem))
    return module, function, args, kwargs, _caller(request.get("caller"))


def _caller(sent) -> tuple[str, str | None]:
    """The caller a request names: [principal, role] (either may be empty), or nobody said (the account owner)."""
    if sent is None:
        return "", None
    if not (isinstance(sent, list) and len(sent) == 2 and all(v is None or isinstance(v, str) for v in sent)):
        problem = "caller must be [principal, role]"
        raise CallRefused(400, messages.SIM_SERVICE_CALL_BAD_REQUEST.format(problem=problem))
    return sent[0] or "", sent[1] or None


def answer(body: bytes, peer_pid: int | None = None) -> tuple[int, bytes]:
    """Run one call request; returns (HTTP status, wire body).

    Args:
        body: the request.
        peer_pid: the calling process (from the Unix socket): runs it starts are its own, failed once it ends.
    """
    from sim import _owner
    from sim.cloud import access
    from sim.cloud.errors import CloudError

    try:
        module, function, args, kwargs, caller = parse(body)
        target = resolve(module, function)
        lines, collect = [], codec.loads(body).get("collect_log")
        if isinstance(collect, str) and collect in inspect.signature(target).parameters:
            kwargs[collect] = lines.append  # progress lines come back with the answer (no call back to the caller)
        _check_arguments(target, args, kwargs)
        _check_paths(peer_pid, args, kwargs)
        with access.acting_as(*caller), _owner.answering(peer_pid):
            value = target(*args, **kwargs)
        return 200, codec.dumps({"value": value, **({"log": lines} if collect else {})})
    except CallRefused as exc:
        return exc.status, codec.dumps({"error": {"type": type(exc).__name__, "message": exc.message}})
    except CloudError as exc:
        error = {"type": f"{type(exc).__module__}.{type(exc).__qualname__}", "family": exc.family,
                 "code": exc.code, "message": exc.message}
        return exc.status, codec.dumps({"error": error})
    except codec.NotEncodable as exc:
        return 500, codec.dumps({"error": {"type": "NotEncodable", "message": str(exc)}})
    except Exception as exc:  # a fault of the service itself: said, not hidden (the app logs it too)
        return 500, codec.dumps({"error": {"type": type(exc).__name__, "message": f"{type(exc).__name__}: {exc}"}})


def _check_arguments(function, args: list, kwargs: dict) -> None:
    """Refuse arguments the function cannot take, before it runs (a TypeError inside it is the service's fault)."""
    try:
        inspect.signature(function).bind(*args, **kwargs)
    except TypeError as exc:
        raise CallRefused(400, f"{function.__module__}.{function.__name__}: {exc}") from None


def _check_paths(peer_pid, args: list, kwargs: dict) -> None:
    """Refuse a host path a sandboxed caller names but could not write itself (`sim.service.caller_paths`)."""
    from sim.service import caller_paths

    try:
        caller_paths.check(peer_pid, args, kwargs)
    except caller_paths.OutOfReach as exc:
        raise PathRefused(403, messages.SIM_SERVICE_PATH_OUT_OF_REACH.format(path=exc.path)) from None


def request_body(module: str, function: str, *args, collect_log: str | None = None, **kwargs) -> bytes:
    """The wire body of a call (what a caller POSTs to /_sim/call), naming this process's simulated caller.

    Args:
        collect_log: the name of the function's progress-line callback parameter, if the caller wants those lines
            back with the answer (`log_of`).
    """
    from sim.cloud import access

    return codec.dumps({"module": module, "function": function, "args": list(args), "kwargs": kwargs,
                        "caller": list(access.caller_identity()), "collect_log": collect_log})


def log_of(body: bytes) -> list[str]:
    """The progress lines an answer carries (asked for with `collect_log`)."""
    return list(codec.loads(body).get("log") or [])


def result_of(status: int, body: bytes):
    """The value of an answer, or the same error raised again on the caller's side.

    Raises:
        CloudError: (its own subclass) when the service refused.
        CallRefused: when the proxy refused the call (status 400/403) or the service failed (500).
    """
    answer_data = codec.loads(body)
    if status == 200:
        return answer_data["value"]
    error = answer_data.get("error", {})
    kind = error.get("type", "")
    if kind.startswith("sim.cloud.errors."):
        cls = getattr(importlib.import_module("sim.cloud.errors"), kind.rpartition(".")[2])
        raise cls(error.get("family", ""), error.get("message", ""), code=error.get("code"), status=status)
    refused = PathRefused if kind == "PathRefused" else CallRefused
    raise refused(status, error.get("message", f"HTTP {status}"))
