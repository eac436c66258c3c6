"""Simulated `azureml.train.automl.automlconfig`: `AutoMLConfig`, the settings of an automated ML experiment.

The settings are checked when the config is made (as the SDK checks most of them); the data is read when the
experiment is submitted. Forecasting takes `forecasting_parameters=ForecastingParameters(...)` (or the older
keyword arguments `time_column_name`, `max_horizon`/`forecast_horizon`, `time_series_id_column_names`/
`grain_column_names`, `target_lags`, `target_rolling_window_size`, `freq`). Not simulated (a clear error): a
`FeaturizationConfig`, X/y arrays, `cv_splits_indices`, `spark_context`, weight columns. At most two trials
run at once (`max_concurrent_iterations` above 2 runs two).
"""

from __future__ import annotations

import uuid

import sim.cloud.automl.settings
import sim.cloud.automl.submitting
from sim import messages
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml._common.service_errors import v1_service

submitting = v1_service(sim.cloud.automl.submitting)  # the service runs the trials (in its own process or here)
automl_settings = v1_service(sim.cloud.automl.settings)
_UNSIMULATED = ("path", "spark_context", "X", "y", "sample_weight", "X_valid", "y_valid", "sample_weight_valid",
                "cv_splits_indices", "weight_column_name", "cv_split_column_names", "test_data")
# The older way to give forecasting settings: AutoMLConfig keyword arguments (-> ForecastingParameters names).
_FORECAST_KWARGS = {"time_column_name": "time_column_name", "max_horizon": "forecast_horizon",
                    "forecast_horizon": "forecast_horizon",
                    "time_series_id_column_names": "time_series_id_column_names",
                    "grain_column_names": "time_series_id_column_names", "target_lags": "target_lags",
                    "target_rolling_window_size": "target_rolling_window_size", "freq": "freq",
                    "cv_step_size": "cv_step_size"}


class AutoMLConfig:
    """An automated ML experiment: the task, the metric to optimize, the data, the limits and the models to try.

    Args:
        task: 'classification', 'regression' or 'forecasting'.
        primary_metric: the metric models are ranked by (see `utilities.get_primary_metrics`).
        training_data: a TabularDataset (or a pandas DataFrame) with the label column.
        validation_data: data to score each trial on (else cross-validation or validation_size).
        label_column_name: the column to predict.
        compute_target: where the trials run (a ComputeTarget or its name; 'local' by default).
        iterations: how many trials at most (1000 by default).
        experiment_timeout_minutes / experiment_timeout_hours: no trial starts after this time.
        iteration_timeout_minutes: a trial running longer is stopped.
        featurization: 'auto' (impute, encode, scale) or 'off'.
        blocked_models / allowed_models: algorithm names to skip / to keep to.
        enable_early_stopping: stop when the score has not improved for a while.
        model_explainability: explain the best model (permutation importance).
        enable_voting_ensemble / enable_stack_ensemble: end with a VotingEnsemble / StackEnsemble iteration
            (both on by default; stacking off by default for forecasting).
        forecasting_parameters: a ForecastingParameters (task 'forecasting').
    """

    def __init__(self, task, path=None, iterations=None, primary_metric=None, positive_label=None,
                 compute_target=None, spark_context=None, X=None, y=None, sample_weight=None, X_valid=None,
                 y_valid=None, sample_weight_valid=None, cv_splits_indices=None, validation_size=None,
                 n_cross_validations=None, y_min=None, y_max=None, num_classes=None, featurization="auto",
                 max_cores_per_iteration=1, max_concurrent_iterations=1, iteration_timeout_minutes=None,
                 mem_in_mb=None, enforce_time_on_windows=True, experiment_timeout_hours=None,
                 experiment_exit_score=None, enable_early_stopping=True, blocked_models=None,
                 blacklist_models=None, exclude_nan_labels=True, verbosity=20, enable_tf=False,
                 model_explainability=True, allowed_models=None, whitelist_models=None,
                 enable_onnx_compatible_models=False, enable_voting_ensemble=True, enable_stack_ensemble=None,
                 debug_log="automl.log", training_data=None, validation_data=None, test_data=None, test_size=None,
                 label_column_name=None, weight_column_name=None, cv_split_column_names=None,
                 enable_local_managed=False, enable_dnn=None, forecasting_parameters=None, **kwargs):
        given = locals()
        for name in _UNSIMULATED:
            if given[name] is not None:
                not_simulated(f"AutoMLConfig({name}=...)")
        if not isinstance(featurization, str):
            not_simulated("AutoMLConfig(featurization=FeaturizationConfig(...)); use 'auto' or 'off'")
        minutes = kwargs.pop("experiment_timeout_minutes", None)
        if experiment_timeout_hours is not None:
            minutes = experiment_timeout_hours * 60
        self.user_settings = {
            "task": task, "primary_metric": primary_metric, "label_column": label_column_name,
            "max_trials": iterations, "max_concurrent_trials": max_concurrent_iterations,
            "timeout_minutes": minutes, "trial_timeout_minutes": iteration_timeout_minutes,
            "exit_score": experiment_exit_score, "enable_early_termination": enable_early_stopping,
            "allowed": allowed_models or whitelist_models, "blocked": blocked_models or blacklist_models,
            "featurization": featurization, "n_cross_validations": n_cross_validations,
            "validation_size": validation_size, "model_explainability": model_explainability,
            "enable_voting_ensemble": enable_voting_ensemble, "enable_stack_ensemble": enable_stack_ensemble,
            **_forecast_settings(forecasting_parameters, kwargs)}
        self._settings = automl_settings.check(self.user_settings)  # bad settings are refused now
        self.training_data, self.validation_data = training_data, validation_data
        self.compute_target = compute_target
        self.name = kwargs.pop("name", None)
        self._extra = kwargs

    @property
    def is_timeseries(self):
        """True for a forecasting (time series) task."""
        return self._settings["task"] == "forecasting"

    def as_serializable_dict(self):
        """The settings as a dict."""
        return dict(self._settings)

    def _submit_to(self, experiment, tags=None, show_output=False, **kwargs):
        """Start the AutoML run in `experiment` (called by `Experiment.submit`); returns the AutoMLRun."""
        from sim.azureml.train.automl.run import AutoMLRun

        target = getattr(self.compute_target, "name", self.compute_target) or "local"
        row = submitting.submit_definition(
            experiment.workspace._record, experiment.name, self.user_settings, _reference(self.training_data),
            _reference(self.validation_data),
            run_id=f"AutoML_{uuid.uuid4()}", target=str(target), tags=tags, display_name=self.name)
        run = AutoMLRun(experiment, row["run_id"])
        if show_output:
            run.wait_for_completion(show_output=True)
        return run


