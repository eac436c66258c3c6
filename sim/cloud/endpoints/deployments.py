"""Deployments of online endpoints: each runs a scoring server on 127.0.0.1 (or, with the home hidden, sandboxed on a
Unix socket in its folder), as a v1 web service does.

A deployment serves one registered model version, either with the learner's scoring script (`init()`/`run()`
from a code asset) or, for an MLflow model with no script, with the server's own MLflow scoring
(`sim._mlflow_scoring`: inputs cast to the model's signature, as Azure's no-code MLflow deployments do).

Its provisioningState moves Creating (or Updating) -> Succeeded once the server has run `init()`, or -> Failed
when `init()` raises or the server dies; reads reconcile the row with the server (`refresh`), and a deployment
whose server went away (app or machine restart) is started again. Deleting a deployment or its endpoint stops its
server; a server also exits by itself when its folder disappears.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from sim import messages
from sim.cloud import access
from sim.cloud.endpoints import _table as table
from sim.cloud.endpoints._table import CREATING, FAILED, SUCCEEDED, UPDATING, OnlineDeployment
from sim.cloud.endpoints.online import validate_name
from sim.cloud.errors import SERVICE, NotFound, UserError
from sim.cloud.models import assets, copy_files
from sim.cloud.services import _process as proc

MLFLOW_SCORING_MODULE = "sim._mlflow_scoring"
DELAY_ENV = "DP100_SIM_DEPLOY_DELAY"  # seconds a deployment stays Creating at least (default 0: at once)
INIT_TIMEOUT_SECONDS = 600.0
WRITE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments/write"
DELETE = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments/delete"


@dataclass(frozen=True)
class DeploymentSpec:
    """What a deployment asks for, in the service's words."""

    instance_type: str
    instance_count: int = 1
    model: str | None = None               # the registry id, "<name>:<version>"
    code_folder: Path | None = None        # the scoring code (a code asset's files)
    code_id: str | None = None
    scoring_script: str | None = None      # relative to code_folder
    environment_id: str | None = None
    environment_variables: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    description: str | None = None
    tags: dict = field(default_factory=dict)


def _deploy_delay() -> float:
    try:
        return max(0.0, float(os.environ.get(DELAY_ENV, "0") or 0))
    except ValueError:
        return 0.0


def _model(record, spec: DeploymentSpec):
    if not spec.model:
        return None
    name, _, version = spec.model.rpartition(":")
    found = assets.find(record, name, version) if name and version.isdigit() else None
    if found is None:
        raise NotFound(SERVICE, messages.DEPLOYMENT_MODEL_NOT_FOUND.format(model=spec.model))
    return found


def _validate(record, endpoint: str, name: str, spec: DeploymentSpec, model) -> None:
    validate_name(name, "deployment")
    if not isinstance(spec.instance_count, int) or spec.instance_count < 1:
        raise UserError(SERVICE, messages.DEPLOYMENT_INSTANCE_COUNT.format(count=spec.instance_count))
    if not spec.instance_type:
        raise UserError(SERVICE, messages.DEPLOYMENT_INSTANCE_TYPE)
    if not spec.scoring_script:
        if model is None or model.model_type != assets.MLFLOW_MODEL:
            raise UserError(SERVICE, messages.DEPLOYMENT_NEEDS_SCRIPT.format(name=name))
        return
    if spec.code_folder is None or not (spec.code_folder / spec.scoring_script).is_file():
        raise UserError(SERVICE, messages.DEPLOYMENT_SCRIPT_MISSING.format(script=spec.scoring_script))
    if not spec.environment_id:
        raise UserError(SERVICE, messages.DEPLOYMENT_NEEDS_ENVIRONMENT.format(name=name))


def _build_image(record, spec: DeploymentSpec) -> None:
    """The deployment's image build: its environment's, or one Azure makes for an MLflow model given none."""
    from sim.cloud.environments import assets as environment_assets
    from sim.cloud.environments import build_image

    environment = environment_assets.resolve(record, spec.environment_id) if spec.environment_id else None
    build_image(record, environment["definition"] if environment else None)


