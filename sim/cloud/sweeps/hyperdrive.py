"""SDK v1's HyperDrive as the service runs it: `experiment.submit(HyperDriveConfig)` sends the sweep's definition here.

`submit_v1_sweep` is the one way a caller starts a v1 sweep: it checks the definition as the service would (the
script, its compute, the sampling and search space, the policy, the primary metric and its goal, the limits), creates
the parent run `HD_<guid>` and hands the sweep to the engine (`engine.start`), which samples, starts each child as a
real script job `HD_<guid>_<n>` with the sampled values added to its arguments as `--name value`, applies the
early-termination policy and ends the parent. The caller chooses none of the children's ids, statuses or metrics.

The engine drives the sweep from a thread of the process that runs this function: the service itself when the
simulated Azure runs as its own process (so a sandboxed kernel only submits and reads, as against Azure), or the
learner's own process in "inprocess" mode (there the sweep ends with that process, see `engine`).

Reads (`trial_summaries`) and `cancel` serve the v1 `HyperDriveRun`; `cancel` also serves a v2 sweep job's parent.
"""

from __future__ import annotations

import json
import numbers
import uuid
from pathlib import Path

from sim import messages
from sim.cloud.errors import JOB, RUN, UserError
from sim.cloud.runs import errors, jobs, lifecycle, state
from sim.cloud.sweeps import engine, policies, sampling

SETTING_KEYS = ("sampling", "parameter_space", "policy", "policy_settings", "primary_metric_name",
                "primary_metric_goal", "max_total_runs", "max_concurrent_runs", "max_duration_minutes")
_POLICY_KEYS = {name.lower(): name for name in policies.NAMES if name != policies.DEFAULT}


def submit_v1_sweep(record, experiment_name: str, spec: dict, arguments: list, settings: dict, tags=None, *,
                    inputs: list | None = None) -> str:
    """Start a HyperDrive sweep of a script; returns the parent run's id (`HD_<guid>`), Running.

    Args:
        record: the workspace record.
        experiment_name: the experiment that holds the parent and its children.
        spec: the script run as `jobs.submit_script` takes it: `source_directory`, `script`, `target`,
            `environment` (a dict), `max_run_duration_seconds`.
        arguments: the script's own arguments: text, or {"input": request} for a dataset input the service puts
            in each child's folder (as `jobs.submit_with_inputs`); the sampled values are added after them.
        settings: the sweep (`SETTING_KEYS`): sampling ('grid', 'random', 'bayesian'), parameter_space
            ({name: [distribution, [arguments]]}), policy (None, 'bandit', 'medianstopping',
            'truncationselection') and policy_settings, primary_metric_name, primary_metric_goal ('MAXIMIZE' or
            'MINIMIZE'), max_total_runs, max_concurrent_runs (None: all at once), max_duration_minutes.
        tags: the parent run's tags.
        inputs: more placement requests, placed in each child's folder but not on its command line (an
            Estimator's `inputs=`).

    Raises:
        UserError: a setting, argument, script folder or script the service refuses. NotFound: an unknown compute.
    """
    arguments = _checked_arguments(arguments)
    if not isinstance(inputs or [], list) or not all(isinstance(request, dict) for request in inputs or []):
        raise UserError(JOB, _setting_error("inputs", "a list of dataset inputs to place", inputs))
    requests = [{"input": request} for request in inputs or []]
    return start_sweep(record, experiment_name, spec, _placing(record, arguments, requests), settings, tags,
                       shown=[_shown(value) for value in arguments])


