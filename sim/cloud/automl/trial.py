"""One AutoML trial: a datatransformer + scaler + scikit-learn model pipeline, validated, then refit on all the
training data and saved (as `outputs/model.pkl` and as an MLflow model in `outputs/mlflow-model/`).

The data every trial shares is prepared once per run (`prepare`): the validation folds, and the featurization
(imputation, one-hot encoding) fitted once per fold and once on all the training data, since it does not depend
on the trial. Each trial still fits its own scaler and model on every fold and on all the data.
"""

from __future__ import annotations

import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.cloud.automl import catalog, featurize, scoring

MLFLOW_MODEL = "outputs/mlflow-model"
PICKLED_MODEL = "outputs/model.pkl"


@dataclass
class Fold:
    """One validation fold, featurized: the rows to fit on and the rows to score, and their positions."""

    x_fit: object
    y_fit: pd.Series
    x_val: object
    y_val: pd.Series
    rows_val: np.ndarray  # positions of the validation rows (in the training data, or in the validation data)


@dataclass
class Prepared:
    """What every trial of a run shares: its settings, folds, classes and the featurization fitted on all rows."""

    settings: dict
    folds: list[Fold]
    classes: np.ndarray
    y_range: float
    transformer: object  # the datatransformer fitted on all the training data (None: featurization 'off')
    x_all: object
    y_all: pd.Series
    sample: pd.DataFrame  # a few raw input rows, for the MLflow model's signature
    extra: dict = field(default_factory=dict)  # task-specific data (forecasting: the series' history)


def prepare(settings: dict, train: pd.DataFrame, valid: pd.DataFrame | None, plan) -> Prepared:
    """Split and featurize the data once for all the trials of a run."""
    if settings["task"] == catalog.FORECASTING:
        from sim.cloud.automl import forecasting

        return forecasting.prepare(settings, train, valid, plan)
    label = settings["label_column"]
    features, labels = train.drop(columns=[label]), train[label]
    if plan[0] == "data":
        pairs = [(features, labels, valid.drop(columns=[label]), valid[label], np.arange(len(valid)))]
    else:
        pairs = [(features.iloc[a], labels.iloc[a], features.iloc[b], labels.iloc[b], b)
                 for a, b in scoring.splits(plan, features, labels, settings["task"])]
    folds = [_featurized_fold(settings, *pair) for pair in pairs]
    transformer, x_all = _featurize(settings, features, features)
    y_range = float(labels.max() - labels.min()) if settings["task"] != catalog.CLASSIFICATION else 0.0
    classes = np.array(sorted(labels.unique().tolist())) if settings["task"] == catalog.CLASSIFICATION \
        else np.array([])
    return Prepared(settings, folds, classes, y_range, transformer, x_all, labels, features.head(20))


def _featurize(settings: dict, x_fit: pd.DataFrame, *others: pd.DataFrame):
    """(fitted datatransformer or None, x_fit transformed, each of `others` transformed)."""
    transformer = featurize.transformer(x_fit, settings["featurization"])
    if transformer is None:
        return (None, *(frame.to_numpy(dtype=float) for frame in others))
    transformer.fit(x_fit)
    return (transformer, *(transformer.transform(frame) for frame in others))


def _featurized_fold(settings, x_fit, y_fit, x_val, y_val, rows_val) -> Fold:
    _, fit_matrix, val_matrix = _featurize(settings, x_fit, x_fit, x_val)
    return Fold(fit_matrix, y_fit, val_matrix, y_val, np.asarray(rows_val))


def model_for(settings: dict, step: tuple[str, str, dict]):
    """An unfitted scaler + model pipeline for a planned trial (what runs after the datatransformer)."""
    from sklearn.pipeline import Pipeline

    scaler_name, algorithm, params = step
    return Pipeline([(scaler_name, catalog.scaler(scaler_name)),
                     (algorithm, catalog.estimator(settings["task"], algorithm, params))])


def validate(prepared: Prepared, step) -> tuple[dict[str, float], list[np.ndarray]]:
    """The trial's metrics averaged over the folds, and its predictions on each fold's validation rows
    (class probabilities, or values), which the ensembles are built from."""
    results, predictions = [], []
    for fold in prepared.folds:
        model = model_for(prepared.settings, step).fit(fold.x_fit, fold.y_fit)
        predicted = fold_predictions(model, prepared, fold.x_val)
        predictions.append(predicted)
        results.append(score(prepared, fold.y_val, predicted))
    return scoring.average(results), predictions


