"""One AutoML trial: a featurization + scaler + scikit-learn model pipeline, validated, then refit on all the
training data and saved (as `outputs/model.pkl` and as an MLflow model in `outputs/mlflow-model/`)."""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from sim.cloud.automl import catalog, featurize, scoring

MLFLOW_MODEL = "outputs/mlflow-model"
PICKLED_MODEL = "outputs/model.pkl"


def pipeline_for(features: pd.DataFrame, settings: dict, step: tuple[str, str, dict]):
    """An unfitted scikit-learn Pipeline for a planned trial: datatransformer, scaler, model."""
    from sklearn.pipeline import Pipeline

    scaler_name, algorithm, params = step
    transformer = featurize.transformer(features, settings["featurization"], scaler_name)
    steps = [("datatransformer", transformer)] if settings["featurization"] != "off" else []
    steps += [(scaler_name, catalog.scaler(scaler_name)),
              (algorithm, catalog.estimator(settings["task"], algorithm, params))]
    return Pipeline(steps)


def validate(settings: dict, step, train: pd.DataFrame, valid: pd.DataFrame | None, plan) -> dict[str, float]:
    """The trial's metrics: its pipeline fitted and scored on each validation fold, averaged."""
    label = settings["label_column"]
    features, labels = train.drop(columns=[label]), train[label]
    if plan[0] == "data":
        folds = [(features, labels, valid.drop(columns=[label]), valid[label])]
    else:
        folds = [(features.iloc[a], labels.iloc[a], features.iloc[b], labels.iloc[b])
                 for a, b in scoring.splits(plan, features, labels, settings["task"])]
    classes = np.array(sorted(labels.unique().tolist()))
    y_range = float(labels.max() - labels.min()) if settings["task"] == catalog.REGRESSION else 0.0
    results = []
    for x_fit, y_fit, x_val, y_val in folds:
        model = pipeline_for(x_fit, settings, step).fit(x_fit, y_fit)
        results.append(evaluate(model, settings["task"], x_val, y_val, classes, y_range))
    return scoring.average(results)


def evaluate(model, task: str, x_val, y_val, classes, y_range: float) -> dict[str, float]:
    """A fitted model's metrics on one validation set."""
    predicted = model.predict(x_val)
    if task == catalog.REGRESSION:
        return scoring.regression(np.asarray(y_val, dtype=float), predicted, y_range)
    return scoring.classification(np.asarray(y_val), predicted, probabilities(model, x_val, classes), classes)


def probabilities(model, x_val, classes) -> np.ndarray:
    """The model's class probabilities laid out in the order of `classes` (a fold may miss a class)."""
    proba = model.predict_proba(x_val)
    out = np.zeros((len(x_val), len(classes)))
    for i, cls in enumerate(model.classes_):
        out[:, int(np.flatnonzero(classes == cls)[0])] = proba[:, i]
    return out


def fit_final(settings: dict, step, train: pd.DataFrame):
    """The trial's pipeline refit on all the training data (the model the trial hands over)."""
    label = settings["label_column"]
    features = train.drop(columns=[label])
    return pipeline_for(features, settings, step).fit(features, train[label])


def save(model, train: pd.DataFrame, label: str, upload_folder) -> None:
    """Save the fitted model: `outputs/model.pkl` and an MLflow sklearn model (`outputs/mlflow-model/`).

    Args:
        upload_folder: called with (name prefix, local folder) to store the files in the trial's run.
    """
    import mlflow.sklearn
    import sklearn
    from mlflow.models import infer_signature

    sample = train.drop(columns=[label]).head(20)
    # Integer columns are declared as doubles, so a scoring request with a missing value is not refused.
    sample = sample.astype({c: "float64" for c in sample.columns if pd.api.types.is_integer_dtype(sample[c])})
    with tempfile.TemporaryDirectory() as tmp:
        outputs = Path(tmp) / "outputs"
        outputs.mkdir()
        (outputs / "model.pkl").write_bytes(pickle.dumps(model))
        # Requirements given, not inferred: inference would re-import the model in a subprocess (seconds).
        mlflow.sklearn.save_model(model, str(outputs / "mlflow-model"),
                                  signature=infer_signature(sample, model.predict(sample)),
                                  serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_CLOUDPICKLE,
                                  pip_requirements=[f"scikit-learn=={sklearn.__version__}", "pandas", "numpy"])
        upload_folder("outputs", outputs)
