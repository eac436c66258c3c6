"""AutoML forecasting (`task='forecasting'`): scikit-learn regression models over lag features, honest and small.

Settings (beside the engine's): time_column (required), forecast_horizon (periods, 1 by default; 'auto' is 1
here), time_series_id_columns (several series in one table), target_lags (periods, a list; 'auto' is [1]; none
by default, as Azure), target_rolling_window_size (periods; 'auto' is 3), cv_step_size (periods between the
rolling origins; the horizon by default), frequency (a pandas offset alias such as 'D' or 'MS'; inferred when
absent).

Each row is predicted from what is known at its forecast origin, `forecast_horizon` periods before it: the
calendar parts of its time (year, month, day, day of week, hour when the data has hours), its other columns,
the target's lag k (the value k periods before the origin) and the mean of the last `window` values up to
the origin. Training rows whose lags reach before the start of their series are left out. Trials are
validated with rolling-origin folds: each fold forecasts the horizon after its origin from the rows before it.
Not simulated (clear errors): Azure's time-series models (ARIMA, Prophet, ...), aggregation of duplicate
times, holiday features, short-series padding, feature lags.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.cloud.automl import messages as text
from sim.cloud.errors import JOB, UserError

DEFAULT_LAGS, DEFAULT_WINDOW = [1], 3  # what 'auto' means here


def check_settings(out: dict) -> dict:
    """The forecast settings checked and completed (in place); the engine's settings dict is returned."""
    if not str(out.get("time_column") or "").strip():
        raise UserError(JOB, text.TIME_COLUMN_REQUIRED)
    out["forecast_horizon"] = _periods("forecast_horizon", out.get("forecast_horizon"), 1)
    out["target_lags"] = _lags(out.get("target_lags"))
    window = out.get("target_rolling_window_size")
    out["target_rolling_window_size"] = None if window is None else _periods("target_rolling_window_size",
                                                                            window, DEFAULT_WINDOW)
    out["cv_step_size"] = _periods("cv_step_size", out.get("cv_step_size"), out["forecast_horizon"])
    ids = out.get("time_series_id_columns") or []
    out["time_series_id_columns"] = [ids] if isinstance(ids, str) else list(ids)
    if out.get("validation_size"):
        raise UserError(JOB, text.FORECAST_NO_SPLIT)
    return out


def _periods(name: str, value, default: int) -> int:
    if value is None or (isinstance(value, str) and value.lower() == "auto"):
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UserError(JOB, text.FORECAST_PERIODS.format(name=name, value=value))
    return value


def _lags(value) -> list[int]:
    if value is None:
        return []
    if isinstance(value, str) and value.lower() == "auto":
        return list(DEFAULT_LAGS)
    values = value if isinstance(value, list | tuple) else [value]
    return sorted({_periods("target_lags", v, 1) for v in values})


def spec_of(settings: dict) -> dict:
    """The part of the settings a forecaster needs to build its features."""
    keys = ("time_column", "label_column", "forecast_horizon", "time_series_id_columns", "target_lags",
            "target_rolling_window_size", "frequency")
    return {k: settings.get(k) for k in keys}


# ---- the data -------------------------------------------------------------------------------------------

def check_data(settings: dict, frame: pd.DataFrame) -> None:
    """Refuse a table that cannot be forecast: no time column, times that are not dates, duplicate times."""
    time_column, ids = settings["time_column"], settings["time_series_id_columns"]
    missing = [c for c in [time_column, *ids] if c not in frame.columns]
    if missing:
        raise UserError(JOB, text.FORECAST_COLUMNS_MISSING.format(columns=", ".join(missing),
                                                                 found=", ".join(map(str, frame.columns))))
    times = pd.to_datetime(frame[time_column], errors="coerce")
    if times.isna().any():
        raise UserError(JOB, text.FORECAST_BAD_TIMES.format(column=time_column, count=int(times.isna().sum())))
    if frame.assign(**{time_column: times}).duplicated([*ids, time_column]).any():
        raise UserError(JOB, text.FORECAST_DUPLICATE_TIMES.format(column=time_column))


