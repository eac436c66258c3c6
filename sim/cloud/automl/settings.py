"""An AutoML job's settings, checked and filled in with the service's defaults (both SDK faces build this dict).

Keys: task, primary_metric, label_column, max_trials, max_concurrent_trials, timeout_minutes,
trial_timeout_minutes, exit_score, enable_early_termination, allowed, blocked, featurization,
n_cross_validations, validation_size, model_explainability, enable_voting_ensemble, enable_stack_ensemble;
for forecasting also time_column, forecast_horizon, time_series_id_columns, target_lags,
target_rolling_window_size, cv_step_size, frequency (see `forecasting`).
Defaults as Azure's: 1000 trials, an experiment timeout of 6 days, early termination on, featurization 'auto',
explanation of the best model on, both ensembles on (stacking off for forecasting).
"""

from __future__ import annotations

from sim.cloud.automl import catalog, forecasting
from sim.cloud.automl import messages as text
from sim.cloud.errors import JOB, CloudError, UserError

DEFAULTS = {"max_trials": 1000, "max_concurrent_trials": 1, "timeout_minutes": 6 * 24 * 60,
            "trial_timeout_minutes": None, "exit_score": None, "enable_early_termination": True,
            "allowed": None, "blocked": [], "featurization": "auto", "n_cross_validations": None,
            "validation_size": None, "model_explainability": True, "enable_voting_ensemble": True,
            "enable_stack_ensemble": None}


def check(raw: dict) -> dict:
    """The settings with defaults filled in and every value checked.

    Raises:
        UserError: a bad task, metric, limit, algorithm name, validation or featurization setting.
        CloudError (NotSimulated, 501): only unsimulated algorithms allowed.
    """
    out = {**DEFAULTS, **{k: v for k, v in raw.items() if v is not None}}
    out["task"] = _task(out.get("task"))
    out["primary_metric"] = _metric(out["task"], out.get("primary_metric"))
    if not str(out.get("label_column") or "").strip():
        raise UserError(JOB, text.LABEL_REQUIRED)
    for limit in ("max_trials", "max_concurrent_trials", "timeout_minutes", "trial_timeout_minutes"):
        out[limit] = _positive(limit, out[limit])
    out["max_trials"] = int(out["max_trials"])
    out["allowed"], out["blocked"] = _algorithms(out["task"], out["allowed"], out["blocked"])
    out["featurization"] = _featurization(out["featurization"])
    out["n_cross_validations"], out["validation_size"] = _validation(out["n_cross_validations"],
                                                                     out["validation_size"])
    out["enable_early_termination"] = bool(out["enable_early_termination"])
    out["model_explainability"] = bool(out["model_explainability"])
    if out["task"] == catalog.FORECASTING:
        forecasting.check_settings(out)
    out["enable_voting_ensemble"] = bool(out["enable_voting_ensemble"])
    # Azure leaves stacking off for time series unless asked: its meta-learner overfits short series.
    stack = out["enable_stack_ensemble"]
    out["enable_stack_ensemble"] = out["task"] != catalog.FORECASTING if stack is None else bool(stack)
    return out


def _task(task) -> str:
    name = str(task or "").lower()
    if name not in catalog.TASKS:
        raise UserError(JOB, text.TASK_INVALID.format(task=task))
    return name


def _metric(task: str, metric) -> str:
    if metric in (None, ""):
        return catalog.DEFAULT_METRIC[task]
    for name in catalog.METRICS[task]:
        if catalog.metric_key(name) == catalog.metric_key(metric):
            return name
    raise UserError(JOB, text.METRIC_INVALID.format(metric=metric, task=task,
                                                    choices=", ".join(catalog.METRICS[task])))


def _positive(limit: str, value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise UserError(JOB, text.LIMIT_INVALID.format(limit=limit, value=value))
    return value


def _algorithms(task: str, allowed, blocked) -> tuple[list | None, list]:
    known = catalog.all_names(task)
    names = {catalog.metric_key(n): n for n in known}
    def canonical(values):
        out = []
        for value in values or []:
            name = names.get(catalog.metric_key(value))
            if name is None:
                raise UserError(JOB, text.ALGORITHM_UNKNOWN.format(name=value, task=task, choices=", ".join(known)))
            out.append(name)
        return out
    allowed, blocked = (canonical(allowed) or None), canonical(blocked)
    simulated = ", ".join(catalog.SIMULATED[task])
    if allowed and not [n for n in allowed if n in catalog.SIMULATED[task]]:
        raise CloudError(JOB, text.ONLY_UNSIMULATED.format(names=", ".join(allowed), choices=simulated),
                         code="NotSimulated", status=501)
    if not catalog.trials(task, allowed, blocked):
        raise UserError(JOB, text.NOTHING_LEFT.format(task=task, choices=simulated))
    return allowed, blocked


def _featurization(mode) -> str:
    name = str(mode or "auto").lower()
    if name not in ("auto", "off"):
        raise UserError(JOB, text.FEATURIZATION_INVALID.format(mode=mode))
    return name


def _validation(folds, size) -> tuple[int | None, float | None]:
    if isinstance(folds, str) and folds.lower() == "auto":
        folds = None
    if folds is not None and (isinstance(folds, bool) or not isinstance(folds, int) or folds < 2):
        raise UserError(JOB, text.CV_INVALID.format(value=folds))
    if size is not None and (isinstance(size, bool) or not isinstance(size, int | float) or not 0 < size < 1):
        raise UserError(JOB, text.SIZE_INVALID.format(value=size))
    if folds is not None and size is not None:
        raise UserError(JOB, text.CV_AND_SIZE)
    return folds, size
