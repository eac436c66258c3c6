"""AutoML forecasting in the service's engine (sim.cloud.automl.forecasting): lag and rolling features, rolling-origin
validation, the forecaster a trial hands over, its refusals, and the v1 face's ForecastingParameters.

The driver is run in this process (its usual process start is left out), so each test shows the engine's work.
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from sim.cloud.errors import UserError

DAYS = 90


def sales(days: int = DAYS, seed: int = 0) -> pd.DataFrame:
    """Two stores' daily sales: a weekly cycle, a trend and noise; 'promo' is known in advance."""
    rng = np.random.default_rng(seed)
    parts = []
    for store, level in (("A", 100.0), ("B", 40.0)):
        t = np.arange(days)
        promo = rng.integers(0, 2, days)
        value = level + 12 * np.sin(2 * np.pi * t / 7) + 0.4 * t + 6 * promo + rng.normal(0, 1.5, days)
        parts.append(pd.DataFrame({"date": pd.date_range("2024-01-01", periods=days, freq="D").strftime("%Y-%m-%d"),
                                   "store": store, "promo": promo, "sales": value}))
    return pd.concat(parts, ignore_index=True)


@pytest.fixture
def record(dp100_home, monkeypatch):
    from sim.cloud import workspaces
    from sim.cloud.automl import engine

    monkeypatch.setattr(engine, "_start_driver", lambda record, run_id: None)  # driven in-process below
    return workspaces.create("00000000-0000-0000-0000-0000000000f1", "rg-forecast", "automl-forecast",
                             location="eastus")


SETTINGS = {"task": "forecasting", "label_column": "sales", "time_column": "date", "time_series_id_columns": ["store"],
            "forecast_horizon": 3, "target_lags": [1, 7], "target_rolling_window_size": 7, "n_cross_validations": 3,
            "enable_voting_ensemble": False, "enable_early_termination": False}


def _run(record, frame, run_id="AutoML_fc", **settings):
    from sim.cloud.automl import driver, engine
    from sim.cloud.runs import state

    engine.submit(record, "forecasts", {**SETTINGS, **settings}, frame, run_id=run_id)
    driver.drive(record, run_id)
    return state.get(record, run_id)


def _model(record, run_id):
    from sim.cloud.runs import files

    return pickle.loads((files.artifact_root(record, run_id) / "outputs/model.pkl").read_bytes())


def test_a_forecast_run_ranks_trials_by_nrmse_and_its_forecaster_predicts_the_horizon(record):
    from sim.cloud.automl import engine
    from sim.cloud.runs import metrics

    frame = sales()
    cut = pd.Timestamp("2024-01-01") + pd.Timedelta(days=DAYS - 3)
    train, future = frame[pd.to_datetime(frame.date) < cut], frame[pd.to_datetime(frame.date) >= cut]
    parent = _run(record, train, max_trials=3, max_concurrent_trials=2)
    assert parent["status"] == "Completed"
    trials = engine.trials(record, parent["run_id"])
    scores = {t["run_id"]: metrics.get_metrics(record, t["run_id"])["normalized_root_mean_squared_error"]
              for t in trials}
    best = parent["properties"]["best_child_run_id"]
    assert scores[best] == min(scores.values())  # lower is better for an error metric
    assert "mean_absolute_percentage_error" in metrics.get_metrics(record, best)
    forecaster = _model(record, best)
    assert type(forecaster).__name__ == "ForecastingPipelineWrapper"
    predicted, features = forecaster.forecast(future.drop(columns=["sales"]))
    assert {"sales_lag1", "sales_lag7", "sales_rolling_mean7", "date_dayofweek"} <= set(features.columns)
    error = np.sqrt(np.mean((predicted - future["sales"].to_numpy()) ** 2))
    assert error < 0.1 * (frame.sales.max() - frame.sales.min())  # the weekly cycle is really learned
    rails = {r["name"]: r for r in engine.guardrails(record, parent["run_id"])}
    assert "rolling-origin" in rails["Validation split handling"]["description"]
    assert "horizon is 3 periods" in rails["Frequency detection"]["description"]


def test_lag_features_read_the_target_before_the_forecast_origin():
    from sim.cloud.automl import forecasting

    frame = forecasting.with_times({"time_column": "date", "time_series_id_columns": ["store"]}, sales(20))
    spec = {"time_column": "date", "label_column": "sales", "forecast_horizon": 2, "time_series_id_columns": ["store"],
            "target_lags": [1, 3], "target_rolling_window_size": 2}
    out = forecasting.features(spec, frame, frame, pd.tseries.frequencies.to_offset("D"))
    store_b = frame.index[frame.store == "B"]
    row = store_b[10]  # origin: 2 days before; lag 1 is the origin's value, lag 3 two days before it
    assert out.loc[row, "sales_lag1"] == frame.loc[store_b[8], "sales"]
    assert out.loc[row, "sales_lag3"] == frame.loc[store_b[6], "sales"]
    assert out.loc[row, "sales_rolling_mean2"] == pytest.approx(frame.loc[store_b[7:9], "sales"].mean())
    assert np.isnan(out.loc[store_b[0], "sales_lag1"])  # nothing before the series starts (never store A's rows)


