"""Where a model version's files come from: the URIs the v2 model API accepts, resolved to local files.

- `azureml://subscriptions/<sub>/resourcegroups/<rg>/workspaces/<ws>/datastores/<ds>/paths/<path>` (what the SDK
  sends after uploading a local folder), its short form `azureml://datastores/<ds>/paths/<path>` and blob URLs:
  a file or folder of a datastore (`sim.cloud.data_uris`);
- `azureml://jobs/<job>/outputs/artifacts/paths/<path>` and `runs:/<run id>/<path>`: what a job (an MLflow run:
  the job's name is its run id) saved. `<path>` is first looked up among the run's artifacts; MLflow 3 keeps
  `mlflow.<flavor>.log_model(model, "model")` apart, as a *logged model* whose source run is the job (or, logged
  with no active run, whose source file is the job's script), so `model` is then the newest logged model of that
  name the job produced.

A job's output is reported, as in Azure, as its place in the artifact store (`workspaceartifactstore`,
`ExperimentRun/dcid.<job>/<path>`), where a logged model is copied if MLflow 3 kept it elsewhere; so
`ml_client.models.download` reads it through the blob service like any other model.

A submitted job still running when its output is asked for is waited for (a notebook may register a model
straight after submitting the job, as lab 10 does), up to `JOB_WAIT_SECONDS`.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from sim import messages
from sim.cloud import data_uris
from sim.cloud.errors import MODEL, CloudError, NotFound, UserError

JOB_WAIT_SECONDS = 300.0
_POLL_SECONDS = 0.2

_JOB_ARTIFACT_URI = re.compile(r"^azureml://jobs/(?P<job>[^/]+)/outputs/artifacts/paths/(?P<path>.*)$",
                               re.IGNORECASE)
_RUNS_URI = re.compile(r"^runs:/(?P<job>[^/]+)/(?P<path>.*)$")


@dataclass(frozen=True)
class ModelSource:
    """A model URI resolved: the local file or folder, the name it is registered under, its job, and the URI the
    service reports for it (None: the URI as given)."""

    path: Path
    root_name: str
    job_name: str | None = None
    experiment_name: str | None = None
    uri: str | None = None


def _job_path(uri: str) -> tuple[str, str] | None:
    text = (uri or "").strip()
    match = _JOB_ARTIFACT_URI.match(text) or _RUNS_URI.match(text)
    return (match["job"], match["path"].strip("/")) if match else None


def reported_uri(record, uri: str) -> str:
    """The URI the service keeps for a model registered from `uri`: a job's output is the files in the job's
    folder of the artifact store (`workspaceartifactstore`, `ExperimentRun/dcid.<job>/<path>`), as in Azure."""
    found = _job_path(uri)
    if found is None:
        return uri
    from sim.cloud.command_jobs import artifacts

    job, relative = found
    return (f"azureml://subscriptions/{record.subscription_id}/resourceGroups/{record.resource_group}/workspaces/"
            f"{record.name}/datastores/{artifacts.ARTIFACT_STORE}/paths/ExperimentRun/dcid.{job}/{relative}")


def resolve(record, uri: str) -> ModelSource:
    """The local files a model URI names (raises UserError when it names nothing the service has)."""
    found = _job_path(uri)
    if found is not None:
        return _from_job(record, *found, uri.strip())
    return _from_storage(record, (uri or "").strip())


def _from_storage(record, uri: str) -> ModelSource:
    try:
        path = data_uris.local_path(record, uri)
    except NotFound:  # a workspace, datastore or storage account that is not there: said as such
        raise
    except CloudError as exc:
        raise UserError(MODEL, messages.REST_MODEL_URI_UNSUPPORTED.format(uri=uri)) from exc
    if not path.exists():
        raise UserError(MODEL, messages.REST_MODEL_PATH_MISSING.format(uri=uri))
    return ModelSource(path=path, root_name=path.name)


def _from_job(record, job: str, relative: str, uri: str) -> ModelSource:
    """A job's output: waits while the job runs and has not produced it yet."""
    deadline = time.monotonic() + JOB_WAIT_SECONDS
    while True:
        still_running = _job_running(record, job, uri)
        found = _run_artifact(record, job, relative) or _logged_model(record, job, relative)
        if found is not None or not still_running:
            break
        if time.monotonic() >= deadline:
            raise UserError(MODEL, messages.REST_MODEL_JOB_RUNNING.format(job=job, seconds=int(JOB_WAIT_SECONDS)))
        time.sleep(_POLL_SECONDS)
    if found is None:
        _no_output(record, job, relative, uri)
    return ModelSource(path=_in_artifact_store(record, job, relative, found), root_name=relative.rsplit("/", 1)[-1],
                       job_name=job, experiment_name=_run_record(record, job, uri)["experiment"],
                       uri=reported_uri(record, uri))


