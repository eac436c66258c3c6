"""Many runs created in one request, as the SDK's `Run.create_children(count=...)` asks the service in one batch.

One run at a time costs about 20 ms (an MLflow transaction and a service transaction). Here one MLflow
transaction writes every run and its tags through MLflow's own table models (the rows `create_run` writes, under
the service's run ids from the start) and one service transaction writes their records, numbered one after
another. The runs are then like any other: listed, logged to, finished, read by MLflow clients.
"""

from __future__ import annotations

import time
import uuid

from sim.cloud import experiments
from sim.cloud.errors import RUN, UserError
from sim.cloud.runs import errors, lifecycle, owners, state, tracking

MAX_BATCH = 10_000  # runs in one request; a larger batch is refused rather than left half-made


def start_many(record, experiment_name: str, count: int, *, parent_run_id=None, status: str = state.RUNNING,
               tags: list[dict] | None = None, names: list[str] | None = None) -> list[dict]:
    """Create `count` interactive runs at once (children of `parent_run_id` when given); their records, in order.

    Args:
        status: the Azure ML status they start in (a terminal one also ends them, as `finish` would).
        tags: each run's tags (one dict per run).
        names: a display name per run (default: the run id, as the service names a child it creates).

    Raises:
        UserError: `count` is not between 1 and MAX_BATCH, or `names` or `tags` does not give one per run.
    """
    lifecycle.authorize(record, lifecycle.SUBMIT_ACTION)
    if not 1 <= int(count) <= MAX_BATCH or any(given is not None and len(given) != count for given in (names, tags)):
        raise UserError(RUN, errors.RUN_BATCH_SIZE.format(limit=MAX_BATCH, count=count))
    info = experiments.get_or_create(record, experiment_name)
    now = time.time()
    run_ids = [str(uuid.uuid4()) for _ in range(count)]
    owners.remember(record, run_ids)  # before they exist: none is left Running if this process dies now
    # Creation times a microsecond apart keep the batch in its own order in newest-first listings.
    created = [now + i * 1e-6 for i in range(count)]
    write_mlflow_runs(record, info.id, run_ids, created, status, parent_run_id, tags or [{}] * count, names)
    return state.insert_many(record, experiment_name, run_ids, state.INTERACTIVE, status, created,
                             parent_run_id=parent_run_id)


def write_mlflow_runs(record, experiment_id, run_ids, created, status, parent_run_id, tags, names) -> None:
    """The MLflow side: one transaction of runs and tags, the rows `MlflowClient.create_run` writes for each.

    Args:
        created: each run's start time (epoch seconds); status: the Azure ML status they show in MLflow.
        tags: a dict of tags per run; names: a display name per run (None: the run ids).
    """
    from mlflow.store.tracking.dbmodels.models import SqlRun, SqlTag
    from sqlalchemy import insert

    store = tracking.store(record)
    location = store.get_experiment(str(experiment_id)).artifact_location.rstrip("/")
    finished = status in state.TERMINAL
    parent = {"mlflow.parentRunId": parent_run_id} if parent_run_id else {}
    runs, run_tags = [], []
    for i, run_id in enumerate(run_ids):
        name = names[i] if names is not None else run_id
        millis = int(created[i] * 1000)
        own = {str(k): "" if v is None else str(v) for k, v in tags[i].items()}
        runs.append(dict(run_uuid=run_id, name=name, artifact_uri=f"{location}/{run_id}/artifacts",
                         experiment_id=int(experiment_id), source_type="UNKNOWN", source_name="", entry_point_name="",
                         user_id=own.get("mlflow.user", "unknown"), status=state.TO_MLFLOW[status], start_time=millis,
                         end_time=millis if finished else None, deleted_time=None, source_version="",
                         lifecycle_stage="active"))
        run_tags += [dict(run_uuid=run_id, key=k, value=v)
                     for k, v in {**own, **parent, "mlflow.runName": name}.items()]
    with store.ManagedSessionMaker() as session:  # MLflow's own tables and transaction, as create_run uses
        session.execute(insert(SqlRun.__table__), runs)
        session.execute(insert(SqlTag.__table__), run_tags)
