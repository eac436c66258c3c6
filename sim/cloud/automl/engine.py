"""The AutoML engine: a parent run (run type `automl`) whose trials are its child runs `<parent>_<n>`.

`submit` checks the settings and the data, records the parent, reports the data guardrails and starts a small
driver process (`python -m sim.cloud.automl`, start_new_session) that runs the trials one at a time, so the
caller gets the run back at once. The driver is idempotent: started again on a parent that has not ended, it
marks a trial left running as failed and goes on with the next one. If it dies, the parent shows Failed, as a
lost job does. Both SDK faces call this module; it knows no SDK.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime

import pandas as pd

from sim.cloud import experiments
from sim.cloud.automl import catalog, featurize, scoring
from sim.cloud.automl import messages as text
from sim.cloud.automl import settings as automl_settings
from sim.cloud.command_jobs import artifacts
from sim.cloud.errors import JOB, Conflict, NotFound, UserError
from sim.cloud.runs import files, jobs, lifecycle, metrics, state

RUN_TYPE = "automl"
TRIAL_RUN_TYPE = "azureml.scriptrun"  # each trial is a script run on the compute in Azure
LOG_FILE = "user_logs/std_log.txt"  # the name jobs.stream prints for a job of this type
GUARDRAILS_FILE = "outputs/guardrails.json"
BEST_CHILD_TAG = "automl_best_child_run_id"
_drivers: dict[str, subprocess.Popen] = {}  # parent run id -> the driver process this process started


def is_automl(row: dict | None) -> bool:
    """True for the service record of an AutoML parent run."""
    return bool(row) and row["run_type"] == RUN_TYPE


def get(record, run_id: str) -> dict:
    """The service record of an AutoML parent run (its status brought up to date).

    Raises:
        NotFound: no AutoML run of that id.
    """
    row = state.get(record, run_id)
    if not is_automl(row):
        raise NotFound(JOB, text.NOT_AUTOML.format(name=run_id))
    lifecycle.status(record, run_id)  # a parent whose driver died is marked Failed here
    return state.get(record, run_id)


def submit(record, experiment: str, raw_settings: dict, training: pd.DataFrame,
           validation: pd.DataFrame | None = None, *, run_id: str, target: str = "local", definition=None,
           tags=None, display_name=None, parent_run_id=None) -> dict:
    """Start an AutoML run; returns the parent's service record (the trials run in the driver process).

    Args:
        raw_settings: see `sim.cloud.automl.settings` for the keys.
        training / validation: the data as DataFrames, the label column included.
        parent_run_id: the run it is a child of (a pipeline run, for an AutoMLStep); none by default.

    Raises:
        Conflict: a run of that id exists. UserError / CloudError: settings or data AutoML cannot use.
    """
    if state.get(record, run_id) is not None:
        raise Conflict(JOB, text.JOB_EXISTS.format(name=run_id))
    experiments.validate_name(experiment)
    settings = automl_settings.check(raw_settings)
    check_data(settings, training, validation)
    plan = scoring.validation_plan(len(training), settings, validation is not None)
    row = lifecycle.start(record, experiment, RUN_TYPE, state.NOT_STARTED, run_id=run_id, target=target,
                          definition={**(definition or {}), "automl": settings}, tags=tags,
                          display_name=display_name, parent_run_id=parent_run_id)
    artifacts.place_run_files(record, run_id)  # its files in the artifact store, as a job's are
    folder = _data_folder(record, run_id)
    training.to_pickle(folder / "training.pkl")
    if validation is not None:
        validation.to_pickle(folder / "validation.pkl")
    _report_guardrails(record, run_id, settings, training, plan)
    state.add_properties(record, run_id, start_properties(settings))
    lifecycle.move(record, run_id, state.RUNNING)
    _start_driver(record, run_id)
    return state.get(record, row["run_id"])


def start_properties(settings: dict) -> dict:
    """The parent's properties when it starts (run properties are strings)."""
    return {"primary_metric": settings["primary_metric"], "num_iterations": str(settings["max_trials"]),
            "task_type": settings["task"], "runTemplate": "automl_child", "azureml.runsource": RUN_TYPE,
            "featurization": settings["featurization"], "label_column_name": settings["label_column"]}


def check_data(settings: dict, training, validation) -> None:
    """Refuse data AutoML cannot train on, with a sentence saying what to change."""
    label = settings["label_column"]
    if not isinstance(training, pd.DataFrame):
        raise UserError(JOB, text.DATA_REQUIRED)
    if label not in training.columns:
        raise UserError(JOB, text.LABEL_MISSING.format(label=label, columns=", ".join(map(str, training.columns))))
    if training.empty or training.shape[1] < 2:
        raise UserError(JOB, text.DATA_EMPTY.format(label=label))
    nulls = int(training[label].isna().sum())
    if nulls:
        raise UserError(JOB, text.LABEL_HAS_NULLS.format(label=label, count=nulls))
    if settings["task"] == catalog.CLASSIFICATION and training[label].nunique() < 2:
        raise UserError(JOB, text.TOO_FEW_CLASSES.format(label=label, value=training[label].iloc[0]))
    if settings["task"] == catalog.FORECASTING:
        _check_series(settings, training, validation)
    elif settings["featurization"] == "off":
        featurize.check_off(training.drop(columns=[label]))
    if validation is not None:
        missing = [str(c) for c in training.columns if c not in validation.columns]
        if missing:
            raise UserError(JOB, text.VALIDATION_COLUMNS.format(columns=", ".join(missing)))
    folds = settings.get("n_cross_validations")
    if folds and folds > len(training):
        raise UserError(JOB, text.CV_TOO_MANY.format(folds=folds, rows=len(training)))