def _lay_out(folder: Path, name: str, spec: DeploymentSpec, model) -> None:
    """Write the deployment's folder: code snapshot, model files, the server's configuration."""
    app, models = folder / "app", folder / "azureml-models"
    for sub in (app, models):
        shutil.rmtree(sub, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / proc.LOG_FILE).unlink(missing_ok=True)  # a new container, a new log
    if spec.scoring_script:
        shutil.copytree(spec.code_folder, app, ignore=shutil.ignore_patterns("__pycache__", ".git"))
    else:
        app.mkdir()
    variables = {str(k): str(v) for k, v in spec.environment_variables.items()}
    model_dir = "azureml-models"
    if model is not None:
        version = model.version
        model_dir = f"azureml-models/{version.name}/{version.version}"
        copy_files(version, folder / model_dir, exist_ok=True)
        variables.setdefault("MLFLOW_MODEL_FOLDER", version.root_name)
    proc.write_json(folder / proc.CONFIG_FILE, {
        "name": name, "entry_script": spec.scoring_script or "",
        "entry_module": None if spec.scoring_script else MLFLOW_SCORING_MODULE, "model_dir": model_dir,
        "port": None, "environment_variables": variables, "transition_seconds": _deploy_delay()})


def create_or_update(record, endpoint: str, name: str, spec: DeploymentSpec) -> tuple[OnlineDeployment, bool]:
    """Deploy (or redeploy) `name` on `endpoint` and start its scoring server; returns (deployment, created).

    The deployment comes back Creating (Updating); `refresh` follows it to Succeeded or Failed.
    """
    access.authorize(record, WRITE, family=SERVICE)
    table.get_endpoint(record, endpoint)
    model = _model(record, spec)
    _validate(record, endpoint, name, spec, model)
    _build_image(record, spec)
    existing = table.find_deployment(record, endpoint, name)
    if existing is not None:
        proc.stop(existing.pid, existing.folder)
    folder = table.deployment_dir(record, endpoint, name)
    _lay_out(folder, name, spec, model)
    values = dict(model_id=spec.model, code_id=spec.code_id, scoring_script=spec.scoring_script,
                  environment_id=spec.environment_id, instance_type=spec.instance_type,
                  instance_count=spec.instance_count, environment_variables=dict(spec.environment_variables),
                  settings=dict(spec.settings), description=spec.description, tags=dict(spec.tags),
                  state=UPDATING if existing else CREATING, pid=None, port=None, error=None)
    table.save_deployment(record, endpoint, name, **values)
    try:
        pid = proc.start(folder)
    except BaseException:
        table.save_deployment(record, endpoint, name, state=FAILED)
        raise
    return table.save_deployment(record, endpoint, name, pid=pid), existing is None


def _failure(record, d: OnlineDeployment, code: str, detail: str) -> OnlineDeployment:
    proc.stop(d.pid, d.folder)
    message = messages.DEPLOYMENT_FAILED.format(name=d.name, endpoint=d.endpoint, detail=detail)
    return table.save_deployment(record, d.endpoint, d.name, state=FAILED, error={"code": code, "message": message})


def _settle(record, d: OnlineDeployment) -> OnlineDeployment:
    """Fold what the starting server reported into the row."""
    if d.pid is None:  # a process is between saving the row and recording its server's pid
        return _check_starter(record, d)
    status = proc.read_status(d.folder) or {}
    ours = status.get("pid") == d.pid
    if ours and status.get("port") and d.port != status["port"]:
        d = table.save_deployment(record, d.endpoint, d.name, port=status["port"])
    state = status.get("state") if ours else None
    if state == "Healthy":
        return table.save_deployment(record, d.endpoint, d.name, state=SUCCEEDED, error=None)
    if state in ("Unhealthy", "Failed"):
        details = (status.get("error") or {}).get("details") or [status.get("error") or {}]
        return _failure(record, d, "ResourceNotReady", details[0].get("message") or "init() failed")
    if not proc.is_ours(d.pid, d.folder):
        return _failure(record, d, "ResourceNotReady", "the scoring server exited")
    if time.time() - d.updated_time.timestamp() > INIT_TIMEOUT_SECONDS:
        return _failure(record, d, "DeploymentTimedOut", "init() did not finish in time")
    return d


