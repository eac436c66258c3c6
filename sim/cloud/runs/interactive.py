"""Runs a client logs into itself (`Experiment.start_logging`, `run.child_run`, a script's own `run.complete()`).

These are the narrow run operations the service offers its callers in place of `lifecycle.start`/`finish`, which
can record a run in any state: here a new run can only be an interactive run that starts Running, and a run can
only end Completed or Failed from an active state (an ended run stays as it ended). So a Completed script run
exists only where the service ran a submitted script.
"""

from __future__ import annotations

from sim.cloud.errors import RUN, UserError
from sim.cloud.runs import batch, errors, lifecycle, state


def start(record, experiment_name: str, *, parent_run_id=None, display_name=None, run_id=None) -> dict:
    """Start an interactive run (Running) in the experiment; returns its record.

    Raises:
        UserError, Conflict: when `run_id` is malformed or already taken.
        NotFound: when `parent_run_id` names no run of the workspace.
    """
    if parent_run_id is not None:
        lifecycle.record_of(record, parent_run_id)  # raises NotFound for a run that is not there
    return lifecycle.start(record, experiment_name, state.INTERACTIVE, state.RUNNING, parent_run_id=parent_run_id,
                           display_name=display_name, run_id=run_id)


def complete(record, run_id: str) -> bool:
    """Mark an active run Completed; False when it had already ended (nothing changes)."""
    lifecycle.record_of(record, run_id)  # raises NotFound for a run that is not there
    return lifecycle.finish(record, run_id, state.COMPLETED)


def fail(record, run_id: str, error: dict | None = None) -> bool:
    """Mark an active run Failed with `error` (the SDK's {"error": {"code", "message"}}); False when it had ended."""
    lifecycle.record_of(record, run_id)
    return lifecycle.finish(record, run_id, state.FAILED, error=error)



def mark_started(record, run_id: str) -> bool:
    """Mark a not-yet-started interactive run Running (`Run.start`); False when it was no longer NotStarted.

    Raises:
        UserError: the run is not an interactive run (a job's run moves as its job does).
    """
    row = lifecycle.record_of(record, run_id)
    if row["run_type"] != state.INTERACTIVE:
        raise UserError(RUN, errors.RUN_START_NOT_INTERACTIVE.format(run_id=run_id, run_type=row["run_type"]))
    if row["status"] != state.NOT_STARTED:
        return False
    lifecycle.move(record, run_id, state.RUNNING)
    return True


def start_children(record, experiment_name: str, parent_run_id: str, tags: list[dict]) -> list[dict]:
    """Start one Running interactive child of `parent_run_id` per dict of `tags`, in one batch (the SDK's
    `Run.create_children`); returns their records in order."""
    lifecycle.record_of(record, parent_run_id)
    return batch.start_many(record, experiment_name, len(tags), parent_run_id=parent_run_id,
                            tags=[dict(t) for t in tags])


def active_runs(record) -> list[dict]:
    """The workspace's runs (every experiment) that have not ended, oldest first."""
    return [row for row in state.list_for(record) if row["status"] not in state.TERMINAL]
