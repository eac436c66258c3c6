"""Simulated `azureml.automl.core.forecasting_parameters`: the settings of an AutoML forecasting task.

What the simulated service honours: time_column_name, forecast_horizon, time_series_id_column_names,
target_lags, target_rolling_window_size, freq and cv_step_size (see `sim.cloud.automl.forecasting`). The
others (feature lags, holidays, seasonality, STL, short-series handling, aggregation, features unknown at
forecast time) are refused with a clear error when set, rather than ignored.
"""

from __future__ import annotations

from sim.azureml._common.not_simulated import not_simulated

_UNSIMULATED = ("feature_lags", "seasonality", "country_or_region_for_holidays", "use_stl",
                "target_aggregation_function", "features_unknown_at_forecast_time")


class ForecastingParameters:
    """The forecasting settings of an AutoMLConfig(task='forecasting', forecasting_parameters=...).

    Args:
        time_column_name: the column holding each row's date or time (required).
        forecast_horizon: how many periods ahead the model forecasts (1 by default; 'auto' is 1 here).
        time_series_id_column_names: the columns that tell several series in one table apart.
        target_lags: the target's values this many periods before the forecast origin, as features ('auto': 1).
        target_rolling_window_size: the mean of the target over this many periods up to the origin ('auto': 3).
        freq: the series' frequency as a pandas offset alias ('D', 'W', 'MS', ...); inferred when None.
        cv_step_size: periods between two rolling origins of the cross-validation (the horizon by default).
    """

    def __init__(self, time_column_name=None, forecast_horizon=1, time_series_id_column_names=None,
                 group_column_names=None, target_lags=None, feature_lags=None, target_rolling_window_size=None,
                 seasonality=None, country_or_region_for_holidays=None, use_stl=None,
                 short_series_handling_configuration="auto", freq=None, target_aggregation_function=None,
                 cv_step_size=None, features_unknown_at_forecast_time=None, validate_parameters=True):
        given = locals()
        for name in _UNSIMULATED:
            if given[name] not in (None, "auto"):
                not_simulated(f"ForecastingParameters({name}=...)")
        if group_column_names is not None:
            not_simulated("ForecastingParameters(group_column_names=...)")
        self.time_column_name = time_column_name
        self.forecast_horizon = forecast_horizon
        ids = time_series_id_column_names
        self.time_series_id_column_names = [ids] if isinstance(ids, str) else ids
        self.target_lags = target_lags
        self.target_rolling_window_size = target_rolling_window_size
        self.freq = freq
        self.cv_step_size = cv_step_size
        self.short_series_handling_configuration = short_series_handling_configuration

    def engine_settings(self) -> dict:
        """The settings the service's AutoML engine reads (its own key names)."""
        return {"time_column": self.time_column_name, "forecast_horizon": self.forecast_horizon,
                "time_series_id_columns": self.time_series_id_column_names, "target_lags": self.target_lags,
                "target_rolling_window_size": self.target_rolling_window_size, "frequency": self.freq,
                "cv_step_size": self.cv_step_size}
