"""Simulated `azureml.train.automl.utilities`: the primary metrics each task accepts."""

from __future__ import annotations

from sim.cloud.automl import catalog


def get_primary_metrics(task):
    """The primary metrics AutoML accepts for a task ('classification', 'regression' or 'forecasting').

    Raises:
        ValueError: an unknown task.
    """
    name = str(task).lower()
    if name == catalog.FORECASTING:
        return list(catalog.METRICS[catalog.REGRESSION])  # forecasting ranks models by the regression metrics
    if name not in catalog.METRICS:
        raise ValueError(f"Task '{task}' is not an AutoML task; use 'classification', 'regression' or "
                         "'forecasting'.")
    return list(catalog.METRICS[name])