def _in_artifact_store(record, job: str, relative: str, found: Path) -> Path:
    """The output's place in the job's folder of the artifact store, where Azure keeps a job's outputs (and
    MLflow 2 put a logged model): a logged model kept elsewhere by MLflow 3 is copied there first."""
    from sim.cloud.command_jobs import artifacts

    target = artifacts.run_folder(record, job) / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        if found.is_dir():
            shutil.copytree(found, target)
        else:
            shutil.copy2(found, target)
    return target


def _no_output(record, job: str, relative: str, uri: str) -> None:
    """Say why the job has no such output: it did not complete, or it never saved one."""
    from sim.cloud.runs import lifecycle, state

    status = lifecycle.status(record, job)
    if status in (state.FAILED, state.CANCELED):
        raise UserError(MODEL, messages.REST_MODEL_JOB_ENDED.format(job=job, status=status, path=relative or "/"))
    raise UserError(MODEL, messages.REST_MODEL_NOT_IN_JOB.format(job=job, path=relative or "/", uri=uri))


def _run_record(record, job: str, uri: str) -> dict:
    from sim.cloud.runs import lifecycle

    try:
        return lifecycle.record_of(record, job)
    except NotFound:
        raise UserError(MODEL, messages.REST_MODEL_JOB_NOT_FOUND.format(job=job, uri=uri)) from None


def _job_running(record, job: str, uri: str) -> bool:
    """True while a submitted job (not a notebook's interactive run, which may never end) is still going."""
    from sim.cloud.runs import lifecycle, state

    row = _run_record(record, job, uri)
    return row["run_type"] != state.INTERACTIVE and lifecycle.status(record, job) not in state.TERMINAL


def _client(record):
    from sim.cloud.runs.tracking import client

    return client(record)


def _run_artifact(record, job: str, relative: str) -> Path | None:
    from sim.cloud.runs.files import artifact_root

    if not relative:
        return None
    path = artifact_root(record, job) / relative
    return path if path.exists() else None


def _logged_model(record, job: str, name: str) -> Path | None:
    """The folder of the newest logged model called `name` that the job produced (MLflow 3).

    A model logged with the run active names the run as its source. MLflow 3 logs a model without a run when the
    script never started one (MLflow 2, which Azure's curated environments carry, started the job's run then), so
    a model of that name with no source run whose source file is in the job's working folder is the job's too.
    """
    from mlflow.utils.file_utils import local_file_uri_to_path

    client = _client(record)
    run = client.get_run(job)
    named = client.search_logged_models(experiment_ids=[run.info.experiment_id], filter_string=f"name = '{name}'")
    chosen = [m for m in named if m.source_run_id == job or (m.source_run_id is None and _ran_in_job(record, job, m))]
    if not chosen:
        return None
    newest = max(chosen, key=lambda m: m.creation_timestamp or 0)
    path = Path(local_file_uri_to_path(newest.artifact_location))
    return path if path.exists() else None


def _ran_in_job(record, job: str, logged_model) -> bool:
    from sim.cloud.runs.jobs import job_folder

    source = (logged_model.tags or {}).get("mlflow.source.name") or ""
    return bool(source) and Path(source).resolve().is_relative_to(job_folder(record, job).resolve())
