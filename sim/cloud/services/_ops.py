"""Web service operations: deploy, observe (with process reconciliation), update, delete, stop_all."""

from __future__ import annotations

import os
import secrets
import shutil
import time
import uuid
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from sim import messages
from sim.cloud import access
from sim.cloud.environments import build_image
from sim.cloud.errors import SERVICE, Conflict, UserError
from sim.cloud.models import ModelVersion, copy_files
from sim.cloud.models._registry import caller_identity
from sim.cloud.services import _insights
from sim.cloud.services import _process as proc
from sim.cloud.services import _table as table
from sim.cloud.services._table import (
    FAILED,
    HEALTHY,
    STOPPED,
    TERMINAL_STATES,
    TRANSITIONING,
    UNHEALTHY,
    ServiceRecord,
)

ACI, LOCAL = "ACI", "Local"
COMPUTE_TYPES = ("ACI", "AKS", "AKSENDPOINT", "IOT", "MIR", "LOCAL")
DELAY_ENV = "DP100_SIM_DEPLOY_DELAY"  # seconds a deployment stays Transitioning at least (default 0: at once)
INIT_TIMEOUT_SECONDS = 600.0   # a server still starting after this long is failed (Azure gives up too)
POLL_SECONDS = 0.05


def _action(compute_type: str, verb: str) -> str:
    return f"Microsoft.MachineLearningServices/workspaces/services/{compute_type.lower()}/{verb}"


def _authorize(record, compute_type: str, verb: str) -> None:
    if compute_type == ACI:  # a local service runs on the learner's machine: no Azure permission involved
        access.authorize(record, _action(compute_type, verb), family=SERVICE)


def new_keys() -> dict:
    """A fresh pair of service keys, as long as Azure's."""
    return {"primaryKey": secrets.token_urlsafe(24), "secondaryKey": secrets.token_urlsafe(24)}


def _model_dir(models: list[ModelVersion]) -> str:
    # One model: the folder of that version; several: the root (Azure sets AZUREML_MODEL_DIR the same way).
    if len(models) == 1:
        return f"azureml-models/{models[0].name}/{models[0].version}"
    return "azureml-models"


def _build_folder(folder: Path, name: str, models: list[ModelVersion], entry_script: Path,
                  source_directory: Path | None, environment: dict | None, port: int | None) -> str:
    """Lay out the service folder (snapshot and models); return the entry script's path inside app/.

    As in the real container, source_directory keeps its own name under the working folder (app/<name>/...),
    so a scoring script's init() opens './<name>/extradata.json'; a lone entry script sits in app/ itself.
    """
    app = folder / "app"
    for sub in (app, folder / "azureml-models"):
        shutil.rmtree(sub, ignore_errors=True)
    (folder / proc.LOG_FILE).unlink(missing_ok=True)  # a new deployment starts a new container log
    if source_directory:
        source = source_directory.resolve()
        shutil.copytree(source, app / source.name, ignore=shutil.ignore_patterns("__pycache__", ".git"))
        relative = f"{source.name}/{entry_script.resolve().relative_to(source).as_posix()}"
    else:
        app.mkdir(parents=True)
        shutil.copy2(entry_script, app / entry_script.name)
        relative = entry_script.name
    for model in models:
        copy_files(model, folder / "azureml-models" / model.name / str(model.version), exist_ok=True)
    proc.write_json(folder / proc.CONFIG_FILE, {
        "name": name, "entry_script": relative, "model_dir": _model_dir(models), "port": port,
        "environment_variables": (environment or {}).get("environment_variables") or {},
        "transition_seconds": _deploy_delay()})
    return relative


def _deploy_delay() -> float:
    try:
        return max(0.0, float(os.environ.get(DELAY_ENV, "0") or 0))
    except ValueError:
        return 0.0


def _write_keys(folder: Path, auth_enabled: bool, keys: dict | None = None) -> dict:
    current = read_keys(folder) or new_keys()
    current.update(keys or {})
    current["authEnabled"] = bool(auth_enabled)
    proc.write_json(folder / proc.KEYS_FILE, current)
    return current


def read_keys(folder: Path) -> dict | None:
    """The service's keys file content, or None."""
    import json

    try:
        return json.loads((folder / proc.KEYS_FILE).read_text())
    except (OSError, ValueError):
        return None


