"""Submitting a HyperDrive sweep (SDK v1): the parent run, and each child as a script run with its values.

The sweep itself is the service's engine (`sim.cloud.sweeps.engine`), shared with SDK v2's sweep jobs: it samples,
keeps to the limits, applies the policy and names the best child. This face creates the parent run
(`HD_<guid>`) and tells the engine how to start a child: a real submitted script job (`sim.cloud.runs.jobs`)
named `HD_<guid>_<n>`, with the sampled values added to its arguments as `--name value`.
"""

from __future__ import annotations

import json
import os
import uuid

import sim.cloud.runs.jobs
import sim.cloud.runs.lifecycle
from sim.azureml._common.service_errors import v1_service
from sim.cloud.runs import state
from sim.cloud.sweeps import engine

RUN_TYPE = engine.RUN_TYPE
jobs = v1_service(sim.cloud.runs.jobs)
lifecycle = v1_service(sim.cloud.runs.lifecycle)


def start(experiment, config, tags=None) -> str:
    """Create the parent run and start driving the sweep in the background; returns the parent's id."""
    record = experiment.workspace._record
    script = config.run_config
    if script.script is None:
        from sim.azureml._common.not_simulated import not_simulated

        not_simulated("HyperDriveConfig over ScriptRunConfig(command=...) without a script")
    script._check_arguments()
    jobs.resolve_target(record, _target(script))  # an unknown cluster is refused before anything starts
    parent_id = f"HD_{uuid.uuid4()}"
    settings = config._settings()
    definition = {"hyperdrive": settings, "script": script.script, "target": _target(script),
                  "arguments": [str(a) for a in script.arguments], "sourceDirectory": str(script.source_directory)}
    # The parent holds no compute node (only its children do), so its record is not placed on the cluster.
    lifecycle.start(record, experiment.name, RUN_TYPE, state.RUNNING, run_id=parent_id, definition=definition,
                    tags=tags)
    engine.start(record, parent_id, settings, _child_launcher(experiment, script, parent_id))
    return parent_id


def _target(script) -> str:
    from sim.azureml.core.script_run_config import _target_name

    return _target_name(script.run_config.target)


def _child_launcher(experiment, script, parent_id: str):
    """How the engine starts a child: the ScriptRunConfig's script with the values as `--name value`."""
    record = experiment.workspace._record
    spec = {"source_directory": os.fspath(script.source_directory), "script": script.script,
            "target": _target(script), "environment": script._environment_definition(),
            "max_run_duration_seconds": script.max_run_duration_seconds}

    def launch(run_id: str, params: dict) -> None:
        def build_arguments(work_dir):
            argv, inputs = script._build_arguments(work_dir)
            for name, value in params.items():
                argv += [name if name.startswith("-") else f"--{name}", str(value)]
            return argv, inputs

        jobs.submit(record, experiment.name, spec, build_arguments, run_id=run_id, parent_run_id=parent_id,
                    tags={"hyperparameters": json.dumps(params, default=str)})
    return launch


def cancel(record, parent_id: str) -> None:
    """Cancel a sweep: the parent run (so no child starts any more), then its unfinished children."""
    engine.cancel(record, parent_id)
