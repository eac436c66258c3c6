"""SDK v2 sweep jobs (`command(...)(x=Choice(...)).sweep(...)`): a SweepJob run by the sweep engine.

A sweep job is a parent run of type `hyperdrive`, as in Azure, driven by a process of its own (`python -m
sim.cloud.sweeps`, see `drive`), so it runs on after the notebook or `az` command that submitted it ends. Its
definition is the SweepJob as submitted plus the settings the engine reads (`hyperdrive`, the same record SDK v1's
HyperDrive writes, so `sweep_settings` and the lab checks read both alike). Each trial is a command job
(`sim.cloud.command_jobs`) named `<sweep>_<n>`, a child of the sweep with its own MLflow run: the trial's command
with `${{search_space.<name>}}` replaced by the sampled value (also in `AZUREML_SWEEP_<name>`), on the sweep's
compute, inputs and outputs.

Limits the service fills in when the job leaves them out: max_total_trials 1000, max_concurrent_trials all of
them, timeout 7 days (10080 minutes, as SDK v1's max_duration_minutes). Not simulated: random sampling's `sobol`
rule and a `logbase` other than e (each a clear 501).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from sim import messages
from sim.cloud import command_jobs, experiments
from sim.cloud.command_jobs import artifacts
from sim.cloud.errors import JOB, CloudError, Conflict, NotFound, UserError
from sim.cloud.runs import jobs, lifecycle, state
from sim.cloud.sweeps import engine, policies, sampling

JOB_TYPE = "Sweep"
DEFAULT_MAX_TOTAL_TRIALS = 1000
DEFAULT_TIMEOUT_MINUTES = 10080
_SEARCH_SPACE_REFERENCE = re.compile(r"\$\{\{\s*search_space\.([A-Za-z_][\w]*)\s*\}\}")
_drivers: dict[str, subprocess.Popen] = {}  # sweep name -> the driver process this process started
_POLICY_SETTINGS = {"evaluationInterval": "evaluation_interval", "delayEvaluation": "delay_evaluation",
                    "slackFactor": "slack_factor", "slackAmount": "slack_amount",
                    "truncationPercentage": "truncation_percentage"}


def is_sweep_job(row: dict | None) -> bool:
    """True for the service record of a sweep job (its definition is a SweepJob)."""
    return bool(row) and (row.get("definition") or {}).get("jobType") == JOB_TYPE


def get(record, name: str) -> dict:
    """The service record of a sweep job.

    Raises:
        NotFound: no sweep job of that name in the workspace.
    """
    row = state.get(record, name)
    if not is_sweep_job(row):
        raise NotFound(JOB, messages.JOB_NOT_FOUND.format(name=name))
    return row


def list_jobs(record) -> list[dict]:
    """Every sweep job of the workspace, newest first."""
    rows = [r for r in state.list_for(record) if is_sweep_job(r)]
    return sorted(rows, key=lambda r: r["created"], reverse=True)


def trials(record, name: str) -> list[dict]:
    """The service records of a sweep's trials, in launch order."""
    return sorted(state.list_for(record, parent_run_id=name), key=lambda r: r["number"])


def cancel(record, name: str) -> None:
    """Cancel a sweep job and its unfinished trials (a finished sweep stays as it ended)."""
    if get(record, name)["status"] not in state.TERMINAL:
        engine.cancel(record, name, own_driver=True)
    _reap_drivers()


def submit(record, name: str, job: dict) -> dict:
    """Create a sweep job and start its trials; returns the parent's service record.

    Args:
        job: the SweepJob's properties as Azure names them: `searchSpace`, `samplingAlgorithm`, `objective`,
            `earlyTermination`, `limits`, `trial` (command, codeId, environmentId, environmentVariables),
            `inputs`, `outputs`, `computeId`, `experimentName`, `displayName`, `tags` ...

    Raises:
        Conflict: a job (or run) of that name exists. UserError: a search space, sampling, policy, objective, limit
        or trial the service refuses. NotFound: a compute, environment or input it cannot find.
    """
    if state.get(record, name) is not None:
        raise Conflict(JOB, messages.JOB_EXISTS.format(name=name))
    experiment = job.get("experimentName") or "Default"
    experiments.validate_name(experiment)
    settings = settings_of(job)
    _check_trial(record, name, job, settings["parameter_space"])
    row = lifecycle.start(record, experiment, engine.RUN_TYPE, state.RUNNING, run_id=name,
                          definition=dict(job, jobType=JOB_TYPE, hyperdrive=settings), tags=job.get("tags"),
                          display_name=job.get("displayName") or name)
    artifacts.place_run_files(record, name)
    state.add_properties(record, name, engine.start_properties(settings))
    try:
        _start_driver(record, name)
    except BaseException as exc:
        lifecycle.finish(record, name, state.FAILED, error={"error": {"code": "UserError", "message": str(exc)}})
        raise
    return state.get(record, row["run_id"])


def drive(record, name: str) -> None:
    """Run a sweep job until it ends (the body of its driver process; it goes on from the trials already made)."""
    definition = dict(get(record, name)["definition"])
    settings = definition.pop("hyperdrive")
    experiment = definition.get("experimentName") or "Default"
    engine.drive(record, name, settings, _trial_launcher(record, name, definition, definition["trial"], experiment))


