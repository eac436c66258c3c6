"""What a caller in another process (an SDK v1 kernel) asks of the AutoML engine: the narrow operations the
service offers it in place of `engine.submit` (which takes DataFrames and a free-form definition).

A submitted definition says where its data is, as Azure's does: a tabular dataset definition the service reads
itself (`{"tabular": <definition>}`), or a table the caller holds, sent as Parquet bytes (`{"parquet": b"..."}`).
Parquet only: it carries columns and values and runs no code when read, so the service never unpickles what a
caller sends.
"""

from __future__ import annotations

import io

import pandas as pd

from sim.cloud import data_engine
from sim.cloud.automl import engine
from sim.cloud.automl import messages as text
from sim.cloud.errors import JOB, UserError
from sim.cloud.runs import lifecycle, state

RUN_ID_PREFIX = "AutoML_"  # the SDK names an AutoML parent run AutoML_<guid>


def submit_definition(record, experiment: str, raw_settings: dict, training: dict | None,
                      validation: dict | None = None, *, run_id: str, target: str = "local", tags: dict | None = None,
                      display_name: str | None = None) -> dict:
    """Start an AutoML run from its settings and data references; returns the parent's service record.

    Args:
        raw_settings: the settings (see `sim.cloud.automl.settings`).
        training / validation: data references (see the module docstring); None for none (no training data is
            refused by the engine with its own sentence).
        run_id: the parent's id, `AutoML_<guid>` as the SDK makes it.

    Raises:
        UserError: a reference the service cannot read, or settings or data AutoML cannot use.
        Conflict: a run of that id exists.
    """
    if not str(run_id).startswith(RUN_ID_PREFIX):
        raise UserError(JOB, text.RUN_ID_NOT_AUTOML.format(run_id=run_id, prefix=RUN_ID_PREFIX))
    train_frame = frame_of_reference(record, training, "training_data")
    valid_frame = frame_of_reference(record, validation, "validation_data")
    return engine.submit(record, experiment, raw_settings, train_frame, valid_frame, run_id=run_id, target=target,
                         tags=tags, display_name=display_name, definition={"name": display_name})


def frame_of_reference(record, reference, role: str) -> pd.DataFrame | None:
    """The DataFrame a data reference names (None for None; `role`, e.g. 'training_data', names it in an error).

    Raises:
        UserError: a reference of an unknown form, or Parquet bytes that do not read as a table.
    """
    if reference is None:
        return None
    if isinstance(reference, dict) and set(reference) == {"tabular"} and isinstance(reference["tabular"], dict):
        return data_engine.frame_of(record, reference["tabular"])
    if isinstance(reference, dict) and set(reference) == {"parquet"} and isinstance(reference["parquet"], bytes):
        try:
            return pd.read_parquet(io.BytesIO(reference["parquet"]))
        except Exception as exc:  # pyarrow raises several kinds for bytes that are not a Parquet table
            raise UserError(JOB, text.DATA_NOT_PARQUET.format(role=role, problem=exc)) from None
    raise UserError(JOB, text.DATA_REFERENCE_UNKNOWN.format(role=role))


def cancel_trial(record, run_id: str, iteration: int) -> bool:
    """Cancel trial number `iteration` of the AutoML run `run_id` if it is still active; True either way.

    Raises:
        NotFound: `run_id` is not an AutoML run.
        UserError: `iteration` is not a whole number.
    """
    engine.get(record, run_id)
    if isinstance(iteration, bool) or not isinstance(iteration, int):
        raise UserError(JOB, text.ITERATION_INVALID.format(value=iteration))
    child = state.get(record, f"{run_id}_{iteration}")
    if child is not None and child["status"] not in state.TERMINAL:
        lifecycle.finish(record, child["run_id"], state.CANCELED)
    return True
