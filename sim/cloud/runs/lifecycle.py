"""Run lifecycle in the simulated service: create, read status and details, finish, list, tag."""

from __future__ import annotations

import re
import secrets
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from sim.cloud import experiments
from sim.cloud.errors import RUN, Conflict, NotFound, UserError
from sim.cloud.runs import errors, files, listing, owners, state, tracking

SUBMIT_ACTION = "Microsoft.MachineLearningServices/workspaces/experiments/runs/submit/action"
WRITE_ACTION = "Microsoft.MachineLearningServices/workspaces/experiments/runs/write"
HIDDEN_TAG_PREFIXES = listing.HIDDEN_TAG_PREFIXES  # MLflow's bookkeeping tags, left out of a run's tags
_RUN_ID = re.compile(r"[A-Za-z0-9][\w-]{0,249}")  # what MLflow accepts as a run id, within Azure's 250 chars


def authorize(record, action: str) -> None:
    """Check the simulated caller's role allows `action` (raises the SDK's authorization error)."""
    from sim.cloud import access

    access.authorize(record, action)


def start(record, experiment_name: str, run_type: str = state.INTERACTIVE, status: str = state.RUNNING, *,
          parent_run_id=None, target="local", definition=None, tags=None, display_name=None, run_id=None,
          owned: bool = True) -> dict:
    """Create a run (MLflow run + service record) and return its record.

    Args:
        run_id: the id to give the run; by default a new one in the service's format for `run_type`.
        owned: fail the run if this process dies before a job process takes it on (see `owners`); False for a
            run whose status is derived from its children's (a pipeline), which any reader moves on.

    Raises:
        UserError, Conflict: when `run_id` is malformed or already taken.
    """
    authorize(record, SUBMIT_ACTION)
    run_id = _checked_new_id(record, run_id) if run_id else new_run_id(experiment_name, run_type)
    if owned:  # first: a run this process dies while creating is not left Running
        owners.remember(record, [run_id])
    info = experiments.get_or_create(record, experiment_name)
    mlflow_tags = {str(k): str(v) for k, v in (tags or {}).items()}
    if parent_run_id:
        mlflow_tags["mlflow.parentRunId"] = parent_run_id
    tracking.create_run(record, info.id, run_id, tags=mlflow_tags, run_name=display_name)
    if status != state.RUNNING:
        tracking.mirror_status(record, run_id, state.TO_MLFLOW[status])
    try:
        return state.insert(record, run_id, experiment_name, run_type, status, parent_run_id=parent_run_id,
                            target=target, definition=definition)
    except IntegrityError:  # a concurrent listing adopted the new MLflow run first (see overwrite_adopted)
        return state.overwrite_adopted(record, run_id, run_type, status, parent_run_id=parent_run_id,
                                       target=target, definition=definition)


def new_run_id(experiment_name: str, run_type: str) -> str:
    """A fresh run id as the service makes them.

    A submitted script run is named after its experiment and submit time (`train_1700000000_1a2b3c4d`);
    an interactive run from `start_logging` or `child_run` gets a GUID.
    """
    if run_type == state.SCRIPT:
        return f"{experiment_name}_{int(time.time())}_{secrets.token_hex(4)}"
    return str(uuid.uuid4())


def _checked_new_id(record, run_id) -> str:
    run_id = str(run_id)
    if not _RUN_ID.fullmatch(run_id):
        raise UserError(RUN, errors.RUN_ID_INVALID.format(run_id=run_id))
    if state.get(record, run_id) is not None or tracking.get_run(record, run_id) is not None:
        raise Conflict(RUN, errors.RUN_ID_TAKEN.format(run_id=run_id))
    return run_id


def record_of(record, run_id: str) -> dict:
    """The service record of a run, adopting a run that only MLflow knows.

    Raises:
        NotFound: when neither the service nor MLflow has the run.
    """
    row = state.get(record, run_id)
    if row is not None:
        return row
    run = tracking.get_run(record, run_id)
    if run is None:
        raise NotFound(RUN, errors.RUN_NOT_FOUND.format(run_id=run_id, experiment="this workspace"))
    return _adopt(record, run)