def _check_starter(record, d: OnlineDeployment) -> OnlineDeployment:
    """Fail a start whose process was killed before it recorded the server (it would be Creating forever)."""
    if not proc.start_abandoned(d.folder, d.updated_time.timestamp()):
        return d
    if not table.claim_deployment(record, d.endpoint, d.name, None, state=FAILED, error={
            "code": "DeploymentInterrupted", "message": messages.DEPLOYMENT_FAILED.format(
                name=d.name, endpoint=d.endpoint, detail=messages.DEPLOYMENT_START_INTERRUPTED)}):
        return table.get_deployment(record, d.endpoint, d.name)  # the starter recorded its server after all
    proc.stop_unrecorded(d.folder)
    return table.get_deployment(record, d.endpoint, d.name)


def _revive(record, d: OnlineDeployment) -> OnlineDeployment:
    """A succeeded deployment whose server went away (app or machine restart) is started again."""
    if proc.serving(d.pid, d.folder, d.port):
        return d
    if not (d.folder / "app").is_dir():
        return _failure(record, d, "ResourceNotReady", "its files are gone")
    if not table.claim_deployment(record, d.endpoint, d.name, d.pid, state=UPDATING, pid=None, port=None):
        return table.get_deployment(record, d.endpoint, d.name)
    proc.stop(d.pid, d.folder)
    return table.save_deployment(record, d.endpoint, d.name, pid=proc.start(d.folder))


def refresh(record, d: OnlineDeployment) -> OnlineDeployment:
    """Reconcile a stored deployment with its scoring server and return the current row."""
    if d.state in (CREATING, UPDATING):
        return _settle(record, d)
    if d.state == SUCCEEDED:
        return _revive(record, d)
    return d


def get(record, endpoint: str, name: str) -> OnlineDeployment:
    """The deployment, reconciled with its server; raises NotFound."""
    table.get_endpoint(record, endpoint)
    return refresh(record, table.get_deployment(record, endpoint, name))


def list_deployments(record, endpoint: str) -> list[OnlineDeployment]:
    """The endpoint's deployments, each reconciled with its server."""
    table.get_endpoint(record, endpoint)
    return [refresh(record, d) for d in table.deployments_of(record, endpoint)]


def delete(record, endpoint: str, name: str) -> None:
    """Stop the deployment's server and remove it; refused while the endpoint sends it traffic."""
    access.authorize(record, DELETE, family=SERVICE)
    owner = table.get_endpoint(record, endpoint)
    d = table.get_deployment(record, endpoint, name)
    if owner.traffic.get(name, 0) > 0:
        raise UserError(SERVICE, messages.DEPLOYMENT_HAS_TRAFFIC.format(
            name=name, endpoint=endpoint, percent=owner.traffic[name]))
    table.save_deployment(record, endpoint, name, state=table.DELETING)
    proc.stop(d.pid, d.folder)
    table.remove_deployment(record, endpoint, name)
    shutil.rmtree(d.folder, ignore_errors=True)


def logs(record, endpoint: str, name: str, lines: int | None = None, container: str | None = None) -> str:
    """The tail of the deployment's log: the inference server's, or the storage initializer's (model copy)."""
    d = get(record, endpoint, name)
    if (container or "").lower() == "storageinitializer":
        return _storage_log(d)
    return proc.tail(d.folder / proc.LOG_FILE, lines or 0)


def _storage_log(d: OnlineDeployment) -> str:
    models = d.folder / "azureml-models"
    files = sorted(p.relative_to(models).as_posix() for p in models.rglob("*") if p.is_file())
    said = [f"Downloading model {d.model_id or '(none)'} to /var/azureml-app/azureml-models"]
    said += [f"Downloaded {name}" for name in files]
    return "\n".join([*said, f"Storage initialization finished: {len(files)} file(s).", ""])


def deployments_using(record, model_id: str) -> list[str]:
    """`<endpoint>/<deployment>` of every deployment serving this model version."""
    return [f"{d.endpoint}/{d.name}" for d in table.deployments_of(record) if d.model_id == model_id]