def with_times(spec: dict, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its time column parsed, sorted by series and time."""
    out = frame.copy()
    out[spec["time_column"]] = pd.to_datetime(out[spec["time_column"]])
    return out.sort_values([*spec["time_series_id_columns"], spec["time_column"]]).reset_index(drop=True)


def frequency(spec: dict, frame: pd.DataFrame):
    """The series' period: the `frequency` setting, else inferred from the first series' times."""
    if spec.get("frequency"):
        return pd.tseries.frequencies.to_offset(spec["frequency"])
    ids = spec["time_series_id_columns"]
    first = frame[(frame[ids] == frame[ids].iloc[0]).all(axis=1)] if ids else frame
    times = pd.DatetimeIndex(sorted(first[spec["time_column"]].unique()))
    inferred = pd.infer_freq(times) if len(times) >= 3 else None
    if inferred:
        return pd.tseries.frequencies.to_offset(inferred)
    steps = pd.Series(times[1:] - times[:-1])
    if steps.empty:
        raise UserError(JOB, text.FORECAST_TOO_SHORT.format(rows=len(times), needed=3))
    return pd.tseries.frequencies.to_offset(steps.mode().iloc[0])


def features(spec: dict, frame: pd.DataFrame, known: pd.DataFrame, period) -> pd.DataFrame:
    """The model's input for each row of `frame` (label dropped): calendar parts, other columns, lags, rolling
    mean, read from the target values in `known` (time, ids, label)."""
    time_column, label, horizon = spec["time_column"], spec["label_column"], spec["forecast_horizon"]
    out = frame.drop(columns=[label, time_column], errors="ignore").copy()
    times = frame[time_column]
    out[f"{time_column}_year"], out[f"{time_column}_month"] = times.dt.year, times.dt.month
    out[f"{time_column}_day"], out[f"{time_column}_dayofweek"] = times.dt.day, times.dt.dayofweek
    if (times.dt.hour != 0).any() or (known[time_column].dt.hour != 0).any():
        out[f"{time_column}_hour"] = times.dt.hour
    for lag in spec["target_lags"]:
        out[f"{label}_lag{lag}"] = _value_before(spec, frame, known, period, horizon + lag - 1)
    window = spec.get("target_rolling_window_size")
    if window:
        values = np.column_stack([_value_before(spec, frame, known, period, horizon + back) for back in range(window)])
        out[f"{label}_rolling_mean{window}"] = values.mean(axis=1)  # NaN when the window reaches before the data
    return out


def _value_before(spec: dict, frame: pd.DataFrame, known: pd.DataFrame, period, periods: int) -> np.ndarray:
    """The target `periods` periods before each row's time, in the row's series (NaN where unknown)."""
    keys = [*spec["time_series_id_columns"], spec["time_column"]]
    probe = frame[keys].copy()
    probe[spec["time_column"]] = probe[spec["time_column"]] - periods * period
    found = probe.merge(known[[*keys, spec["label_column"]]], on=keys, how="left")
    return found[spec["label_column"]].to_numpy(dtype=float)


def engineered_columns(spec: dict) -> list[str]:
    """The names of the lag and rolling-mean columns (a training row needs all of them known)."""
    label = spec["label_column"]
    names = [f"{label}_lag{lag}" for lag in spec["target_lags"]]
    window = spec.get("target_rolling_window_size")
    return names + ([f"{label}_rolling_mean{window}"] if window else [])


def rolling_origins(spec: dict, frame: pd.DataFrame, folds: int, step: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(fit rows, validation rows) of each rolling-origin fold, oldest first: a fold validates the horizon's
    periods after its origin and fits on every row before them."""
    times = np.sort(frame[spec["time_column"]].unique())
    horizon = spec["forecast_horizon"]
    needed = folds * step + horizon + 2
    if len(times) < needed:
        raise UserError(JOB, text.FORECAST_TOO_SHORT.format(rows=len(times), needed=needed))
    out = []
    for k in reversed(range(folds)):
        end = len(times) - k * step
        window = times[end - horizon:end]
        fit = np.flatnonzero(frame[spec["time_column"]] < window[0])
        valid = np.flatnonzero(frame[spec["time_column"]].isin(window))
        out.append((fit, valid))
    return out


# ---- forecasting with a fitted model ------------------------------------------------------------------------

def check_forecast_rows(spec: dict, history: pd.DataFrame, rows: pd.DataFrame) -> None:
    """Refuse rows a forecaster cannot answer (outside the horizon after their series' history, or unknown)."""
    check_data({"time_column": spec["time_column"], "time_series_id_columns": spec["time_series_id_columns"]},
               rows)
    period = frequency(spec, history)
    ids, time_column = spec["time_series_id_columns"], spec["time_column"]
    for _, row in rows.iterrows():
        same = history[(history[ids] == row[ids]).all(axis=1)] if ids else history
        end = same[time_column].max() if len(same) else None
        if end is None:
            raise ValueError(text.FORECAST_UNKNOWN_SERIES.format(series=dict(row[ids])))
        last = end + spec["forecast_horizon"] * period
        when = pd.Timestamp(row[time_column])
        if not end < when <= last:
            raise ValueError(text.FORECAST_OUT_OF_HORIZON.format(time=when, start=end, end=last,
                                                                horizon=spec["forecast_horizon"]))


def future_features(spec: dict, history: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """The features of rows to forecast, read from the history."""
    frame = rows.copy()
    frame[spec["time_column"]] = pd.to_datetime(frame[spec["time_column"]])
    return features(spec, frame, history, frequency(spec, history))


# ---- the trials' shared data ----------------------------------------------------------------------------

def prepare(settings: dict, train: pd.DataFrame, valid: pd.DataFrame | None, plan):
    """The forecasting run's `trial.Prepared`: features built once, rolling-origin (or validation data) folds."""
    from sim.cloud.automl import trial

    spec = spec_of(settings)
    label, keys = spec["label_column"], [*spec["time_series_id_columns"], spec["time_column"]]
    train = with_times(spec, train)
    history, period = train[[*keys, label]], frequency(spec, train)
    x_all, known_rows = _usable(spec, features(spec, train, history, period))
    if plan[0] == "data":
        valid = with_times(spec, valid)
        x_val, valid_rows = _usable(spec, features(spec, valid, pd.concat([history, valid[[*keys, label]]]), period))
        pairs = [(x_all[known_rows], train[label][known_rows], x_val[valid_rows], valid[label][valid_rows],
                  np.flatnonzero(valid_rows))]
    else:
        pairs = [(x_all.iloc[fit[known_rows[fit]]], train[label].iloc[fit[known_rows[fit]]],
                  x_all.iloc[val[known_rows[val]]], train[label].iloc[val[known_rows[val]]], val[known_rows[val]])
                 for fit, val in rolling_origins(spec, train, plan[1], settings["cv_step_size"])]
    folds = [trial._featurized_fold(settings, *pair) for pair in pairs]
    usable = x_all[known_rows]
    transformer, x_matrix = trial._featurize(settings, usable, usable)
    labels = train[label][known_rows]
    sample = train.drop(columns=[label]).head(20)
    return trial.Prepared(settings, folds, np.array([]), float(labels.max() - labels.min()), transformer, x_matrix,
                          labels, sample, extra={"spec": spec, "history": history, "features": usable})


def _usable(spec: dict, frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The features, and which rows have every lag and rolling value known (only those train or validate)."""
    engineered = engineered_columns(spec)
    known = frame[engineered].notna().all(axis=1).to_numpy() if engineered else np.ones(len(frame), dtype=bool)
    if not known.any():
        raise UserError(JOB, text.FORECAST_TOO_SHORT.format(rows=len(frame), needed=len(frame) + 1))
    return frame, known


def wrap(prepared, pipeline):
    """The forecaster a trial hands over: its fitted pipeline with the series' history."""
    from sim.cloud.automl.forecasting_model import ForecastingPipelineWrapper

    return ForecastingPipelineWrapper(pipeline, prepared.extra["spec"], prepared.extra["history"])


def explain_data(settings: dict, model, train: pd.DataFrame) -> tuple[object, pd.DataFrame]:
    """(the forecaster's inner pipeline, its features with the label): what permutation importance reads."""
    spec = spec_of(settings)
    frame = with_times(spec, train)
    history = frame[[*spec["time_series_id_columns"], spec["time_column"], spec["label_column"]]]
    x, known = _usable(spec, features(spec, frame, history, frequency(spec, frame)))
    return model.pipeline, x[known].assign(**{spec["label_column"]: frame[spec["label_column"]][known]})
