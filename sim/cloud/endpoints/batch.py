"""Batch endpoints and their deployments (SDK v2): a stable name in front of deployments that score data in bulk.

A batch endpoint keeps no server: invoking it with data starts a *batch job*, a pipeline job of one step
(`batchscoring`) that runs the deployment's scoring through the parallel driver (`sim._parallel_run`) on the
deployment's cluster: the input folder's files in mini-batches of `mini_batch_size`, `instance_count x
max_concurrency_per_instance` worker processes, results appended to `output_file_name` (predictions.csv) in the
step's `score` output. An MLflow model needs no scoring script: the service's own scorer loads it and writes one
row per input row (row number, prediction, file), as Azure's does. The first deployment becomes the default.

State: JSON files under `<workspace folder>/batch-endpoints/<endpoint>/` (`endpoint.json`, `deployments/*.json`)
and each deployment's model files, copied when it is created (`deployments/<name>/model/`).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from sim import messages
from sim.cloud import codes, data_uris, datastores
from sim.cloud.endpoints.online import validate_name
from sim.cloud.errors import SERVICE, Conflict, NotFound, UserError
from sim.cloud.models import assets, copy_files
from sim.cloud.runs import jobs

SUCCEEDED = "Succeeded"
OUTPUT_ACTIONS = {"appendrow": "append_row", "summaryonly": "summary_only"}
DRIVER = "azureml_parallel_run_driver.py"
DRIVER_CODE = "from sim._parallel_run import main\n\nmain()\n"
MLFLOW_SCORER = "azureml_mlflow_batch_scorer.py"
MLFLOW_SCORER_CODE = "from sim._parallel_run import mlflow_init as init, mlflow_run as run  # noqa: F401\n"
MAX_PROCESSES = 8
INVOKE_WAIT_SECONDS = 60.0  # the longest an invocation waits for its batch job at the immediate pace


def create_or_update_endpoint(record, name: str, *, description=None, defaults=None, tags=None,
                              auth_mode="AADToken") -> dict:
    """Create a batch endpoint, or change its description, tags or default deployment."""
    validate_name(name)
    current = find_endpoint(record, name)
    if current is None:
        _refuse_taken_name(record, name)
        current = {"name": name, "created": time.time(), "defaults": {}}
    default = (defaults or {}).get("deploymentName")
    if default and find_deployment(record, name, default) is None:
        raise NotFound(SERVICE, messages.BATCH_DEPLOYMENT_NOT_FOUND.format(name=default, endpoint=name))
    current.update(description=description, tags=dict(tags or {}), auth_mode=auth_mode,
                   defaults={"deploymentName": default} if default else current["defaults"])
    _write(_endpoint_dir(record, name) / "endpoint.json", current)
    return current


def _refuse_taken_name(record, name: str) -> None:
    """A batch endpoint's address names it, so its name is unique in its region (across workspaces)."""
    from sim.cloud import workspaces

    for other in workspaces.list_workspaces():
        if other.location == record.location and other.folder != record.folder and find_endpoint(other, name):
            raise Conflict(SERVICE, messages.BATCH_ENDPOINT_NAME_TAKEN.format(name=name, region=record.location))


def find_endpoint(record, name: str) -> dict | None:
    """A batch endpoint by name, or None."""
    return _read(_endpoint_dir(record, name) / "endpoint.json")


def get_endpoint(record, name: str) -> dict:
    """A batch endpoint by name; raises NotFound."""
    found = find_endpoint(record, name)
    if found is None:
        raise NotFound(SERVICE, messages.BATCH_ENDPOINT_NOT_FOUND.format(name=name))
    return found


def list_endpoints(record) -> list[dict]:
    """The workspace's batch endpoints, oldest first."""
    root = record.folder / "batch-endpoints"
    found = [_read(p / "endpoint.json") for p in sorted(root.glob("*"))] if root.is_dir() else []
    return sorted((e for e in found if e), key=lambda e: e["created"])


def delete_endpoint(record, name: str) -> None:
    """Delete a batch endpoint and its deployments (its jobs stay, as in Azure)."""
    get_endpoint(record, name)
    shutil.rmtree(_endpoint_dir(record, name))


def create_or_update_deployment(record, endpoint: str, name: str, spec: dict) -> dict:
    """Create or update a batch deployment from Azure's BatchDeployment properties (checked first)."""
    get_endpoint(record, endpoint)
    validate_name(name, "deployment")
    deployment = _checked(record, name, spec)
    folder = _deployment_dir(record, endpoint, name)
    shutil.rmtree(folder / "model", ignore_errors=True)
    if deployment["model"]:
        copy_files(_model(record, deployment["model"]).version, folder / "model", exist_ok=True)
    _write(folder.with_suffix(".json"), dict(deployment, endpoint=endpoint, created=time.time()))
    current = get_endpoint(record, endpoint)
    if not current["defaults"].get("deploymentName"):  # the first deployment becomes the default
        current["defaults"] = {"deploymentName": name}
        _write(_endpoint_dir(record, endpoint) / "endpoint.json", current)
    return get_deployment(record, endpoint, name)