def start_sweep(record, experiment_name: str, spec: dict, build_arguments, settings: dict, tags=None,
                shown=()) -> str:
    """`submit_v1_sweep` with the script's own arguments built by `build_arguments(work_dir)` -> (argv, inputs) in
    each child's folder; a function cannot be sent to the service, so only a caller in this process uses it (the
    SDK v1 face in "inprocess" mode, for dataset inputs it materializes itself).

    Args:
        shown: the arguments as the parent's definition shows them.
    """
    settings = check_settings(settings)
    _check_script(record, spec)
    parent_id = f"HD_{uuid.uuid4()}"
    definition = {"hyperdrive": settings, "script": spec["script"], "target": spec.get("target") or "local",
                  "arguments": list(shown), "sourceDirectory": str(Path(spec["source_directory"]).resolve())}
    # The parent holds no compute node (only its children do), so its record is not placed on the cluster.
    lifecycle.start(record, experiment_name, engine.RUN_TYPE, state.RUNNING, run_id=parent_id,
                    definition=definition, tags=tags)
    engine.start(record, parent_id, settings,
                 _child_launcher(record, experiment_name, spec, build_arguments, parent_id))
    return parent_id


def check_settings(settings) -> dict:
    """A v1 sweep's settings, checked as the service checks them; returns them with the space and policy settings
    in their checked form.

    Raises:
        UserError: a missing or unknown key, or a value the sweep cannot run with.
    """
    if not isinstance(settings, dict) or set(settings) != set(SETTING_KEYS):
        given = sorted(settings) if isinstance(settings, dict) else type(settings).__name__
        raise UserError(JOB, messages.HYPERDRIVE_SETTINGS_KEYS.format(given=given, expected=list(SETTING_KEYS)))
    algorithm = str(settings["sampling"]).lower()
    checked = dict(settings, sampling=algorithm, parameter_space=sampling.check(algorithm, settings["parameter_space"]))
    policy = _policy_name(settings["policy"])
    if policy != policies.DEFAULT and algorithm == sampling.BAYESIAN:
        raise UserError(JOB, messages.SWEEP_POLICY_WITH_BAYESIAN)
    checked["policy_settings"] = policies.check(policy, dict(settings["policy_settings"] or {}))
    checked["policy"] = None if policy == policies.DEFAULT else policy.lower()
    name, goal = settings["primary_metric_name"], str(settings["primary_metric_goal"]).upper()
    if not isinstance(name, str) or not name.strip():
        raise UserError(JOB, _setting_error("primary_metric_name", "the name of a metric the children log", name))
    if goal not in ("MAXIMIZE", "MINIMIZE"):
        raise UserError(JOB, messages.SWEEP_GOAL_INVALID.format(goal=settings["primary_metric_goal"]))
    checked["primary_metric_goal"] = goal
    _check_limits(settings)
    return checked


def _policy_name(key) -> str:
    if key is None or str(key).lower() == "default":
        return policies.DEFAULT
    if str(key).lower() not in _POLICY_KEYS:
        raise UserError(JOB, messages.SWEEP_POLICY_UNKNOWN.format(policy=key))
    return _POLICY_KEYS[str(key).lower()]


def _check_limits(settings: dict) -> None:
    for key in ("max_total_runs", "max_concurrent_runs"):
        value = settings[key]
        if value is None and key == "max_concurrent_runs":
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise UserError(JOB, _setting_error(key, "a whole number of at least 1", value))
    minutes = settings["max_duration_minutes"]
    if not isinstance(minutes, numbers.Real) or isinstance(minutes, bool) or minutes <= 0:
        raise UserError(JOB, _setting_error("max_duration_minutes", "a number of minutes above 0", minutes))


def _setting_error(setting: str, expected: str, value) -> str:
    return messages.HYPERDRIVE_SETTING_INVALID.format(setting=setting, expected=expected, value=value)


def _is_input(value) -> bool:
    return isinstance(value, dict) and isinstance(value.get("input"), dict)


def _checked_arguments(arguments) -> list:
    """The script's arguments: text and numbers as text, dataset inputs as placement requests."""
    if not isinstance(arguments, list | tuple):
        raise UserError(JOB, _setting_error("arguments", "a list", arguments))
    for index, value in enumerate(arguments):
        if not (_is_input(value) or isinstance(value, str | numbers.Number)):
            raise UserError(JOB, messages.BAD_ARGUMENT.format(type_name=type(value).__name__, index=index))
    return [value if _is_input(value) else str(value) for value in arguments]


def _shown(value) -> str:
    """An argument as the parent's definition shows it (a dataset input as the SDK prints one)."""
    return f"DatasetConsumptionConfig:{value['input'].get('name')}" if _is_input(value) else value


