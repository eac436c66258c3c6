"""The studio's views of what SDK v2 works with, read from the service (`sim.cloud`), never through an SDK.

SDK v1 has no words for a command job's inputs and outputs, an environment's image and version history, a model
version's type and flavors, or a managed online endpoint's deployments and traffic, so the studio reads them where
the service keeps them, as Azure's studio reads the same REST resources `azure-ai-ml` writes. What a learner made
with either SDK shows on one page. The app's process must never import `azure.ai.ml` (seconds of first paint).

Every function takes the workspace's service record (`Workspace._record`) and returns plain rows or dicts.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import yaml

from sim import messages
from sim.cloud import command_jobs, data_uris, endpoints, pipelines
from sim.cloud.endpoints import scoring
from sim.cloud.environments import assets as environment_assets
from sim.cloud.errors import CloudError
from sim.cloud.models import assets as model_assets
from sim.cloud.runs import files, lifecycle, state, tracking

COMMAND = "command"
ONLINE = "online"
MANAGED = "Managed"
# How the studio names the kind of a v1 run (its run type); a v2 command job is a `command` job.
RUN_TYPES = {state.SCRIPT: "script", state.INTERACTIVE: "interactive", "hyperdrive": "sweep",
             pipelines.RUN_TYPE: "pipeline"}
MAX_FILES_SHOWN = 10
_ASSET_ID = re.compile(r"/(?:data|models)/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/?$", re.IGNORECASE)


class ScoringError(Exception):
    """The endpoint answered, but not with 200 (the model's error, or the endpoint's)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_json(body: str) -> None:
    """Refuse a request body that is not JSON, before anything is sent.

    Raises:
        ValueError: the body is not valid JSON.
    """
    try:
        json.loads(body)
    except json.JSONDecodeError as exc:
        reason = f"{exc.msg} at line {exc.lineno}"
        raise ValueError(messages.STUDIO_REQUEST_NOT_JSON.format(reason=reason)) from exc


# -- jobs -----------------------------------------------------------------------------------------------
def run_type(kind: str, definition: dict | None) -> str:
    """The type the job list shows: `command` for an SDK v2 command job, else the v1 run's kind."""
    if (definition or {}).get("jobType") == command_jobs.JOB_TYPE:
        return COMMAND
    return RUN_TYPES.get(kind, kind)


def job_view(record, run_id: str) -> dict | None:
    """A command job's overview (None for a v1 run): type, command, environment, compute, inputs, outputs,
    MLflow parameters and its log `user_logs/std_log.txt`."""
    row = state.get(record, run_id)
    if not command_jobs.is_command_job(row):
        return None
    definition = row["definition"]
    return {"type": COMMAND, "display_name": definition.get("displayName") or run_id,
            "experiment": row["experiment"], "compute": row["target"],
            "environment": _environment(record, definition.get("environmentId")),
            "command": definition.get("command") or "", "inputs": _input_rows(definition.get("inputs")),
            "outputs": _output_rows(record, run_id), "params": _params(record, run_id),
            "environment_variables": dict(definition.get("environmentVariables") or {}),
            "logs": {command_jobs.LOG_FILE: files.read_text(record, run_id, command_jobs.LOG_FILE)}}


def pipeline_view(record, run_id: str) -> dict | None:
    """A pipeline job's graph as the studio lists it (None for any other run): each node in order with its
    child job, status, compute and whether it was reused (and from which job), and the pipeline's outputs."""
    row = state.get(record, run_id)
    if not pipelines.is_pipeline_job(row):
        return None
    plan = pipelines.get(record, run_id)["definition"]["plan"]
    return {"type": "pipeline", "display_name": row["definition"].get("displayName") or run_id,
            "experiment": row["experiment"], "nodes": [_node_row(record, node, plan["nodes"][node])
                                                       for node in plan["order"]],
            "outputs": [{"name": name, "uri": readable_uri(uri)}
                        for name, uri in pipelines.output_uris(record, run_id).items()]}


def _node_row(record, node: str, spec: dict) -> dict:
    child = state.get(record, spec["run_id"])
    properties = (child or {}).get("properties") or {}
    return {"node": node, "display_name": spec["display_name"], "job": spec["run_id"] if child else "",
            "status": lifecycle.status(record, spec["run_id"]) if child else state.NOT_STARTED,
            "compute": spec["compute"], "reused_from": properties.get("azureml.reusedrunid", "")}


def _environment(record, reference: str | None) -> str:
    """`name:version` of the environment a job names (a label such as @latest read as it resolves now)."""
    if not reference:
        return ""
    try:
        found = environment_assets.resolve(record, reference)
    except CloudError:  # deleted or never valid: show what the job asked for
        return str(reference)
    return f"{found['name']}:{found['version']}"


def readable_uri(uri: str | None) -> str:
    """A data or model URI as the studio shows it: an asset's ARM id as `azureml:<name>:<version>`."""
    match = _ASSET_ID.search(str(uri or ""))
    if match and str(uri).startswith("/subscriptions/"):
        return f"azureml:{match['name']}:{match['version']}"
    return str(uri or "")


def _input_rows(inputs: dict | None) -> list[dict]:
    rows = []
    for name, spec in (inputs or {}).items():
        kind = str((spec or {}).get("jobInputType") or "")
        value = (spec or {}).get("value") if kind.lower() == "literal" else readable_uri((spec or {}).get("uri"))
        rows.append({"name": name, "type": kind, "value": "" if value is None else str(value)})
    return rows


