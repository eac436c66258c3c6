"""Read views and forms for the simulated Azure ML studio page.

The studio is one more client of the simulated workspace, like the real studio is a client of the
service: what a learner creates in the studio goes through the SDK v1 facade, so it is what their code and the
lab checks see (and the other way round). Views return plain rows for tables. What only SDK v2 describes (data
assets, command jobs' inputs and outputs, environment versions and images, model types and flavors, managed
online endpoints and their deployments) is read from the service itself (`sim.cloud`, through `sim.studio_v2`),
never through `azure-ai-ml`, which the app's process must not import.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sim import studio_rai, studio_v2
from sim.azureml.core import ComputeTarget, Dataset, Experiment, Run, Workspace
from sim.azureml.core.compute import AmlCompute, ComputeInstance
from sim.azureml.core.webservice import Webservice
from sim.cloud import data_assets
from sim.cloud import workspaces as cloud_workspaces
from sim.cloud.regions import sizes_in_region
from sim.cloud.runs import lifecycle, listing, state
from sim.cloud.runs.state import TERMINAL

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg")
IMAGE_METRIC = "aml://artifactId/"  # how `log_image` records an image among the metrics


def workspace_rows() -> list[dict]:
    """Every simulated workspace, for the workspace picker (with its creation time, ISO 8601)."""
    return [{"name": r.name, "resource_group": r.resource_group, "subscription_id": r.subscription_id,
             "location": r.location, "sku": r.sku, "created": r.creation_time}
            for r in cloud_workspaces.list_workspaces()]


def newest(rows: list[dict]) -> int:
    """The index of the most recently created workspace: the one the learner is most likely working in."""
    return max(range(len(rows)), key=lambda i: rows[i]["created"])


def open_workspace(row: dict) -> Workspace:
    """The facade Workspace for a picker row."""
    return Workspace.get(row["name"], subscription_id=row["subscription_id"], resource_group=row["resource_group"])


# -- compute ------------------------------------------------------------------------------------------
def compute_rows(ws: Workspace) -> list[dict]:
    """Compute targets with their type, size, state and node counts.

    An instance's state is its machine's (Creating, Running, Stopped...), as the studio lists it; a cluster's
    is its provisioning state, its nodes come apart in the node columns.
    """
    rows = []
    for name, target in ws.compute_targets.items():
        status = target.get_status()
        status = status.serialize() if hasattr(status, "serialize") else dict(status or {})
        scale = status.get("scaleSettings") or {}
        rows.append({"name": name, "type": target.type, "vm_size": status.get("vmSize", ""),
                     "state": status.get("state") or target.provisioning_state,
                     "nodes": status.get("currentNodeCount", ""),
                     "max_nodes": scale.get("maxNodeCount", ""), "priority": status.get("vmPriority", "")})
    return rows


def vm_sizes(ws: Workspace) -> list[tuple[str, str]]:
    """(size name, description) of the VM sizes offered in the workspace's region."""
    out = []
    for size in sizes_in_region(ws.location):
        gpu = f", {size.gpus} GPU" if size.gpus else ""
        out.append((size.name, f"{size.name} ({size.cores} cores, {size.memory_gb:g} GB{gpu})"))
    return out


def create_cluster(ws: Workspace, name: str, vm_size: str, min_nodes: int, max_nodes: int,
                   idle_seconds_before_scaledown: int, vm_priority: str) -> ComputeTarget:
    """Create a compute cluster the way the SDK does (quota and region rules apply)."""
    config = AmlCompute.provisioning_configuration(
        vm_size=vm_size, vm_priority=vm_priority, min_nodes=min_nodes, max_nodes=max_nodes,
        idle_seconds_before_scaledown=idle_seconds_before_scaledown)
    return ComputeTarget.create(ws, name, config)


def create_instance(ws: Workspace, name: str, vm_size: str) -> ComputeTarget:
    """Create a compute instance."""
    return ComputeTarget.create(ws, name, ComputeInstance.provisioning_configuration(vm_size=vm_size))