def _start_driver(record, name: str) -> None:
    """The sweep's own process (its supervisor: if it dies, the sweep shows Failed as a lost job does)."""
    folder = jobs.job_folder(record, name)
    folder.mkdir(parents=True, exist_ok=True)
    from sim import _jobhost

    jobs.warm_up()  # the trials start from this process's job host while it is up: no wait for a new one
    env = jobs.with_project_on_path(dict(os.environ))
    env.update({"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true", _jobhost.BORROW_ENV: _jobhost.host_name()})
    _reap_drivers()
    with open(folder / "driver.log", "ab") as log:
        proc = subprocess.Popen([sys.executable, "-m", "sim.cloud.sweeps", record.subscription_id,
                                 record.resource_group, record.name, name], env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    _drivers[name] = proc
    state.set_pid(record, name, proc.pid)


def _reap_drivers() -> None:
    # Collect the exit status of drivers that ended, so none lingers as a zombie of this process.
    for name, proc in list(_drivers.items()):
        if proc.poll() is not None:
            _drivers.pop(name, None)


def settings_of(job: dict) -> dict:
    """The engine's settings for a SweepJob (the keys SDK v1's HyperDrive records too).

    Raises:
        UserError: a bad objective, sampling algorithm, search space, policy or limit.
    """
    metric, goal = _objective(job.get("objective") or {})
    algorithm, seed = _sampling(job.get("samplingAlgorithm") or {})
    space = sampling.check(algorithm, job.get("searchSpace"))
    policy, policy_settings = _policy(job.get("earlyTermination"))
    if policy != policies.DEFAULT and algorithm == sampling.BAYESIAN:
        raise UserError(JOB, messages.SWEEP_POLICY_WITH_BAYESIAN)
    limits = job.get("limits") or {}
    timeout = command_jobs.timeout_seconds({"timeout": limits.get("timeout")})
    return {"sampling": algorithm, "parameter_space": space, "seed": seed,
            "policy": None if policy == policies.DEFAULT else policy.lower(), "policy_settings": policy_settings,
            "primary_metric_name": metric, "primary_metric_goal": goal,
            "max_total_runs": _limit(limits, "maxTotalTrials", DEFAULT_MAX_TOTAL_TRIALS),
            "max_concurrent_runs": _limit(limits, "maxConcurrentTrials", None),
            "max_duration_minutes": DEFAULT_TIMEOUT_MINUTES if timeout is None else timeout / 60,
            "trial_timeout": limits.get("trialTimeout")}


def _objective(objective: dict) -> tuple[str, str]:
    metric = objective.get("primaryMetric")
    if not isinstance(metric, str) or not metric.strip():
        raise UserError(JOB, messages.SWEEP_METRIC_REQUIRED)
    goal = str(objective.get("goal") or "").upper()
    if goal not in ("MAXIMIZE", "MINIMIZE"):
        raise UserError(JOB, messages.SWEEP_GOAL_INVALID.format(goal=objective.get("goal")))
    return metric, goal


def _sampling(spec: dict) -> tuple[str, int | None]:
    algorithm = str(spec.get("samplingAlgorithmType") or "").lower()
    if algorithm == sampling.RANDOM and str(spec.get("rule") or "random").lower() == "sobol":
        raise CloudError(JOB, messages.SWEEP_SOBOL_NOT_SIMULATED, code="NotSimulated", status=501)
    if str(spec.get("logbase") or "e").lower() != "e":
        raise CloudError(JOB, messages.SWEEP_LOGBASE_NOT_SIMULATED.format(logbase=spec.get("logbase")),
                         code="NotSimulated", status=501)
    return algorithm, spec.get("seed")


def _policy(spec) -> tuple[str, dict]:
    if not spec:
        return policies.DEFAULT, {}
    name = str(spec.get("policyType") or "")
    settings = {snake: spec[camel] for camel, snake in _POLICY_SETTINGS.items() if spec.get(camel) is not None}
    return name, policies.check(name, settings)


def _limit(limits: dict, key: str, default):
    value = limits.get(key)
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise UserError(JOB, messages.SWEEP_LIMIT_INVALID.format(limit=key, value=value))
    return value


def _check_trial(record, name: str, job: dict, space: dict) -> None:
    """Refuse now a trial that could not run (no command, unknown references, compute, environment, inputs ...)."""
    trial = job.get("trial") or {}
    if not str(trial.get("command") or "").strip():
        raise UserError(JOB, messages.SWEEP_TRIAL_REQUIRED)
    for parameter in _SEARCH_SPACE_REFERENCE.findall(trial["command"]):
        if parameter not in space:
            raise UserError(JOB, messages.SWEEP_SEARCH_SPACE_UNKNOWN.format(name=parameter))
    command_jobs.check(record, f"{name}_0", _trial_job(job, trial, {}, job.get("experimentName") or "Default"))


def _trial_job(job: dict, trial: dict, params: dict, experiment: str) -> dict:
    """The command job one trial runs, with the sampled values in its command and environment."""
    command = _SEARCH_SPACE_REFERENCE.sub(lambda m: str(params.get(m.group(1), m.group(0))), trial["command"])
    variables = {**(trial.get("environmentVariables") or {}),
                 **{f"AZUREML_SWEEP_{k}": str(v) for k, v in params.items()}}
    limits = (job.get("limits") or {}).get("trialTimeout")
    return {"command": command, "codeId": trial.get("codeId"), "environmentId": trial.get("environmentId"),
            "environmentVariables": variables, "inputs": job.get("inputs") or {}, "outputs": job.get("outputs") or {},
            "computeId": job.get("computeId"), "experimentName": experiment, "resources": trial.get("resources"),
            "limits": {"timeout": limits} if limits else None,
            "tags": {"hyperparameters": json.dumps(params, default=str)}}


def _trial_launcher(record, name: str, job: dict, trial: dict, experiment: str):
    def launch(run_id: str, params: dict) -> None:
        command_jobs.submit(record, run_id, _trial_job(job, trial, params, experiment), parent_run_id=name)
    return launch