def _output_rows(record, run_id: str) -> list[dict]:
    """Each named output with where it landed (its datastore URI) and the files it holds now."""
    definition = state.get(record, run_id)["definition"]
    kinds = {name: (spec or {}).get("jobOutputType") or "uri_folder"
             for name, spec in (definition.get("outputs") or {}).items()}
    return [{"name": name, "type": kinds[name], "uri": uri, "files": _files_at(record, uri)}
            for name, uri in command_jobs.output_uris(record, run_id).items()]


def _files_at(record, uri: str) -> str:
    try:
        path = data_uris.local_path(record, uri)
    except CloudError:
        return ""
    if path.is_file():
        return path.name
    found = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
    shown = ", ".join(found[:MAX_FILES_SHOWN])
    return shown + (f" (+{len(found) - MAX_FILES_SHOWN})" if len(found) > MAX_FILES_SHOWN else "")


def _params(record, run_id: str) -> dict:
    """The job's MLflow parameters (what its script logged with mlflow.log_param or autolog)."""
    run = tracking.get_run(record, run_id)
    return dict(run.data.params) if run is not None else {}


# -- environments ---------------------------------------------------------------------------------------
def _image(definition: dict) -> str:
    return definition.get("image") or (definition.get("docker") or {}).get("baseImage") or ""


def environment_rows(record) -> list[dict]:
    """Every active environment at its latest version with its image, custom ones first, then curated ones.

    Anonymous environments (an inline `Environment(image=...)` of a job) are left out, as the studio's list does.
    """
    rows = []
    for found in environment_assets.list_containers(record):
        latest = environment_assets.get_version(record, found["name"], found["latestVersion"])
        if latest["definition"].get("isAnonymous"):
            continue
        rows.append({"name": found["name"], "version": found["latestVersion"], "curated": found["curated"],
                     "image": _image(latest["definition"]), "description": found["description"] or ""})
    return sorted(rows, key=lambda r: (r["curated"], r["name"].lower()))


def environment_versions(record, name: str) -> list[str]:
    """The active versions of an environment, newest first."""
    return [r["version"] for r in reversed(environment_assets.list_versions(record, name))]


def environment_detail(record, name: str, version: str) -> dict:
    """One environment version: image, conda file (YAML text, '' for an image alone), description, tags, date."""
    found = environment_assets.get_version(record, name, version)
    definition = found["definition"]
    conda = (definition.get("python") or {}).get("condaDependencies")
    return {"name": name, "version": found["version"], "curated": found["curated"], "image": _image(definition),
            "conda_file": yaml.safe_dump(conda, sort_keys=False) if conda else "",
            "description": definition.get("description") or "", "tags": dict(definition.get("tags") or {}),
            "created": datetime.fromtimestamp(found["created"], UTC).strftime("%Y-%m-%d %H:%M")}


# -- models ---------------------------------------------------------------------------------------------
def model_rows(record) -> list[dict]:
    """Every active model version (newest first per name) with its type, the job it came from and its flavors.

    One registry: versions registered through SDK v1, SDK v2 or MLflow all show, v2's description included.
    """
    rows = []
    for model in sorted(model_assets.list_containers(record), key=lambda c: c.name.lower()):
        for asset in model_assets.list_versions(record, model.name):
            v = asset.version
            rows.append({"name": v.name, "version": v.version, "type": asset.model_type,
                         "job": asset.job_name or v.run_id or "", "flavors": ", ".join(sorted(asset.flavors)),
                         "framework": v.framework or "", "tags": json.dumps(v.tags or {}),
                         "properties": json.dumps(v.properties or {}), "description": v.description or ""})
    return rows


# -- managed online endpoints ---------------------------------------------------------------------------
def traffic_text(traffic: dict) -> str:
    """A traffic split as read at a glance: 'blue 90%, green 10%' (largest share first)."""
    return ", ".join(f"{name} {pct}%" for name, pct in sorted(traffic.items(), key=lambda kv: (-kv[1], kv[0])))


def online_endpoint_rows(record) -> list[dict]:
    """Managed online endpoints with their state, scoring URI, authentication mode and traffic split."""
    return [{"name": e.name, "kind": ONLINE, "type": MANAGED, "state": e.state, "scoring_uri": e.scoring_uri,
             "auth": e.auth_mode, "traffic": traffic_text(e.traffic)} for e in endpoints.list_endpoints(record)]


def deployment_rows(record, endpoint: str) -> list[dict]:
    """The endpoint's deployments (each read again from its scoring server) with their share of the traffic."""
    traffic = endpoints.get(record, endpoint).traffic
    return [{"name": d.name, "state": d.state, "traffic": traffic.get(d.name, 0), "model": d.model_id or "",
             "instance_type": d.instance_type, "instance_count": d.instance_count,
             "error": (d.error or {}).get("message", "")} for d in endpoints.list_deployments(record, endpoint)]


def deployment_logs(record, endpoint: str, deployment: str) -> str:
    """The tail of a deployment's inference server log."""
    return endpoints.deployment_logs(record, endpoint, deployment)


def score_online(record, endpoint: str, body: str, deployment: str | None = None) -> tuple[str, str]:
    """Send a JSON body to an endpoint, as the studio's Test tab does: (the deployment that answered, its answer).

    With `deployment` the request goes to that deployment; without, the traffic split picks one.

    Raises:
        ValueError: the body is not valid JSON (never sent). CloudError: no deployment can take it (no traffic,
        not ready, unknown name). ScoringError: the deployment answered with an error status.
    """
    check_json(body)
    chosen = scoring.choose(record, endpoints.get(record, endpoint), deployment or None)
    status, _headers, data = scoring.forward(chosen, body.encode(), "application/json")
    text = data.decode(errors="replace")
    if status != 200:
        raise ScoringError(messages.STUDIO_SCORING_FAILED.format(status=status, deployment=chosen.name, body=text))
    return chosen.name, text