def delete_compute(ws: Workspace, name: str) -> None:
    """Delete a compute target."""
    ComputeTarget(workspace=ws, name=name).delete()


INSTANCE_ACTIONS = ("start", "stop", "restart")


def instance_action(ws: Workspace, name: str, action: str) -> str:
    """Start, stop or restart a compute instance as the studio's buttons do (no waiting); its new state.

    Raises:
        ValueError: `action` is not one of INSTANCE_ACTIONS.
        ComputeTargetException: the instance cannot do it now (the SDK's own error, e.g. stopping a stopped one).
    """
    if action not in INSTANCE_ACTIONS:
        raise ValueError(f"Unknown compute instance action {action!r}; use one of {', '.join(INSTANCE_ACTIONS)}.")
    instance = ComputeInstance(workspace=ws, name=name)
    getattr(instance, action)(wait_for_completion=False)
    return instance.get_status().state


# -- data ---------------------------------------------------------------------------------------------
def datastore_rows(ws: Workspace) -> list[dict]:
    default = ws.get_default_datastore().name
    return [{"name": name, "type": store.datastore_type, "default": name == default}
            for name, store in ws.datastores.items()]


def dataset_rows(ws: Workspace) -> list[dict]:
    """SDK v1 datasets, then SDK v2 data assets (uri_file, uri_folder, mltable): Azure's Data page lists both."""
    rows = []
    for name, ds in ws.datasets.items():
        rows.append({"name": name, "type": type(ds).__name__, "version": ds.version,
                     "description": ds.description or "", "tags": json.dumps(ds.tags or {})})
    v1_names = {r["name"] for r in rows}
    for asset in data_assets.list_latest(ws._record):
        if asset.name in v1_names:  # SDK v1 reads the dataset of that name, never the asset: one row
            continue
        rows.append({"name": asset.name, "type": asset.data_type, "version": _version_value(asset.version),
                     "description": asset.description or "", "tags": json.dumps(asset.tags)})
    return rows


def _version_value(version: str):
    """A v2 version as the version column shows v1's: a number when it is one."""
    return int(version) if version.isdigit() else version


def dataset_preview(ws: Workspace, name: str, version="latest", rows: int = 20):
    """The first rows of a tabular dataset (a DataFrame), or the first file paths of a file dataset."""
    ds = Dataset.get_by_name(ws, name, version=version)
    if hasattr(ds, "to_pandas_dataframe"):
        return ds.take(rows).to_pandas_dataframe()
    return ds.to_path()[:rows]


def dataset_versions(ws: Workspace, name: str) -> list:
    latest = Dataset.get_by_name(ws, name).version
    if latest is None:  # an SDK v2 data asset (SDK v1 reads it unregistered): its own versions, newest first
        return [_version_value(a.version) for a in data_assets.versions(ws._record, name)]
    return list(range(latest, 0, -1))


def environment_rows(ws: Workspace) -> list[dict]:
    """Custom environments (SDK v1 or v2), then curated ones, each at its latest version with its image."""
    return studio_v2.environment_rows(ws._record)


def environment_versions(ws: Workspace, name: str) -> list[str]:
    """An environment's versions, newest first."""
    return studio_v2.environment_versions(ws._record, name)


def environment_detail(ws: Workspace, name: str, version: str) -> dict:
    """One environment version: image, conda file, description, tags and creation date."""
    return studio_v2.environment_detail(ws._record, name, version)


# -- experiments and runs -----------------------------------------------------------------------------
RUN_PAGE_SIZE = 50  # runs per page of the run list, as the studio pages long lists


def experiment_rows(ws: Workspace) -> list[dict]:
    """The workspace's experiments with their number of (top-level) runs, counted in one query."""
    found = ws.experiments
    counts = lifecycle.run_counts(ws._record, {name: exp.id for name, exp in found.items()})
    return [{"name": name, "runs": counts[name]} for name in found]