def deploy(record, name: str, *, compute_type: str, models: list[ModelVersion], entry_script: Path,
           source_directory: Path | None, environment: dict | None, config: dict, overwrite: bool,
           tags=None, properties=None, description=None, auth_enabled=False, keys=None) -> ServiceRecord:
    """Create (or, with overwrite, replace) a service and start its scoring server.

    Returns:
        The record in state Transitioning; `wait` follows it to Healthy or Unhealthy.
    """
    _authorize(record, compute_type, "write")
    existing = table.find(record, name)
    if existing is not None:
        if not overwrite and not (compute_type == LOCAL and existing.compute_type == LOCAL):
            raise Conflict(SERVICE, messages.SERVICE_EXISTS.format(name=name))
        _teardown(record, existing)
    folder = table.services_dir(record) / name
    stamp = table.now()
    try:  # claim the name first: a concurrent deployment of the same name then fails cleanly here
        table.insert(record, name=name, compute_type=compute_type, state=TRANSITIONING,
                     operation_id=str(uuid.uuid4()), operation_state="Running", created_time=stamp,
                     updated_time=stamp, description=description, tags=dict(tags or {}),
                     properties=dict(properties or {}), auth_enabled=bool(auth_enabled), config=config,
                     model_ids=[m.id for m in models], entry_script="", environment=environment,
                     created_by=caller_identity())
    except IntegrityError:
        raise Conflict(SERVICE, messages.SERVICE_EXISTS.format(name=name)) from None
    try:
        # SDK v1 packages every deployment (a local one too) into an image built in the workspace's registry.
        build_image(record, None)
        folder.mkdir(parents=True, exist_ok=True)
        proc.mark_starter(folder)  # copying the models may take a while: readers must see the start is alive
        relative = _build_folder(folder, name, models, entry_script, source_directory, environment,
                                 config.get("port"))
        _write_keys(folder, auth_enabled, {k: v for k, v in (keys or {}).items() if v})
        _insights.apply(folder, config)
        return table.update(record, name, entry_script=relative, pid=proc.start(folder))
    except BaseException:
        table.remove(record, name)
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _teardown(record, service: ServiceRecord) -> None:
    proc.stop(service.pid, service.folder)
    table.remove(record, service.name)
    shutil.rmtree(service.folder, ignore_errors=True)


def _settle_transition(record, service: ServiceRecord) -> ServiceRecord:
    """Fold what the starting server reported into the stored record."""
    if service.pid is None:  # a process is between claiming the service and recording its server's pid
        return _check_starter(record, service)
    status = proc.read_status(service.folder) or {}
    if status.get("pid") == service.pid and status.get("port") and service.port != status["port"]:
        service = table.update(record, service.name, port=status["port"])
    state = status.get("state") if status.get("pid") == service.pid else None
    if state == HEALTHY:
        return table.update(record, service.name, state=HEALTHY, operation_state="Succeeded", error=None)
    if state in (UNHEALTHY, FAILED):
        proc.stop(service.pid, service.folder)  # the server is exiting by itself: make sure it is gone
        return table.update(record, service.name, state=state, operation_state="Failed", error=status.get("error"))
    if not proc.is_ours(service.pid, service.folder):
        error = {"code": "AciDeploymentFailed", "message": messages.SERVICE_CRASHED.format(name=service.name)}
        return table.update(record, service.name, state=UNHEALTHY, operation_state="Failed", error=error)
    if time.time() - service.updated_time.timestamp() > INIT_TIMEOUT_SECONDS:
        proc.stop(service.pid, service.folder)
        error = {"code": "DeploymentTimedOut", "message": "init() did not finish in time; see get_logs()."}
        return table.update(record, service.name, state=FAILED, operation_state="Failed", error=error)
    return service


def _check_starter(record, service: ServiceRecord) -> ServiceRecord:
    """Fail a start whose process was killed before it recorded the server (it would be Transitioning forever)."""
    if not proc.start_abandoned(service.folder, service.updated_time.timestamp()):
        return service
    error = {"code": "DeploymentInterrupted", "message": messages.SERVICE_START_INTERRUPTED.format(name=service.name)}
    if not table.claim(record, service.name, None, state=FAILED, operation_state="Failed", error=error):
        return table.get(record, service.name)  # the starter recorded its server after all
    proc.stop_unrecorded(service.folder)
    return table.get(record, service.name)


def _revive(record, service: ServiceRecord) -> ServiceRecord:
    """A healthy service whose server went away (machine or app restart): start it again."""
    if proc.serving(service.pid, service.folder, service.port):
        return service
    if not (service.folder / "app").is_dir():
        proc.stop(service.pid, service.folder)
        return table.update(record, service.name, state=STOPPED, operation_state="Failed",
                            error={"code": "Stopped", "message": messages.SERVICE_STOPPED.format(
                                name=service.name, state=service.state)})
    return _restart(record, service)


def _restart(record, service: ServiceRecord, **values) -> ServiceRecord:
    """Stop the service's server and start a new one, unless another process got there first."""
    if not table.claim(record, service.name, service.pid, state=TRANSITIONING, operation_state="Running",
                       port=None, error=None, pid=None, **values):
        return table.get(record, service.name)
    proc.stop(service.pid, service.folder)
    try:
        pid = proc.start(service.folder)
    except BaseException:
        table.update(record, service.name, state=FAILED, operation_state="Failed")
        raise
    return table.update(record, service.name, pid=pid)


def refresh(record, service: ServiceRecord) -> ServiceRecord:
    """Reconcile a stored record with its process (pid + port) and return the current record."""
    if service.state == TRANSITIONING:
        return _settle_transition(record, service)
    if service.state == HEALTHY:
        return _revive(record, service)
    return service


def get(record, name: str) -> ServiceRecord:
    """The current record of service `name` (raises WebserviceNotFound)."""
    return refresh(record, table.get(record, name))


