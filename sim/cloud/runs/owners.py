"""Which process started each run, so that no run waits forever for a process that has died.

A submitted job's process is recorded as the run's `pid` once it starts, and a read fails the run when that process
is gone (`state.mark_lost`). Before that moment - and for the whole life of an interactive run from
`start_logging()` or `child_run()`, which no job process drives - the run's only living trace is the process
that created it. That process's owner token (pid and start time, `sim._owner`) is stored here when the run is
created, and a read fails a run whose creator has ended while the run still has no pid and is not finished.
Without it, `wait_for_completion()` on such a run would never return.
"""

from __future__ import annotations

import time

from sqlalchemy import Column, MetaData, String, Table, select, update

from sim import _owner
from sim.cloud import store
from sim.cloud.runs import errors, state

metadata = MetaData()

run_owners = Table(
    "run_owners", metadata,
    Column("run_id", String, primary_key=True),
    Column("owner", String, nullable=False),
)


def _engine(record):
    eng = state.engine(record)
    store.ensure(metadata, eng)
    return eng


def remember(record, run_ids: list[str]) -> None:
    """Note the creator of new runs: this process, or in the service the process that asked for them."""
    token = _owner.caller_token()
    with _engine(record).begin() as conn:
        conn.execute(run_owners.insert().prefix_with("OR REPLACE"), [{"run_id": r, "owner": token} for r in run_ids])


def owner_of(record, run_id: str) -> str | None:
    """The owner token of the process that created the run (None for runs from before this record existed)."""
    with _engine(record).connect() as conn:
        return conn.execute(select(run_owners.c.owner).where(run_owners.c.run_id == run_id)).scalar()


def orphaned(record, row: dict) -> bool:
    """True when an unfinished run has no job process and the process that created it has ended."""
    if row["status"] in state.TERMINAL or row["pid"]:
        return False
    owner = owner_of(record, row["run_id"])
    return owner is not None and not _owner.alive(owner)


def fail_orphan(record, row: dict) -> bool:
    """Fail a run found `orphaned`, unless its job process was recorded meanwhile; True when it was failed."""
    template = errors.RUN_OWNER_ENDED if row["run_type"] == state.INTERACTIVE else errors.RUN_SUBMITTER_ENDED
    error = {"error": {"code": "ServiceError", "message": template.format(run_id=row["run_id"])}}
    table = state.run_records
    query = (update(table).where(table.c.run_id == row["run_id"], table.c.pid.is_(None),
                                 table.c.status.not_in(state.TERMINAL))
             .values(status=state.FAILED, error=error, ended=time.time()))
    with _engine(record).begin() as conn:
        return conn.execute(query).rowcount > 0