def _forecast_settings(parameters, kwargs: dict) -> dict:
    """The engine's forecasting settings from a ForecastingParameters or the older keyword arguments (which
    are taken out of `kwargs`)."""
    from sim.azureml.automl.core.forecasting_parameters import ForecastingParameters

    older = {_FORECAST_KWARGS[k]: kwargs.pop(k) for k in list(kwargs) if k in _FORECAST_KWARGS}
    if parameters is None and not older:
        return {}
    if parameters is None:
        parameters = ForecastingParameters(**older)
    return {k: v for k, v in parameters.engine_settings().items() if v is not None}


def _reference(data) -> dict | None:
    """Where the service finds the data: a TabularDataset's definition (the service reads the files itself, as
    Azure does), or a DataFrame held here, sent as Parquet bytes (never pickled: the service does not unpickle
    what a kernel sends)."""
    from sim.azureml.exceptions import UserErrorException

    if data is None:  # no validation data (no training data is the service's to refuse, as for a v2 job)
        return None
    if hasattr(data, "to_pandas_dataframe") and isinstance(getattr(data, "_definition", None), dict):
        return {"tabular": data._definition}
    if hasattr(data, "columns") and hasattr(data, "to_parquet"):
        return {"parquet": _parquet_bytes(data)}
    raise UserErrorException(messages.AUTOML_DATA_KIND.format(type_name=type(data).__name__))


def _parquet_bytes(frame) -> bytes:
    """The DataFrame as Parquet bytes; a column Parquet cannot hold (mixed types) is refused with a sentence."""
    import io

    from sim.azureml.exceptions import UserErrorException

    out = io.BytesIO()
    try:
        frame.to_parquet(out, index=False)
    except (ValueError, TypeError, NotImplementedError) as exc:  # pyarrow's errors derive from these
        raise UserErrorException(messages.AUTOML_FRAME_NOT_PARQUET.format(problem=exc)) from None
    return out.getvalue()
