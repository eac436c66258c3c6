"""`fairlearn.metrics._group_metric_set._create_group_metric_set`, which fairlearn 0.7 had and later releases dropped.

Microsoft's fairness notebooks pin fairlearn 0.7 and build the dashboard dictionary with it; the project runs the
current fairlearn (0.7 does not install on its numpy and pandas), so this module serves that one function, computing
every metric with the installed fairlearn's `MetricFrame`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from fairlearn.metrics import (
    MetricFrame,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_negative_rate,
    true_positive_rate,
)
from sklearn import metrics as skm

from sim import messages

_PREDICTION_TYPES = {"binary_classification": "binaryClassification", "regression": "regression",
                     "probability": "probability"}

_BINARY_METRICS = {
    "accuracy_score": skm.accuracy_score,
    "balanced_accuracy_score": skm.balanced_accuracy_score,
    "precision_score": lambda t, p: skm.precision_score(t, p, zero_division=0),
    "recall_score": lambda t, p: skm.recall_score(t, p, zero_division=0),
    "f1_score": lambda t, p: skm.f1_score(t, p, zero_division=0),
    "selection_rate": selection_rate,
    "false_positive_rate": false_positive_rate,
    "false_negative_rate": false_negative_rate,
    "true_positive_rate": true_positive_rate,
    "true_negative_rate": true_negative_rate,
}
_REGRESSION_METRICS = {
    "mean_absolute_error": skm.mean_absolute_error,
    "mean_squared_error": skm.mean_squared_error,
    "r2_score": skm.r2_score,
    "mean_prediction": lambda t, p: float(np.mean(p)),
}


def metrics_for(prediction_type: str) -> dict:
    """The metrics a dashboard of this prediction type shows, by their dashboard names."""
    return _BINARY_METRICS if prediction_type == "binary_classification" else _REGRESSION_METRICS


def _feature_bins(name, values) -> tuple[dict, np.ndarray]:
    labels = pd.Series(np.asarray(values).ravel()).astype(str)
    bins = sorted(labels.unique())
    vector = labels.map({label: i for i, label in enumerate(bins)}).to_numpy()
    return {"featureBinName": str(name), "binLabels": bins, "binVector": vector.tolist()}, labels.to_numpy()


def _model_metrics(y_true, y_pred, groups, metrics: dict) -> dict:
    frame = MetricFrame(metrics=metrics, y_true=y_true, y_pred=y_pred, sensitive_features=groups)
    by_group = frame.by_group.sort_index()
    return {name: {"global": float(frame.overall[name]), "bins": [float(v) for v in by_group[name]]}
            for name in metrics}


def _check(y_true, predictions, sensitive_features, prediction_type) -> None:
    problem = None
    if prediction_type not in _PREDICTION_TYPES:
        problem = f"prediction_type '{prediction_type}' is not one of {sorted(_PREDICTION_TYPES)}"
    elif not isinstance(predictions, dict) or not predictions:
        problem = "predictions must be a non-empty dict {model id: predicted labels}"
    elif not isinstance(sensitive_features, dict) or not sensitive_features:
        problem = "sensitive_features must be a non-empty dict {feature name: values}"
    else:
        lengths = {len(y_true)} | {len(np.asarray(v).ravel()) for v in predictions.values()} \
            | {len(np.asarray(v).ravel()) for v in sensitive_features.values()}
        if len(lengths) > 1:
            problem = ("y_true, every prediction and every sensitive feature must have one value per row "
                       f"(got lengths {sorted(lengths)})")
    if problem:
        raise ValueError(messages.DASHBOARD_DICT_INVALID.format(problem=problem))


def _create_group_metric_set(y_true, predictions, sensitive_features, prediction_type):
    """The fairness dashboard dictionary: each model's metrics overall and for each sensitive group."""
    y_true = np.asarray(y_true).ravel()
    _check(y_true, predictions, sensitive_features, prediction_type)
    metrics = metrics_for(prediction_type)
    names = list(predictions)
    bins, computed = [], []
    for feature, values in sensitive_features.items():
        feature_bins, groups = _feature_bins(feature, values)
        bins.append(feature_bins)
        computed.append([_model_metrics(y_true, np.asarray(predictions[m]).ravel(), groups, metrics)
                         for m in names])
    return {"schemaType": "dashboardDictionary", "schemaVersion": 0,
            "predictionType": _PREDICTION_TYPES[prediction_type], "trueY": y_true.tolist(),
            "predictedY": [np.asarray(predictions[m]).ravel().tolist() for m in names],
            "modelNames": [str(m) for m in names], "precomputedFeatureBins": bins, "precomputedMetrics": computed}
