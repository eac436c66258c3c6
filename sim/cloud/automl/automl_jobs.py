"""SDK v2 AutoML jobs (`automl.classification(...)`, `automl.regression(...)`, `automl.forecasting(...)` with
`set_forecast_settings`): an AutoMLJob run by the engine.

The job as submitted (Azure's AutoMLJob properties: `taskDetails` with `taskType`, `primaryMetric`,
`targetColumnName`, `trainingData`, `validationData`, `nCrossValidations`, `validationDataSize`,
`featurizationSettings`, `limitSettings`, `trainingSettings`) is kept as the parent run's definition, beside the
engine's checked settings (`automl`). The training data is an MLTable (a data asset or a datastore folder), read
when the job is submitted. Its trials are the parent's children `<job>_<n>`, listed by
`jobs.list(parent_job_name=...)`; the best one's model is at
`azureml://jobs/<best child>/outputs/artifacts/paths/outputs/mlflow-model/`.
"""

from __future__ import annotations

from sim.cloud import command_jobs, data_uris, mltables
from sim.cloud.automl import engine
from sim.cloud.automl import messages as text
from sim.cloud.errors import JOB, NotFound, UserError
from sim.cloud.runs import state

JOB_TYPE = "AutoML"


def is_automl_job(row: dict | None) -> bool:
    """True for the service record of an AutoML job."""
    return bool(row) and (row.get("definition") or {}).get("jobType") == JOB_TYPE


def get(record, name: str) -> dict:
    """The service record of an AutoML job (NotFound when there is none)."""
    row = state.get(record, name)
    if not is_automl_job(row):
        raise NotFound(JOB, text.NOT_AUTOML.format(name=name))
    return engine.get(record, name)


def list_jobs(record) -> list[dict]:
    """Every AutoML job of the workspace, newest first."""
    rows = [r for r in state.list_for(record) if is_automl_job(r)]
    return sorted(rows, key=lambda r: r["created"], reverse=True)


def cancel(record, name: str) -> None:
    """Cancel an AutoML job and its running trial."""
    get(record, name)
    engine.cancel(record, name)


def submit(record, name: str, job: dict) -> dict:
    """Create an AutoML job from Azure's AutoMLJob properties and start it; returns its service record.

    Raises:
        Conflict: a job of that name exists. UserError / NotFound: settings or data the service cannot use.
        CloudError (NotSimulated): only unsimulated algorithms allowed.
    """
    task = job.get("taskDetails") or {}
    settings = settings_of(task)
    training = read_table(record, task.get("trainingData"))
    validation = read_table(record, task["validationData"]) if task.get("validationData") else None
    compute = str(job.get("computeId") or "local").rsplit("/", 1)[-1]
    return engine.submit(record, job.get("experimentName") or "Default", settings, training, validation,
                         run_id=name, target=compute, definition=dict(job, jobType=JOB_TYPE),
                         tags=job.get("tags"), display_name=job.get("displayName") or name)


def settings_of(task: dict) -> dict:
    """The engine's settings for an AutoMLJob's `taskDetails`."""
    limits = task.get("limitSettings") or {}
    training = task.get("trainingSettings") or {}
    folds = task.get("nCrossValidations") or {}
    return {"task": task.get("taskType"), "primary_metric": task.get("primaryMetric"),
            "label_column": task.get("targetColumnName"), "max_trials": limits.get("maxTrials"),
            "max_concurrent_trials": limits.get("maxConcurrentTrials"),
            "timeout_minutes": _minutes(limits.get("timeout")),
            "trial_timeout_minutes": _minutes(limits.get("trialTimeout")), "exit_score": limits.get("exitScore"),
            "enable_early_termination": limits.get("enableEarlyTermination"),
            "allowed": training.get("allowedTrainingAlgorithms"),
            "blocked": training.get("blockedTrainingAlgorithms"),
            "model_explainability": training.get("enableModelExplainability"),
            "enable_voting_ensemble": training.get("enableVoteEnsemble"),
            "enable_stack_ensemble": training.get("enableStackEnsemble"),
            "featurization": (task.get("featurizationSettings") or {}).get("mode"),
            "n_cross_validations": folds.get("value") if str(folds.get("mode")).lower() == "custom" else None,
            "validation_size": task.get("validationDataSize"), **forecast_settings_of(task)}


def forecast_settings_of(task: dict) -> dict:
    """The engine's forecasting settings from a Forecasting task's `forecastingSettings` ({} for other tasks).
    A setting in 'Auto' mode is passed as 'auto' (the engine says what that means here)."""
    forecast = task.get("forecastingSettings")
    if str(task.get("taskType") or "").lower() != "forecasting" or not forecast:
        return {}

    def custom(key: str, field: str = "value"):
        value = forecast.get(key) or {}
        return "auto" if str(value.get("mode")).lower() == "auto" else value.get(field)
    return {"time_column": forecast.get("timeColumnName"), "forecast_horizon": custom("forecastHorizon"),
            "time_series_id_columns": forecast.get("timeSeriesIdColumnNames"),
            "target_lags": custom("targetLags", "values"),
            "target_rolling_window_size": custom("targetRollingWindowSize"),
            "cv_step_size": forecast.get("cvStepSize"), "frequency": forecast.get("frequency")}


def _minutes(duration) -> float | None:
    seconds = command_jobs.timeout_seconds({"timeout": duration})
    return None if seconds is None else seconds / 60


def read_table(record, spec: dict | None):
    """The DataFrame an MLTable job input reads (a data asset `azureml:<name>:<version>` or a folder URI).

    Raises:
        UserError: no input, not an MLTable, or an MLTable folder that cannot be read.
    """
    if not spec or not spec.get("uri"):
        raise UserError(JOB, text.DATA_REQUIRED)
    if str(spec.get("jobInputType") or "mltable").lower() != "mltable":
        raise UserError(JOB, text.INPUT_NOT_MLTABLE.format(kind=spec.get("jobInputType")))
    folder = data_uris.datastore_path(record, spec["uri"]).local_path
    return mltables.read(folder, mltables.read_spec(folder))