def test_rolling_origin_folds_validate_the_horizon_after_rows_they_fit_on():
    from sim.cloud.automl import forecasting

    spec = {"time_column": "date", "time_series_id_columns": ["store"], "forecast_horizon": 3}
    frame = forecasting.with_times(spec, sales(30))
    folds = forecasting.rolling_origins(spec, frame, folds=3, step=3)
    last_fit = [frame.date.iloc[fit].max() for fit, _ in folds]
    windows = [sorted(frame.date.iloc[valid].unique()) for _, valid in folds]
    assert all(len(w) == 3 and w[0] > end for w, end in zip(windows, last_fit, strict=True))
    assert windows[-1][-1] == frame.date.max() and windows[0][0] < windows[1][0] < windows[2][0]


def test_the_forecaster_refuses_times_outside_its_horizon_and_unknown_series(record):
    frame = sales(60)
    parent = _run(record, frame, max_trials=1, run_id="AutoML_fr", allowed=["DecisionTree"])
    forecaster = _model(record, parent["properties"]["best_child_run_id"])
    later = pd.DataFrame({"date": ["2024-03-10"], "store": ["A"], "promo": [0]})
    with pytest.raises(ValueError, match="not within the forecast horizon"):
        forecaster.predict(later)
    with pytest.raises(ValueError, match="no history for the series"):
        forecaster.predict(pd.DataFrame({"date": ["2024-03-01"], "store": ["C"], "promo": [0]}))
    assert len(forecaster.predict(pd.DataFrame({"date": ["2024-03-01", "2024-03-02"], "store": ["B", "B"],
                                                "promo": [1, 0]}))) == 2


@pytest.mark.parametrize(("change", "message"), [
    ({"settings": {"time_column": None}}, "needs the name of its time column"),
    ({"settings": {"forecast_horizon": 0}}, "forecast_horizon must be a whole number"),
    ({"settings": {"validation_size": 0.2, "n_cross_validations": None}}, "not on a random validation_size"),
    ({"settings": {"time_series_id_columns": []}}, "repeats a time within a series"),
    ({"settings": {"n_cross_validations": 20}}, "series are too short"),
    ({"settings": {"time_column": "day"}}, "The columns day are not in the training data"),
    ({"frame": lambda f: f.assign(date=f.date.where(f.index != 3, "someday"))}, "values that are not dates"),
])
def test_forecasting_settings_and_data_it_cannot_use_are_refused_at_submit(record, change, message):
    from sim.cloud.automl import engine
    from sim.cloud.runs import state

    frame = change.get("frame", lambda f: f)(sales(30))
    with pytest.raises(UserError, match=message):
        engine.submit(record, "forecasts", {**SETTINGS, **change.get("settings", {})}, frame, run_id="AutoML_no")
    assert state.get(record, "AutoML_no") is None


def test_v1_forecasting_parameters_reach_the_engine_and_unsimulated_ones_are_refused():
    import sim

    sim.activate()
    from azureml.automl.core.forecasting_parameters import ForecastingParameters
    from azureml.train.automl import AutoMLConfig

    params = ForecastingParameters(time_column_name="date", forecast_horizon=7, time_series_id_column_names="store",
                                   target_lags=[1, 7], target_rolling_window_size=7, freq="D")
    config = AutoMLConfig(task="forecasting", primary_metric="normalized_root_mean_squared_error",
                          label_column_name="sales", n_cross_validations=3, forecasting_parameters=params)
    settings = config.as_serializable_dict()
    assert config.is_timeseries and settings["time_column"] == "date" and settings["forecast_horizon"] == 7
    assert settings["time_series_id_columns"] == ["store"] and settings["target_lags"] == [1, 7]
    assert settings["enable_voting_ensemble"] and not settings["enable_stack_ensemble"]  # Azure's time-series default
    older = AutoMLConfig(task="forecasting", label_column_name="sales", time_column_name="date", max_horizon=2)
    assert older.as_serializable_dict()["forecast_horizon"] == 2
    with pytest.raises(NotImplementedError, match="country_or_region_for_holidays"):
        ForecastingParameters(time_column_name="date", country_or_region_for_holidays="US")