def find_deployment(record, endpoint: str, name: str) -> dict | None:
    """A batch deployment, or None."""
    return _read(_deployment_dir(record, endpoint, name).with_suffix(".json"))


def get_deployment(record, endpoint: str, name: str) -> dict:
    """A batch deployment; raises NotFound."""
    found = find_deployment(record, endpoint, name)
    if found is None:
        raise NotFound(SERVICE, messages.BATCH_DEPLOYMENT_NOT_FOUND.format(name=name, endpoint=endpoint))
    return found


def list_deployments(record, endpoint: str) -> list[dict]:
    """A batch endpoint's deployments, oldest first."""
    get_endpoint(record, endpoint)
    folder = _endpoint_dir(record, endpoint) / "deployments"
    found = [_read(p) for p in folder.glob("*.json")] if folder.is_dir() else []
    return sorted(found, key=lambda d: d["created"])


def delete_deployment(record, endpoint: str, name: str) -> None:
    """Delete a batch deployment (refused while it is the endpoint's default)."""
    get_deployment(record, endpoint, name)
    if get_endpoint(record, endpoint)["defaults"].get("deploymentName") == name:
        raise UserError(SERVICE, messages.BATCH_DEPLOYMENT_IS_DEFAULT.format(name=name, endpoint=endpoint))
    folder = _deployment_dir(record, endpoint, name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.with_suffix(".json").unlink()


def invoke(record, endpoint: str, input_uri: str, *, deployment: str | None = None, experiment: str | None = None):
    """Start a batch job scoring the data at `input_uri` with a deployment (the default one when not named);
    returns the batch job's service record (a pipeline run)."""
    from sim.cloud import pipelines

    current = get_endpoint(record, endpoint)
    name = deployment or current["defaults"].get("deploymentName")
    if not name:
        raise UserError(SERVICE, messages.BATCH_ENDPOINT_NO_DEFAULT.format(endpoint=endpoint))
    spec = get_deployment(record, endpoint, name)
    folder = data_uris.local_path(record, input_uri)
    if not folder.exists():
        raise NotFound(SERVICE, messages.BATCH_INPUT_NOT_FOUND.format(uri=input_uri))
    step = _scoring_step(record, endpoint, spec, folder)
    return pipelines.submit_steps(record, experiment or endpoint, [step],
                                  tags={"azureml.batchrun": "true", "azureml.jobtype": "azureml.BatchRun",
                                        "azureml.endpoint": endpoint, "azureml.deployment": name})


def settle(record, name: str) -> dict:
    """The batch job `name` once it has ended, when the simulator runs at its default (immediate) pace.

    Azure's batch jobs take minutes and a learner waits for them before downloading the predictions (the real
    `jobs.download` refuses a job that has not ended); the simulated ones take seconds, so at the default pace an
    invocation answers when its job has ended (at most `INVOKE_WAIT_SECONDS`), as compute and deployments are
    ready when their call answers. With a realistic pace (DP100_SIM_RUN_DELAY above 0) it answers at once and
    the job is seen Running, as in Azure.
    """
    from sim import _runner
    from sim.cloud import pipelines

    try:
        realistic = float(os.environ.get(_runner.DELAY_ENV, "0") or 0) > 0
    except ValueError:
        realistic = False
    if not realistic:
        jobs.wait(record, name, on_tick=lambda: pipelines.get(record, name), timeout=INVOKE_WAIT_SECONDS)
    return pipelines.get(record, name)


def _scoring_step(record, endpoint: str, spec: dict, input_folder: Path) -> dict:
    """The batch job's one step: the parallel driver over the input folder, writing the `score` output."""
    store = datastores.default(record).name
    path = f"azureml/batch/{endpoint}/{spec['name']}/{time.time_ns()}/score"
    output = datastores.content_root(record, store) / path
    output.mkdir(parents=True, exist_ok=True)
    extra = {DRIVER: DRIVER_CODE}
    if spec["scoring_script"]:
        source, entry = codes.local_path(record, *spec["code"]), spec["scoring_script"]
    else:
        source, entry = _empty_folder(record), MLFLOW_SCORER
        extra[MLFLOW_SCORER] = MLFLOW_SCORER_CODE
    arguments = ["--entry_script", entry, "--mini_batch_size", str(spec["mini_batch_size"]),
                 "--error_threshold", str(spec["error_threshold"]), "--output_action", spec["output_action"],
                 "--append_row_file_name", spec["output_file_name"], "--process_count", str(spec["processes"]),
                 "--output", str(output), "--input_folder", str(input_folder), "--row_separator", ",",
                 "--model_dir", str(_deployment_dir(record, endpoint, spec["name"]) / "model")]
    return {"name": "batchscoring", "source_directory": str(source), "script": DRIVER, "arguments": arguments,
            "inputs": [], "environment": {}, "target": spec["compute"], "allow_reuse": False,
            "extra_files": extra, "named_outputs": {"score": {"datastore": store, "path": path}}}


def _checked(record, name: str, spec: dict) -> dict:
    """A deployment's settings from Azure's BatchDeployment properties, refusing what could not run."""
    model_id = (spec.get("model") or {}).get("assetId")
    model = _model(record, model_id) if model_id else None
    code = spec.get("codeConfiguration") or {}
    script = code.get("scoringScript")
    if not script and (model is None or model.model_type != assets.MLFLOW_MODEL):
        raise UserError(SERVICE, messages.BATCH_DEPLOYMENT_NEEDS_SCRIPT.format(name=name))
    compute = str(spec.get("compute") or "").rstrip("/").rsplit("/", 1)[-1]
    if not compute:
        raise UserError(SERVICE, messages.BATCH_DEPLOYMENT_NEEDS_COMPUTE.format(name=name))
    jobs.resolve_target(record, compute)
    action = OUTPUT_ACTIONS.get(str(spec.get("outputAction") or "AppendRow").replace("_", "").lower())
    if action is None:
        raise UserError(SERVICE, messages.PARALLEL_OUTPUT_ACTION.format(action=spec.get("outputAction")))
    count = int((spec.get("resources") or {}).get("instanceCount") or 1)
    per_instance = int(spec.get("maxConcurrencyPerInstance") or 1)
    return {"name": name, "model": model_id, "code": _code_ref(code.get("codeId")) if script else None,
            "scoring_script": script, "environment": spec.get("environmentId"), "compute": compute,
            "instance_count": count, "max_concurrency_per_instance": per_instance,
            "mini_batch_size": int(spec.get("miniBatchSize") or 10), "output_action": action,
            "output_file_name": spec.get("outputFileName") or "predictions.csv",
            "error_threshold": int(spec.get("errorThreshold", -1)), "description": spec.get("description"),
            "processes": max(1, min(MAX_PROCESSES, count * per_instance)), "properties": spec}


def _model(record, model_id: str):
    """The registered model an id names (ARM id `.../models/<name>/versions/<v>` or `azureml:<name>:<v>`)."""
    text = str(model_id)
    if "/models/" in text:
        name, version = text.rstrip("/").split("/models/", 1)[1].split("/versions/")
    else:
        name, _, version = text.removeprefix("azureml:").rpartition(":")
    found = assets.find(record, name, version) if name and str(version).isdigit() else None
    if found is None:
        raise NotFound(SERVICE, messages.DEPLOYMENT_MODEL_NOT_FOUND.format(model=model_id))
    return found


def _code_ref(code_id) -> tuple[str, str]:
    parts = str(code_id or "").rstrip("/").split("/")
    if len(parts) < 4 or parts[-2] != "versions" or parts[-4] != "codes":
        raise UserError(SERVICE, messages.JOB_CODE_INVALID.format(code=code_id))
    return parts[-3], parts[-1]


def in_deployment_model(record, path: Path) -> bool:
    """True when `path` (resolved) lies in a deployment's copy of its model (`<endpoint>/deployments/<name>/model`):
    the one part of a batch endpoint's folder that its scoring job reads (a sandboxed job sees it read-only)."""
    root = (Path(record.folder) / "batch-endpoints").resolve()
    if not path.is_relative_to(root):
        return False
    parts = path.relative_to(root).parts
    return len(parts) >= 4 and parts[1] == "deployments" and parts[3] == "model"


def _empty_folder(record) -> Path:
    folder = record.folder / "batch-endpoints" / ".no-code"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _endpoint_dir(record, name: str) -> Path:
    return record.folder / "batch-endpoints" / name


def _deployment_dir(record, endpoint: str, name: str) -> Path:
    return _endpoint_dir(record, endpoint) / "deployments" / name


def _write(path: Path, item: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(item, indent=1, default=str))
    tmp.replace(path)


def _read(path: Path) -> dict | None:
    return json.loads(path.read_text()) if path.is_file() else None