def _check_script(record, spec: dict) -> None:
    """Refuse now what every child would fail on: no source folder, no script, an unknown compute target."""
    if not isinstance(spec, dict) or not spec.get("script") or not spec.get("source_directory"):
        raise UserError(JOB, _setting_error("spec", "the script run: source_directory, script, target ...", spec))
    source = Path(spec["source_directory"]).resolve()
    if not source.is_dir():
        raise UserError(JOB, errors.SOURCE_DIRECTORY_NOT_FOUND.format(path=spec["source_directory"]))
    if not (source / spec["script"]).is_file():
        raise UserError(JOB, errors.SCRIPT_NOT_FOUND.format(script=spec["script"], path=source))
    jobs.resolve_target(record, spec.get("target"))


def _child_launcher(record, experiment_name: str, spec: dict, build_arguments, parent_id: str):
    """How the engine starts a child: the script with its own arguments, then the values as `--name value`."""

    def launch(run_id: str, params: dict) -> None:
        def build(work_dir):
            argv, placed = build_arguments(work_dir)
            for name, value in params.items():
                argv = [*argv, name if name.startswith("-") else f"--{name}", str(value)]
            return argv, placed

        jobs.submit(record, experiment_name, spec, build, run_id=run_id, parent_run_id=parent_id,
                    tags={"hyperparameters": json.dumps(params, default=str)})

    return launch


def _placing(record, arguments: list, off_argv: list):
    """The `build_arguments` of arguments sent from another process: each dataset input placed in the child's
    folder (`sim.cloud.runs.inputs.place`), its place on the command line; `off_argv` placed only."""
    from sim.cloud.runs import inputs

    def build(work_dir):
        argv, placed = [], []
        for value in arguments:
            if _is_input(value):
                placed.append(inputs.place(record, work_dir, value["input"]))
                argv.append(str(placed[-1]["argument"]))
            else:
                argv.append(value)
        placed += [inputs.place(record, work_dir, value["input"]) for value in off_argv]
        return argv, placed

    return build


def sweep_parent(record, run_id: str) -> dict:
    """The service record of a sweep's parent run.

    Raises:
        NotFound: no such run. UserError: the run is not a sweep's parent.
    """
    row = lifecycle.record_of(record, run_id)
    if row["run_type"] != engine.RUN_TYPE:
        raise UserError(RUN, messages.HYPERDRIVE_NOT_A_SWEEP.format(run_id=run_id, run_type=row["run_type"]))
    return row


def trial_summaries(record, run_id: str) -> list[dict]:
    """A sweep's children in launch order, each {run_id, hyperparameters (the tag's text), best_primary_metric
    (None when it logged none), status}: what `HyperDriveRun` sorts and picks from, in one read."""
    settings = dict(sweep_parent(record, run_id)["definition"]["hyperdrive"])
    maximize = settings["primary_metric_goal"].upper() == "MAXIMIZE"
    rows = []
    for row in sorted(state.list_for(record, parent_run_id=run_id), key=lambda r: r["number"]):
        values = engine.metric_values(record, row["run_id"], settings["primary_metric_name"])
        rows.append({"run_id": row["run_id"], "hyperparameters": lifecycle.tags(record, row["run_id"]).get(
                         "hyperparameters"),
                     "best_primary_metric": (max(values) if maximize else min(values)) if values else None,
                     "status": lifecycle.status(record, row["run_id"])})
    return rows


def cancel(record, run_id: str) -> bool:
    """Cancel a sweep: its parent (so no child starts any more), then its unfinished children; a sweep that has
    ended stays as it ended. Returns True.

    Raises:
        NotFound: no such run. UserError: the run is not a sweep's parent.
    """
    from sim.cloud.sweeps import sweep_jobs

    row = sweep_parent(record, run_id)
    if sweep_jobs.is_sweep_job(row):  # SDK v2's: it has a driver process of its own
        sweep_jobs.cancel(record, run_id)
    elif row["status"] not in state.TERMINAL:
        engine.cancel(record, run_id)
    return True
