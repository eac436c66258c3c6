"""The fitted model of a forecasting trial: `ForecastingPipelineWrapper`, as Azure names it.

It keeps the series' history (time, series id columns, target) and the fitted regression pipeline over the
features `sim.cloud.automl.forecasting` builds: calendar parts of the time, the other columns, and the target's
lags and rolling mean counted back from the forecast origin. `forecast(X)` (and `predict(X)`) answers for rows
whose times lie within the forecast horizon after the end of the history of their series.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin


class ForecastingPipelineWrapper(RegressorMixin, BaseEstimator):
    """A forecaster: the history of each series plus a fitted pipeline over lag features.

    Args:
        pipeline: the fitted scikit-learn pipeline (datatransformer, scaler, model) over the features.
        spec: the forecast settings (time_column, label_column, forecast_horizon, time_series_id_columns,
            target_lags, target_rolling_window_size, frequency).
        history: the training rows' time, series ids and target.
    """

    def __init__(self, pipeline, spec: dict, history: pd.DataFrame):
        self.pipeline = pipeline
        self.spec = spec
        self.history = history

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def fit(self, x, y):
        """Not how a forecaster is refit here: submit a new AutoML forecasting job with the longer history."""
        raise NotImplementedError("A ForecastingPipelineWrapper is not refit in place in the simulator; submit a "
                                  "new AutoML forecasting job with the new data.")

    def forecast(self, X_pred: pd.DataFrame, y_pred=None, ignore_data_errors: bool = False):
        """(predictions, the features they were made from) for rows within the horizon after the history.

        Raises:
            ValueError: a row outside the forecast horizon, or of a series the model has not seen.
        """
        from sim.cloud.automl import forecasting

        rows = pd.DataFrame(X_pred).copy()
        rows = rows.drop(columns=[self.spec["label_column"]], errors="ignore")
        forecasting.check_forecast_rows(self.spec, self.history, rows)
        features = forecasting.future_features(self.spec, self.history, rows)
        return np.asarray(self.pipeline.predict(features), dtype=float), features

    def predict(self, X) -> np.ndarray:
        """The forecast for each row (see `forecast`)."""
        return self.forecast(X)[0]
