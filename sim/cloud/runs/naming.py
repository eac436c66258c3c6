"""A run's display name and description, as the service keeps them (in the run's MLflow record).

Azure ML shows both in the Studio and lets the SDK read and change them (`run.display_name`, `run.description`);
MLflow keeps the name as the run's name and the description as the `mlflow.note.content` tag, so an MLflow client
sees the same values.
"""

from __future__ import annotations

from sim.cloud.runs import lifecycle, tracking

DESCRIPTION_TAG = "mlflow.note.content"


def display_name(record, run_id: str) -> str:
    """The run's display name."""
    lifecycle.record_of(record, run_id)  # raises NotFound for a run that is not there
    return tracking.client(record).get_run(run_id).info.run_name


def set_display_name(record, run_id: str, name: str) -> None:
    """Rename the run (its display name; the id stays)."""
    lifecycle.authorize(record, lifecycle.WRITE_ACTION)
    lifecycle.record_of(record, run_id)
    tracking.client(record).update_run(run_id, name=str(name))


def description(record, run_id: str) -> str | None:
    """The run's description, or None when it has none."""
    lifecycle.record_of(record, run_id)
    return tracking.client(record).get_run(run_id).data.tags.get(DESCRIPTION_TAG)


def set_description(record, run_id: str, text: str) -> None:
    """Set the run's description."""
    lifecycle.authorize(record, lifecycle.WRITE_ACTION)
    lifecycle.record_of(record, run_id)
    tracking.client(record).set_tag(run_id, DESCRIPTION_TAG, str(text))
