"""Model explanation of the best trial: permutation importance of each input column for the primary metric,
on up to 500 rows of the validation data (or of the training data), 3 shuffles per column, logged as the table
`feature_importance` and the file `outputs/explanation/feature_importance.json` of the best trial.

The sample is small because the best model is often an ensemble, whose every prediction asks all its members.
"""

from __future__ import annotations

import io
import json
import pickle

import numpy as np

from sim.cloud.automl import catalog, forecasting, scoring, trial
from sim.cloud.runs import files, metrics, state

SAMPLE_ROWS = 500
REPEATS = 3


def explain_best(record, child: str, settings: dict, train, valid) -> list[dict]:
    """Rank the best trial's input columns by permutation importance; returns [{feature, importance}, ...]."""
    from sklearn.inspection import permutation_importance

    model = pickle.loads((files.artifact_root(record, child) / trial.PICKLED_MODEL).read_bytes())
    if settings["task"] == catalog.FORECASTING:  # the forecaster's own features: calendar parts, lags, ...
        model, train = forecasting.explain_data(settings, model, train)
        valid = None
    data = (valid if valid is not None else train).sample(n=min(SAMPLE_ROWS, len(valid if valid is not None
                                                                                 else train)), random_state=0)
    label = settings["label_column"]
    x, y = data.drop(columns=[label]), data[label]
    result = permutation_importance(model, x, y, scoring=_scorer(settings, train[label]), n_repeats=REPEATS,
                                    random_state=0)
    ranked = sorted(zip(x.columns, result.importances_mean, result.importances_std, strict=True),
                    key=lambda r: -r[1])
    rows = [{"feature": str(f), "importance": float(m), "std": float(s)} for f, m, s in ranked]
    buffer = metrics.MetricJournal(record, child)
    buffer.add("feature_importance", "table", {"feature": [r["feature"] for r in rows],
                                               "importance": [r["importance"] for r in rows]})
    buffer.close()
    files.upload_file(record, child, "outputs/explanation/feature_importance.json",
                      io.BytesIO(json.dumps({"method": "permutation importance", "metric": settings["primary_metric"],
                                             "features": rows}, indent=2).encode()))
    state.add_properties(record, child, {"model_explanation": "True"})
    return rows


def _scorer(settings: dict, labels):
    """A scorer for the primary metric alone (greater is better, so error metrics are negated)."""
    metric, task = settings["primary_metric"], settings["task"]
    classes = np.array(sorted(labels.unique().tolist()))
    y_range = float(labels.max() - labels.min()) if task != catalog.CLASSIFICATION else 0.0

    def score(model, x, y):
        if task == catalog.CLASSIFICATION:
            proba = trial.probabilities(model, x, classes)
            value = scoring.classification(np.asarray(y), classes[np.argmax(proba, axis=1)], proba, classes,
                                           only=metric).get(metric, 0.0)
        else:
            value = scoring.regression(np.asarray(y, dtype=float), model.predict(x), y_range).get(metric, 0.0)
        return -value if metric in catalog.LOWER_IS_BETTER else value
    return score