def _check_series(settings: dict, training, validation) -> None:
    """Forecasting data: dated rows, one per series and time, long enough for the lags and folds."""
    from sim.cloud.automl import forecasting

    forecasting.check_data(settings, training)
    if validation is not None:
        forecasting.check_data(settings, validation)
    else:
        spec = forecasting.spec_of(settings)
        plan = scoring.validation_plan(len(training), settings, False)
        forecasting.rolling_origins(spec, forecasting.with_times(spec, training), plan[1], settings["cv_step_size"])


def _data_folder(record, run_id: str):
    folder = jobs.job_folder(record, run_id) / "automl"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def load_data(record, run_id: str) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The training (and validation) data the run was submitted with."""
    folder = _data_folder(record, run_id)
    valid = folder / "validation.pkl"
    return pd.read_pickle(folder / "training.pkl"), (pd.read_pickle(valid) if valid.exists() else None)


def _report_guardrails(record, run_id: str, settings: dict, training, plan) -> None:
    label = settings["label_column"]
    # A forecast's time column becomes calendar features, not a category (it would look like an identifier).
    features = training.drop(columns=[label, settings.get("time_column") or label], errors="ignore")
    rails = featurize.guardrails(features, training[label], settings["task"], settings["featurization"],
                                 scoring.describe(plan))
    if settings["task"] == catalog.FORECASTING:
        rails.append(_frequency_rail(settings, training))
    files.upload_file(record, run_id, GUARDRAILS_FILE, _json_stream(rails))
    summary = ", ".join(f"{r['name']}: {r['result']}" for r in rails)
    log(record, run_id, f"Data guardrails: {summary}")


def _frequency_rail(settings: dict, training) -> dict:
    from sim.cloud.automl import forecasting

    spec = forecasting.spec_of(settings)
    period = forecasting.frequency(spec, forecasting.with_times(spec, training))
    return {"name": "Frequency detection", "result": featurize.DONE,
            "description": f"The time series were analyzed: one row every {period.freqstr} period; the forecast "
                           f"horizon is {settings['forecast_horizon']} periods.", "details": []}


def _json_stream(value):
    import io

    return io.BytesIO(json.dumps(value, indent=2, default=str).encode())


def guardrails(record, run_id: str) -> list[dict]:
    """The data guardrails reported for an AutoML run."""
    get(record, run_id)
    path = files.artifact_root(record, run_id) / GUARDRAILS_FILE
    return json.loads(path.read_text()) if path.exists() else []


def trials(record, run_id: str) -> list[dict]:
    """The service records of the run's trials, in iteration order."""
    rows = state.list_for(record, parent_run_id=run_id)
    return sorted(rows, key=lambda r: int(str(r["run_id"]).rsplit("_", 1)[-1]))


def best_trial(record, run_id: str, metric: str | None = None) -> tuple[str, float] | None:
    """(trial run id, score) of the completed trial with the best primary metric (or `metric`), read from the
    trials' own logged metrics (None when no completed trial logged it)."""
    metric = metric or get(record, run_id)["definition"]["automl"]["primary_metric"]
    best = None
    for row in trials(record, run_id):
        if row["status"] != state.COMPLETED:
            continue
        value = metrics.get_metrics(record, row["run_id"], metric).get(metric)
        if metrics.is_number(value) and scoring.better(metric, float(value), best and best[1]):
            best = (row["run_id"], float(value))
    return best


def log(record, run_id: str, line: str) -> None:
    """Add a line to the AutoML run's driver log (what `jobs.stream` and the Studio show)."""
    path = files.artifact_root(record, run_id) / LOG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"[{stamp}] {line}\n")


def cancel(record, run_id: str) -> None:
    """Cancel an AutoML run: no further trial starts; the trial running now is canceled with it."""
    row = get(record, run_id)
    if row["status"] in state.TERMINAL:
        return
    lifecycle.finish(record, run_id, state.CANCELED)
    deadline = time.monotonic() + 30
    pid = row["pid"]
    while pid and pid != os.getpid() and state.process_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)  # the driver sees the cancel between folds and stops
    for child in trials(record, run_id):
        if child["status"] not in state.TERMINAL:
            lifecycle.finish(record, child["run_id"], state.CANCELED)
    _reap()


def _start_driver(record, run_id: str) -> None:
    """The run's own process: it runs the trials with nobody watching (see `sim.cloud.automl.__main__`).

    Forked from this process's job host when one is up, which first imports what the driver needs
    (`pool.IMPORTS`: once, in the host, and kept there for the next run; seconds saved, more on a busy machine),
    else started as a new interpreter.
    """
    from sim import _jobhost
    from sim.cloud.automl import pool

    folder = jobs.job_folder(record, run_id)
    env = jobs.with_project_on_path(dict(os.environ))
    env.update({"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"})
    env.pop("MLFLOW_RUN_ID", None)
    _reap()
    args = [record.subscription_id, record.resource_group, record.name, run_id]
    pid = _jobhost.request_module("sim.cloud.automl", args, folder, env, folder / "driver.log",
                                  preload=pool.IMPORTS)
    if pid is not None:
        state.set_pid(record, run_id, pid)
        return
    jobs.warm_up()  # a host for the next run, started in the background
    with open(folder / "driver.log", "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "sim.cloud.automl", record.subscription_id,
                                 record.resource_group, record.name, run_id], env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    _drivers[run_id] = proc
    state.set_pid(record, run_id, proc.pid)


def _reap() -> None:
    # Collect the exit status of drivers that ended, so none lingers as a zombie of this process.
    for run_id, proc in list(_drivers.items()):
        if proc.poll() is not None:
            _drivers.pop(run_id, None)
