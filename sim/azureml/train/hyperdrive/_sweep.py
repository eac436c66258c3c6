"""Submitting a HyperDrive sweep (SDK v1): the face sends the sweep's definition, the service runs it.

As in Azure, `experiment.submit(HyperDriveConfig)` only describes the sweep: the script run (as a script is
submitted), the sampling and search space, the policy, the primary metric and its goal, and the limits. The
service's `sim.cloud.sweeps.hyperdrive.submit_v1_sweep` checks it, creates the parent run (`HD_<guid>`) and drives
the sweep with the engine shared with SDK v2's sweep jobs: it samples, starts each child as a real script job
`HD_<guid>_<n>` with the sampled values added to its arguments as `--name value`, applies the policy and ends the
parent. Nothing of the sweep runs in the learner's process when the simulated Azure is its own process.
"""

from __future__ import annotations

import os

import sim.cloud.sweeps.hyperdrive
from sim.azureml._common.cloud import cloud, in_process
from sim.cloud.sweeps import engine

RUN_TYPE = engine.RUN_TYPE
sweeps = cloud(sim.cloud.sweeps.hyperdrive)


def start(experiment, config, tags=None) -> str:
    """Send the sweep to the service, which starts it; returns the parent run's id."""
    script = config.run_config
    if script.script is None:
        from sim.azureml._common.not_simulated import not_simulated

        not_simulated("HyperDriveConfig over ScriptRunConfig(command=...) without a script")
    script._check_arguments()
    record, spec, settings = experiment.workspace._record, _script_spec(script), config._settings()
    if script._has_dataset_inputs() and in_process():  # each child materializes them here, as a script run does
        return sweeps.start_sweep(record, experiment.name, spec, script._build_arguments, settings, tags=tags,
                                  shown=[_shown(value) for value in script.arguments])
    arguments = script._placement_requests() if script._has_dataset_inputs() else [str(v) for v in script.arguments]
    extra = script._inputs_outside_argv() if hasattr(script, "_inputs_outside_argv") else {}
    return sweeps.submit_v1_sweep(record, experiment.name, spec, arguments, settings, tags=tags, **extra)


def _script_spec(script) -> dict:
    """The children's script run, as a script is submitted (`jobs.submit_script`)."""
    from sim.azureml.core.script_run_config import _target_name

    # Absolute: the service, which snapshots the folder for each child, has another working folder.
    return {"source_directory": os.path.abspath(os.fspath(script.source_directory)), "script": script.script,
            "target": _target_name(script.run_config.target), "environment": script._environment_definition(),
            "max_run_duration_seconds": script.max_run_duration_seconds}


def _shown(value) -> str:
    """A script argument as the parent's definition shows it (a dataset input as the SDK prints one)."""
    name = getattr(value, "name", None)
    return f"DatasetConsumptionConfig:{name}" if hasattr(value, "_materialize") else str(value)


def cancel(record, parent_id: str) -> None:
    """Cancel a sweep: the parent run (so no child starts any more), then its unfinished children."""
    sweeps.cancel(record, parent_id)
