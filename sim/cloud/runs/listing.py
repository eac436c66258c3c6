"""Set-based reads of a workspace's runs: counts, pages and streams in a few queries per page, never a load per run.

A listing reads the service's own table (`run_records`, indexed by experiment and creation time) a page at a
time, and what MLflow holds for those runs (display name, MLflow status, tags) from the workspace's MLflow SQLite
store in one query per page. `MlflowClient.get_run` would load each run with its metrics, params and tags, about
3 ms a run, which made a Studio render take seconds at a thousand runs.

Runs that only MLflow knows (a learner's own `mlflow.start_run()`) are adopted before a listing, found by one
anti-join of MLflow's run ids against the service's, so a listing never misses them and never loads the others.
Every listing is newest first: by creation time, then run number, then id.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing

from sqlalchemy import func, or_, select, tuple_

from sim.cloud.runs import state

PAGE = 100  # rows per query when streaming (small enough for a quick first item, large enough to amortise)
_IDS_PER_QUERY = 500  # SQLite's bound-parameter limit is far above; this keeps each statement small
HIDDEN_TAG_PREFIXES = ("mlflow.",)  # MLflow's bookkeeping tags, not the run's own
_JOB_TYPE = "$.jobType"
records = state.run_records


def _mlflow(record) -> sqlite3.Connection:
    """A plain connection to the workspace's MLflow store (read here, written only by MLflow and `tracking`)."""
    return sqlite3.connect(record.mlflow_db, timeout=30)


def unadopted(record, experiment_ids: list[str] | None = None) -> list[str]:
    """Ids of active MLflow runs (of these experiments, or of all) that the service has no record of yet."""
    state.engine(record)  # the service's tables exist before they are attached
    where = "r.lifecycle_stage = 'active'"
    params: list = [str(record.state_db)]
    if experiment_ids is not None:
        if not experiment_ids:
            return []
        where += f" AND r.experiment_id IN ({', '.join('?' * len(experiment_ids))})"
        params += [int(i) for i in experiment_ids]
    with closing(_mlflow(record)) as conn:
        conn.execute("ATTACH DATABASE ? AS service", params[:1])
        rows = conn.execute(f"SELECT r.run_uuid FROM runs r WHERE {where} AND NOT EXISTS "
                            "(SELECT 1 FROM service.run_records s WHERE s.run_id = r.run_uuid)", params[1:]).fetchall()
    return [r[0] for r in rows]


def _scope(query, experiment=None, parent_run_id=None, include_children=True, run_type=None, job_type=None):
    """`query` narrowed to an experiment, a parent's children or top-level runs, a run type, job type(s)."""
    if experiment is not None:
        query = query.where(records.c.experiment == experiment)
    if parent_run_id is not None:
        query = query.where(records.c.parent_run_id == parent_run_id)
    elif not include_children:
        query = query.where(or_(records.c.parent_run_id.is_(None), records.c.parent_run_id == ""))
    if run_type is not None:
        query = query.where(records.c.run_type == run_type)
    if job_type is not None:  # one type, or any of a tuple of them
        kinds = (job_type,) if isinstance(job_type, str) else tuple(job_type)
        query = query.where(func.json_extract(records.c.definition, _JOB_TYPE).in_(kinds))
    return query


def count(record, **scope) -> int:
    """How many runs are in the scope (see `_scope`: experiment, parent_run_id, include_children, ...)."""
    query = _scope(select(func.count()).select_from(records), **scope)
    with state.engine(record).connect() as conn:
        return conn.execute(query).scalar_one()


def newer_than(record, row: dict, **scope) -> int:
    """How many runs in the scope come before `row` in the newest-first order (its index in a full listing)."""
    query = _scope(select(func.count()).select_from(records), **scope)
    query = query.where(tuple_(records.c.created, records.c.number, records.c.run_id) > key(row))
    with state.engine(record).connect() as conn:
        return conn.execute(query).scalar_one()


def counts_by_experiment(record, include_children=False) -> dict[str, int]:
    """{experiment name: number of runs} in one grouped query (top-level runs unless `include_children`)."""
    query = _scope(select(records.c.experiment, func.count()).group_by(records.c.experiment),
                   include_children=include_children)
    with state.engine(record).connect() as conn:
        return dict(conn.execute(query).all())


ORDER = (records.c.created, records.c.number, records.c.run_id)


def page(record, offset: int = 0, limit: int | None = PAGE, after: tuple | None = None, oldest_first: bool = False,
         **scope) -> list[dict]:
    """One page of run records in the scope, newest first (or oldest first, as a run's children are listed).

    Args:
        offset: rows to skip (a numbered page of a table).
        limit: rows to return (None: all).
        after: the `key` of the last row of the previous page: the page that follows it (stable while runs are
            added, unlike an offset).
    """
    query = _scope(select(records), **scope)
    query = query.order_by(*ORDER) if oldest_first else query.order_by(*(column.desc() for column in ORDER))
    if after is not None:
        position = tuple_(*ORDER)
        query = query.where(position > tuple(after) if oldest_first else position < tuple(after))
    query = query.offset(offset or None).limit(limit)
    with state.engine(record).connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def key(row: dict) -> tuple:
    """Where a row sits in the newest-first order (the `after` of the page that follows it)."""
    return row["created"], row["number"], row["run_id"]


def stream(record, size: int = PAGE, **scope) -> Iterator[list[dict]]:
    """Pages of run records in the scope, newest first, each read when the previous one has been used."""
    after = None
    while True:
        rows = page(record, limit=size, after=after, **scope)
        if rows:
            yield rows
        if len(rows) < size:
            return
        after = key(rows[-1])


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), _IDS_PER_QUERY):
        yield ids[start:start + _IDS_PER_QUERY]


def mlflow_runs(record, run_ids: list[str]) -> dict[str, dict]:
    """{run id: {"name", "status", "end_time"}} of these runs as MLflow has them, one query per 500 ids."""
    found = {}
    with closing(_mlflow(record)) as conn:
        for chunk in _chunks(list(run_ids)):
            marks = ", ".join("?" * len(chunk))
            for run_id, name, status, end_time in conn.execute(
                    f"SELECT run_uuid, name, status, end_time FROM runs WHERE run_uuid IN ({marks})", chunk):
                found[run_id] = {"name": name, "status": status, "end_time": end_time}
    return found


def tags(record, run_ids: list[str]) -> dict[str, dict]:
    """{run id: its own tags} (MLflow's bookkeeping tags left out) of these runs, one query per 500 ids."""
    found: dict[str, dict] = {run_id: {} for run_id in run_ids}
    with closing(_mlflow(record)) as conn:
        for chunk in _chunks(list(run_ids)):
            marks = ", ".join("?" * len(chunk))
            for run_id, tag, value in conn.execute(
                    f"SELECT run_uuid, key, value FROM tags WHERE run_uuid IN ({marks})", chunk):
                if not tag.startswith(HIDDEN_TAG_PREFIXES):
                    found[run_id][tag] = value
    return found