def _filter_matches(values: dict, wanted) -> bool:
    for item in wanted or []:
        if isinstance(item, (list, tuple)):
            if values.get(str(item[0])) != str(item[1]):
                return False
        elif str(item) not in values:
            return False
    return True


def list_services(record, compute_type=None, model_name=None, model_id=None, tags=None,
                  properties=None) -> list[ServiceRecord]:
    """Services matching every given filter (each reconciled with its process)."""
    if compute_type and compute_type.upper() not in COMPUTE_TYPES:
        raise UserError(SERVICE, messages.SERVICE_COMPUTE_TYPE_INVALID.format(
            value=compute_type, options=",".join(COMPUTE_TYPES)))
    found = []
    for service in table.all_rows(record):
        if compute_type and service.compute_type.upper() != compute_type.upper():
            continue
        if model_id and model_id not in service.model_ids:
            continue
        if model_name and not any(mid.split(":")[0] == model_name for mid in service.model_ids):
            continue
        if _filter_matches(service.tags, tags) and _filter_matches(service.properties, properties):
            found.append(refresh(record, service))
    return found


def wait(record, name: str, timeout: float | None = None, on_change=None) -> ServiceRecord:
    """Poll until the service leaves Transitioning (or `timeout` seconds pass); return the record.

    Args:
        on_change: called with each new state, for show_output.
    """
    start, last = time.monotonic(), None
    while True:
        service = get(record, name)
        if service.state != last and on_change:
            on_change(service.state)
        last = service.state
        if service.state in TERMINAL_STATES or (timeout and time.monotonic() - start >= timeout):
            return service
        time.sleep(POLL_SECONDS)


def logs(record, name: str, num_lines: int = 5000) -> str:
    """The tail of the service's log (startup, the script's prints, tracebacks, requests)."""
    return proc.tail(table.get(record, name).folder / proc.LOG_FILE, num_lines)


def keys(record, name: str) -> tuple[str, str]:
    """(primary, secondary) keys; only while auth is enabled."""
    service = table.get(record, name)
    data = read_keys(service.folder)
    if not service.auth_enabled or not data:
        raise UserError(SERVICE, messages.SERVICE_KEYS_NO_AUTH)
    return data["primaryKey"], data["secondaryKey"]


def regen_key(record, name: str, key: str, set_key: str | None = None) -> None:
    """Replace the Primary or Secondary key (the running server picks it up on the next request)."""
    service = table.get(record, name)
    _authorize(record, service.compute_type, "write")
    which = (key or "").capitalize()
    if which not in ("Primary", "Secondary"):
        raise UserError(SERVICE, messages.SERVICE_KEY_NAME_INVALID.format(key=key))
    value = set_key or secrets.token_urlsafe(24)
    _write_keys(service.folder, service.auth_enabled, {which.lower() + "Key": value})


def update(record, name: str, *, tags=None, properties=None, description=None, auth_enabled=None,
           config_changes=None, redeploy=None) -> ServiceRecord:
    """Change a service; `redeploy` (models, entry_script, source_directory, environment) restarts it."""
    service = get(record, name)
    _authorize(record, service.compute_type, "write")
    values: dict = {}
    if tags is not None:
        values["tags"] = dict(tags)
    if properties:
        values["properties"] = {**service.properties, **properties}
    if description:
        values["description"] = description
    if auth_enabled is not None:
        values["auth_enabled"] = bool(auth_enabled)
        _write_keys(service.folder, auth_enabled)
    if config_changes:
        values["config"] = {**service.config, **config_changes}
        _insights.apply(service.folder, values["config"])  # the running server follows: no restart needed
    if not redeploy:
        return table.update(record, name, **values)
    if not table.claim(record, name, service.pid, state=TRANSITIONING, operation_state="Running", pid=None):
        raise Conflict(SERVICE, messages.SERVICE_BUSY.format(name=name))
    proc.mark_starter(service.folder)
    proc.stop(service.pid, service.folder)
    config = values.get("config", service.config)
    values["entry_script"] = _build_folder(
        service.folder, name, redeploy["models"], redeploy["entry_script"], redeploy["source_directory"],
        redeploy["environment"], config.get("port"))
    values.update(model_ids=[m.id for m in redeploy["models"]], environment=redeploy["environment"],
                  operation_id=str(uuid.uuid4()), port=None, error=None, pid=proc.start(service.folder))
    return table.update(record, name, **values)


def delete(record, name: str) -> None:
    """Stop the server and remove the service (its row and folder)."""
    service = table.get(record, name)
    _authorize(record, service.compute_type, "delete")
    table.update(record, name, state=table.DELETING)
    _teardown(record, service)


def stop_all(record) -> None:
    """Stop every scoring server of a workspace (called when the workspace is deleted)."""
    for service in table.all_rows(record):
        proc.stop(service.pid, service.folder)


def restore_all(record) -> list[ServiceRecord]:
    """After an app or machine restart: restart healthy services whose server is gone."""
    return [refresh(record, s) for s in table.all_rows(record)]


def services_using(record, model_id: str) -> list[str]:
    """Names of the services deployed with this model version."""
    return [s.name for s in table.all_rows(record) if model_id in s.model_ids]