def run_rows(ws: Workspace, experiment: str) -> list[dict]:
    """The experiment's runs, newest first, with their display name, type (command for an SDK v2 command job),
    start time and duration as the studio lists them (every run; `run_page` reads one page)."""
    pages = lifecycle.run_pages(ws._record, experiment, size=1000)
    return [row for rows in pages for row in _listed(ws, rows)]


def run_page(ws: Workspace, experiment: str, page: int = 1, size: int = RUN_PAGE_SIZE,
             holding: str | None = None) -> dict:
    """One page of the experiment's run list, newest first, as `run_rows` shapes them.

    Args:
        holding: a run id: when it is one of the experiment's (top-level) runs, the page that lists it, whatever
            `page` says (the run a studio link or the run picker opened stays in view).

    Returns:
        {"rows": the page's rows, "page": its number (a page past the end is the last one), "pages": how many
        pages there are (at least 1), "total": how many runs}.
    """
    record = ws._record
    lifecycle.ready_to_list(record, experiment)
    total = listing.count(record, experiment=experiment, include_children=False)
    last = max(1, -(-total // size))
    found = _page_holding(record, experiment, holding, size) if holding else None
    page = found or min(max(1, int(page)), last)
    rows = listing.page(record, offset=(page - 1) * size, limit=size, experiment=experiment, include_children=False)
    return {"rows": _listed(ws, rows), "page": page, "pages": last, "total": total}


def _page_holding(record, experiment: str, run_id: str, size: int) -> int | None:
    """The page of the experiment's run list that lists `run_id` (None: not one of its top-level runs)."""
    row = state.get(record, run_id)
    if row is None or row["experiment"] != experiment or row["parent_run_id"]:
        return None
    return listing.newer_than(record, row, experiment=experiment, include_children=False) // size + 1


def _listed(ws: Workspace, rows: list[dict]) -> list[dict]:
    """Run records as the run list shows them (MLflow's names and statuses read once for all of them)."""
    out = []
    for row in lifecycle.with_current_status(ws._record, rows):
        started = _utc(lifecycle.iso(row["started"] or row["created"]))
        ended = _utc(lifecycle.iso(row["ended"])) if row["status"] in TERMINAL else None
        out.append({"number": row["number"], "id": row["run_id"], "display_name": row["display_name"] or "",
                    "type": studio_v2.run_type(row["run_type"], row["definition"]), "status": row["status"],
                    "target": row["target"], "started": started.strftime("%Y-%m-%d %H:%M:%S") if started else "",
                    "duration": _duration(started, ended or datetime.now(UTC)) if started else ""})
    return out


def _utc(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _duration(started: datetime, ended: datetime) -> str:
    """'4s', '2m 05s' or '1h 02m' (a running run counts up to now)."""
    seconds = max(0, round((ended - started).total_seconds()))
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"


def run_view(ws: Workspace, experiment: str, run_id: str) -> dict:
    """Everything the run page shows: details, metrics split by shape, images, files and logs, and for an
    SDK v2 command job its overview (`job`: command, environment, compute, inputs, outputs, parameters)."""
    run = Run(Experiment(ws, experiment), run_id)
    metrics = run.get_metrics()
    # An image logged with log_image is a metric pointing at a run file: the studio shows it as an image
    # under the metric's name, not as a value in the metrics table.
    image_names = {v.rsplit("/", 1)[-1]: k for k, v in metrics.items()
                   if isinstance(v, str) and v.startswith(IMAGE_METRIC)}
    scalars = {k: v for k, v in metrics.items()
               if not isinstance(v, (list, dict)) and k not in image_names.values()}
    series = {k: v for k, v in metrics.items() if isinstance(v, list)}
    tables = {k: v for k, v in metrics.items() if isinstance(v, dict)}
    files = run.get_file_names()
    details = run.get_details_with_logs()
    job = studio_v2.job_view(ws._record, run_id)
    logs = {**(job["logs"] if job else {}), **details.get("logFiles", {})}
    return {"status": run.get_status(), "details": {k: v for k, v in details.items() if k != "logFiles"},
            "tags": run.get_tags(), "properties": dict(run.properties), "scalars": scalars, "series": series,
            "tables": tables, "files": files, "images": _images(run, files, image_names),
            "logs": logs, "children": _child_rows(run), "job": job,
            "pipeline": studio_v2.pipeline_view(ws._record, run_id),
            "explanations": studio_rai.explanations(ws._record, run_id),
            "fairness": studio_rai.fairness(ws._record, run_id),
            "rai_insights": studio_rai.rai_insights(ws._record, run_id)}


def _child_rows(run: Run) -> list[dict]:
    """One row per child run (a sweep's trials, a run's folds): id, status, arguments (an SDK v1 script's) or
    hyperparameters (a sweep's trial, v1 or v2) and scalar metrics."""
    rows = []
    for child in run.get_children():
        arguments = child.get_details().get("runDefinition", {}).get("arguments") or []
        scalars = {k: v for k, v in child.get_metrics().items() if isinstance(v, (int, float, str, bool))}
        hyperparameters = {"hyperparameters": child.get_tags()["hyperparameters"]} \
            if "hyperparameters" in child.get_tags() else {}
        rows.append({"id": child.id, "status": child.get_status(), "arguments": " ".join(map(str, arguments)),
                     **hyperparameters, **scalars})
    return rows


def _images(run: Run, files: list[str], image_names: dict[str, str]) -> dict[str, bytes]:
    """Image files of a run by caption: the metric name for a logged image, else the file's path."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in files:
            if name.lower().endswith(IMAGE_SUFFIXES):
                target = Path(tmp) / Path(name).name
                run.download_file(name, output_file_path=str(target))
                out[image_names.get(Path(name).name, name)] = target.read_bytes()
    return out


# -- models and endpoints -----------------------------------------------------------------------------
def model_rows(ws: Workspace) -> list[dict]:
    """Model versions (SDK v1, v2 or MLflow: one registry) with their type, job, flavors and framework."""
    return studio_v2.model_rows(ws._record)


SERVICE = "service"  # a v1 web service (ACI, AKS, local) in the endpoint list; managed ones are studio_v2.ONLINE


def endpoint_rows(ws: Workspace) -> list[dict]:
    """Managed online endpoints (SDK v2), then SDK v1 web services, as the studio's real-time endpoint list shows
    both; `kind` tells the page which of the two a row is."""
    services = [{"name": name, "kind": SERVICE, "type": svc.compute_type, "state": svc.state,
                 "scoring_uri": svc.scoring_uri or "", "auth": _service_auth(svc), "traffic": ""}
                for name, svc in ws.webservices.items()]
    return [*studio_v2.online_endpoint_rows(ws._record), *services]


def _service_auth(service) -> str:
    if getattr(service, "token_auth_enabled", False):
        return "Token"
    return "Key" if getattr(service, "auth_enabled", False) else "None"


def deployment_rows(ws: Workspace, endpoint: str) -> list[dict]:
    """A managed online endpoint's deployments with their state, traffic share, model and instances."""
    return studio_v2.deployment_rows(ws._record, endpoint)


def deployment_logs(ws: Workspace, endpoint: str, deployment: str) -> str:
    """The tail of a deployment's inference server log."""
    return studio_v2.deployment_logs(ws._record, endpoint, deployment)


def score_online(ws: Workspace, endpoint: str, body: str, deployment: str | None = None) -> tuple[str, str]:
    """Send a JSON body to a managed online endpoint: (the deployment that answered, its answer as text)."""
    return studio_v2.score_online(ws._record, endpoint, body, deployment)


def endpoint_logs(ws: Workspace, name: str) -> str:
    return Webservice(ws, name).get_logs()


def score(ws: Workspace, name: str, body: str) -> str:
    """Send a JSON body to a service's `run()` and return its answer as text.

    Raises:
        ValueError: the body is not valid JSON (it is never sent then).
    """
    studio_v2.check_json(body)
    answer = Webservice(ws, name).run(body)
    return answer if isinstance(answer, str) else json.dumps(answer)