def sweep_settings(record, run_id: str) -> dict:
    """What a HyperDrive parent run was configured with (sampling, policy, metric, goal, limits, space)."""
    row = record_of(record, run_id)
    return dict((row["definition"] or {}).get("hyperdrive") or {})


def _adopt(record, run) -> dict:
    exp = experiments.get_by_id(record, run.info.experiment_id)
    ended = run.info.end_time / 1000 if run.info.end_time else None
    try:
        return state.insert(record, run.info.run_id, exp.name, state.INTERACTIVE,
                            state.FROM_MLFLOW.get(run.info.status, state.RUNNING),
                            parent_run_id=run.data.tags.get("mlflow.parentRunId"),
                            created=run.info.start_time / 1000, ended=ended)
    except IntegrityError:  # its creator (or another listing) wrote the record meanwhile: that one stands
        return state.get(record, run.info.run_id)


def status(record, run_id: str) -> str:
    """The run's Azure ML status (a run whose job process died is marked Failed first)."""
    return status_of(record, record_of(record, run_id))


def status_of(record, row: dict, mlflow_status: str | None = None) -> str:
    """The current status of the run whose service record is `row`.

    Args:
        mlflow_status: the run's status in MLflow when the caller has already read it (a listing reads a
            page's at once); otherwise it is read here when needed (an interactive run that is not finished).
    """
    if row["status"] not in state.TERMINAL and row["pid"] and not state.process_alive(row["pid"]):
        state.mark_lost(record, row["run_id"])
        tracking.mirror_status(record, row["run_id"], "FAILED")
        row = state.get(record, row["run_id"])
    if row["run_type"] == state.INTERACTIVE and row["status"] not in state.TERMINAL:
        row = dict(row, status=_follow_mlflow(record, row, mlflow_status))
    if owners.orphaned(record, row):
        _fail_orphan(record, row)
        row = state.get(record, row["run_id"])
    return row["status"]


def _fail_orphan(record, row: dict) -> None:
    """Fail a run whose creating process died (see `owners`); what it logged before dying is kept."""
    if owners.fail_orphan(record, row):
        tracking.mirror_status(record, row["run_id"], "FAILED")
        from sim.cloud.runs import metrics

        metrics.settle(record, row["run_id"])


def _follow_mlflow(record, row, mlflow_status: str | None) -> str:
    # A run the learner ended with mlflow.end_run() is finished in MLflow; follow it.
    if mlflow_status is None:
        run = tracking.get_run(record, row["run_id"])
        mlflow_status = run.info.status if run is not None else None
    followed = state.FROM_MLFLOW.get(mlflow_status, row["status"])
    if followed in state.TERMINAL:
        state.set_status(record, row["run_id"], followed)
        return followed
    return row["status"]


def finish(record, run_id: str, new_status: str, error=None) -> bool:
    """Move a run to a terminal state (Completed/Failed/Canceled) in the service and in MLflow.

    Returns:
        True when the run was still active (False: it had already finished, nothing changed).
    """
    changed = state.set_status(record, run_id, new_status, error=error)
    if changed:
        tracking.mirror_status(record, run_id, state.TO_MLFLOW[new_status])
    return changed


def move(record, run_id: str, new_status: str) -> None:
    """Move an active run to a non-terminal state (Queued, Preparing, Running ...)."""
    if state.set_status(record, run_id, new_status):
        tracking.mirror_status(record, run_id, state.TO_MLFLOW[new_status])


def adopt_new(record, experiment_ids: list[str] | None = None) -> None:
    """Give a service record to every MLflow run (of these experiments, or of all) that has none yet."""
    for run_id in listing.unadopted(record, experiment_ids):
        run = tracking.get_run(record, run_id)
        if run is not None:
            _adopt(record, run)


def ready_to_list(record, experiment_name: str) -> None:
    """Check that the experiment exists (and is active) and adopt its MLflow-only runs, before a listing.

    Raises:
        NotFound, UserError: no such experiment, or it is archived.
    """
    adopt_new(record, [experiments.get_or_create(record, experiment_name, create=False).id])