def fold_predictions(model, prepared: Prepared, x_val) -> np.ndarray:
    """Class probabilities (in the order of `prepared.classes`) or predicted values of a fitted model."""
    if prepared.settings["task"] == catalog.CLASSIFICATION:
        return probabilities(model, x_val, prepared.classes)
    return np.asarray(model.predict(x_val), dtype=float)


def score(prepared: Prepared, y_val, predicted: np.ndarray) -> dict[str, float]:
    """The metrics of predictions (probabilities or values) against the true values."""
    if prepared.settings["task"] == catalog.CLASSIFICATION:
        labels = prepared.classes[np.argmax(predicted, axis=1)]
        return scoring.classification(np.asarray(y_val), labels, predicted, prepared.classes)
    return scoring.regression(np.asarray(y_val, dtype=float), predicted, prepared.y_range)


def evaluate(model, task: str, x_val, y_val, classes, y_range: float) -> dict[str, float]:
    """A fitted model's metrics on one validation set."""
    predicted = model.predict(x_val)
    if task != catalog.CLASSIFICATION:
        return scoring.regression(np.asarray(y_val, dtype=float), predicted, y_range)
    return scoring.classification(np.asarray(y_val), predicted, probabilities(model, x_val, classes), classes)


def probabilities(model, x_val, classes) -> np.ndarray:
    """The model's class probabilities laid out in the order of `classes` (a fold may miss a class)."""
    proba = model.predict_proba(x_val)
    out = np.zeros((len(proba), len(classes)))
    for i, cls in enumerate(model.classes_):
        out[:, int(np.flatnonzero(classes == cls)[0])] = proba[:, i]
    return out


def fit_final(prepared: Prepared, step):
    """The trial's pipeline refit on all the training data: the shared datatransformer, then its own scaler and
    model fitted here (the model the trial hands over)."""
    from sklearn.pipeline import Pipeline

    fitted = model_for(prepared.settings, step).fit(prepared.x_all, prepared.y_all)
    steps = ([("datatransformer", prepared.transformer)] if prepared.transformer is not None else [])
    return handed_over(prepared, Pipeline(steps + list(fitted.steps)))


def handed_over(prepared: Prepared, pipeline):
    """The model a trial saves: the pipeline itself, or for forecasting a forecaster around it."""
    if prepared.settings["task"] != catalog.FORECASTING:
        return pipeline
    from sim.cloud.automl import forecasting

    return forecasting.wrap(prepared, pipeline)


def signature_output(prepared: Prepared):
    """The output the MLflow signature shows for `prepared.sample` (None: the model's own predictions; a
    forecaster answers only for times after its history, so its output is declared as numbers)."""
    return np.zeros(len(prepared.sample)) if prepared.settings["task"] == catalog.FORECASTING else None


def save(model, sample: pd.DataFrame, folder: Path, output=None) -> None:
    """Save a fitted model as `outputs/model.pkl` and an MLflow sklearn model (`outputs/mlflow-model/`) under
    `folder`.

    Args:
        sample: a few input rows (the label excluded), for the MLflow model's signature.
        output: the model's output on `sample` for the signature (computed with `model.predict` when None).
    """
    import mlflow.sklearn
    import sklearn
    from mlflow.models import infer_signature

    # Integer columns are declared as doubles, so a scoring request with a missing value is not refused.
    sample = sample.astype({c: "float64" for c in sample.columns if pd.api.types.is_integer_dtype(sample[c])})
    outputs = Path(folder) / "outputs"
    outputs.mkdir(parents=True, exist_ok=True)
    (outputs / "model.pkl").write_bytes(pickle.dumps(model))
    # Requirements given, not inferred: inference would re-import the model in a subprocess (seconds).
    mlflow.sklearn.save_model(model, str(outputs / "mlflow-model"),
                              signature=infer_signature(sample, model.predict(sample) if output is None else output),
                              serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_CLOUDPICKLE,
                              pip_requirements=[f"scikit-learn=={sklearn.__version__}", "pandas", "numpy"])


def save_to_run(model, sample: pd.DataFrame, upload_folder, output=None) -> None:
    """Save a fitted model through `upload_folder(prefix, local folder)` (the files land in a trial's run)."""
    with tempfile.TemporaryDirectory() as tmp:
        save(model, sample, Path(tmp), output)
        upload_folder("outputs", Path(tmp) / "outputs")
