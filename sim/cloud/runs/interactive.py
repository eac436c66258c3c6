"""Runs a client logs into itself (`Experiment.start_logging`, `run.child_run`, a script's own `run.complete()`).

These are the narrow run operations the service offers its callers in place of `lifecycle.start`/`finish`, which
can record a run in any state: here a new run can only be an interactive run that starts Running, and a run can
only end Completed or Failed from an active state (an ended run stays as it ended). So a Completed script run
exists only where the service ran a submitted script.
"""

from __future__ import annotations

from sim.cloud.runs import lifecycle, state


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