def run_pages(record, experiment_name: str, include_children=False, parent_run_id=None, run_type=None,
              size: int = listing.PAGE):
    """The experiment's run records (or a run's children), newest first, as a generator of pages.

    The experiment is checked and MLflow-only runs are adopted now (errors are raised by this call); each page
    is read when the one before it has been used, as the SDK's generator reads the run history page by page.
    """
    ready_to_list(record, experiment_name)
    return listing.stream(record, size, experiment=experiment_name, parent_run_id=parent_run_id,
                          include_children=include_children, run_type=run_type)


def run_page(record, experiment_name: str, include_children=False, parent_run_id=None, run_type=None,
             size: int = listing.PAGE, after=None) -> list[dict]:
    """One page of `run_pages` (for a caller in another process, which cannot hold this one's generator): the
    first page (`after` None) checks the experiment and adopts MLflow-only runs; `after` is the last row's
    `listing.key` of the page before."""
    if after is None:
        ready_to_list(record, experiment_name)
    return listing.page(record, limit=size, after=after, experiment=experiment_name, parent_run_id=parent_run_id,
                        include_children=include_children, run_type=run_type)


def list_runs(record, experiment_name: str, include_children=False, parent_run_id=None) -> list[dict]:
    """Records of an experiment's runs (or a run's children), newest first, adopting MLflow-only runs."""
    pages = run_pages(record, experiment_name, include_children, parent_run_id, size=1000)
    return [row for rows in pages for row in rows]


def run_counts(record, experiment_ids: dict[str, str]) -> dict[str, int]:
    """{experiment name: number of top-level runs} for {name: id} of experiments, MLflow-only runs adopted first."""
    adopt_new(record, list(experiment_ids.values()))
    counts = listing.counts_by_experiment(record)
    return {name: counts.get(name, 0) for name in experiment_ids}


def with_current_status(record, rows: list[dict]) -> list[dict]:
    """The rows with `status` brought up to date and MLflow's `display_name`, reading MLflow once for the page."""
    found = listing.mlflow_runs(record, [r["run_id"] for r in rows])
    out = []
    for row in rows:
        mlflow_run = found.get(row["run_id"]) or {}
        current = status_of(record, row, mlflow_run.get("status"))
        if current != row["status"]:  # it has just finished: its record now has an end time
            row = state.get(record, row["run_id"])
        out.append(dict(row, status=current, display_name=mlflow_run.get("name")))
    return out


def tags(record, run_id: str) -> dict:
    """The run's own tags (MLflow's bookkeeping tags left out)."""
    run = tracking.client(record).get_run(run_id)
    return {k: v for k, v in run.data.tags.items() if not k.startswith(HIDDEN_TAG_PREFIXES)}


def set_tags(record, run_id: str, values: dict) -> None:
    """Set tags on a run (values are stored as strings, None as '')."""
    authorize(record, WRITE_ACTION)
    mlc = tracking.client(record)
    for key, value in values.items():
        mlc.set_tag(run_id, str(key), "" if value is None else str(value))


def remove_tags(record, run_id: str, keys) -> None:
    """Delete tags from a run (absent keys are ignored)."""
    present = tags(record, run_id)
    mlc = tracking.client(record)
    for key in keys:
        if key in present:
            mlc.delete_tag(run_id, key)


def iso(timestamp) -> str | None:
    """ISO 8601 UTC text of a POSIX time, as the service writes times."""
    if not timestamp:
        return None
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def details(record, run_id: str, with_log_text: bool = False) -> dict:
    """The run's details in the shape of the SDK's `get_details()`."""
    current = status(record, run_id)
    row = state.get(record, run_id)
    definition = dict(row["definition"] or {})
    out = {
        "runId": run_id,
        "target": row["target"],
        "status": current,
        "startTimeUtc": iso(row["started"] or row["created"]),
        "services": {},
        "properties": dict(row["properties"] or {}),
        "inputDatasets": definition.pop("inputDatasets", []),
        "outputDatasets": [],
        "runDefinition": definition,
        "logFiles": {},
        "submittedBy": "Simulated learner",
    }
    if current in state.TERMINAL:
        out["endTimeUtc"] = iso(row["ended"])
    if row["error"]:
        out["error"] = row["error"]
    for name in files.log_names(record, run_id):
        out["logFiles"][name] = files.read_text(record, run_id, name) if with_log_text else name
    return out


def now() -> float:
    """The service clock (seconds since the epoch)."""
    return time.time()
