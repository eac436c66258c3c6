"""The metrics AutoML logs for each trial, and how it validates (cross-validation or a held-out split).

Validation as the service chooses when the job leaves it open: under 1,000 rows 10-fold cross-validation,
up to 20,000 rows 3-fold, beyond that a 10% held-out split.
"""

from __future__ import annotations

import math

import numpy as np

from sim.cloud.automl import catalog


def validation_plan(rows: int, settings: dict, has_validation_data: bool) -> tuple[str, object]:
    """('data', None), ('cv', folds) or ('split', fraction), and the sentence the guardrail shows for it."""
    if has_validation_data:
        return ("data", None)
    if settings.get("n_cross_validations"):
        return ("cv", settings["n_cross_validations"])
    if settings.get("validation_size"):
        return ("split", settings["validation_size"])
    if rows < 1000:
        return ("cv", 10)
    if rows <= 20000:
        return ("cv", 3)
    return ("split", 0.1)


def describe(plan: tuple[str, object]) -> str:
    """The guardrail's sentence for a validation plan."""
    kind, value = plan
    if kind == "data":
        return "The validation data you provided was used to score each trial."
    if kind == "cv":
        return f"Each trial was validated with {value}-fold cross-validation."
    return f"{value:.0%} of the training data was held out to score each trial."


def splits(plan: tuple[str, object], features, labels, task: str, seed: int = 0) -> list[tuple]:
    """(train index, validation index) pairs for 'cv' and 'split' plans."""
    from sklearn.model_selection import KFold, StratifiedKFold, train_test_split

    index = np.arange(len(labels))
    kind, value = plan
    stratify = task == catalog.CLASSIFICATION and labels.value_counts().min() >= (value if kind == "cv" else 2)
    if kind == "cv":
        folder = (StratifiedKFold if stratify else KFold)(n_splits=int(value), shuffle=True, random_state=seed)
        return list(folder.split(features, labels))
    train, valid = train_test_split(index, test_size=value, random_state=seed,
                                    stratify=labels if stratify else None)
    return [(train, valid)]


def classification(y_true, y_pred, proba, classes) -> dict[str, float]:
    """The classification metrics of one validation (probabilities in the order of `classes`)."""
    from sklearn import metrics as m

    out = {"accuracy": m.accuracy_score(y_true, y_pred),
           "balanced_accuracy": m.balanced_accuracy_score(y_true, y_pred),
           "precision_score_weighted": m.precision_score(y_true, y_pred, average="weighted", zero_division=0),
           "precision_score_macro": m.precision_score(y_true, y_pred, average="macro", zero_division=0),
           "recall_score_weighted": m.recall_score(y_true, y_pred, average="weighted", zero_division=0),
           "recall_score_macro": m.recall_score(y_true, y_pred, average="macro", zero_division=0),
           "f1_score_weighted": m.f1_score(y_true, y_pred, average="weighted", zero_division=0),
           "f1_score_macro": m.f1_score(y_true, y_pred, average="macro", zero_division=0),
           "matthews_correlation": m.matthews_corrcoef(y_true, y_pred)}
    n = len(classes)
    # norm_macro_recall: macro recall rescaled so that random guessing scores 0 and perfect scores 1.
    out["norm_macro_recall"] = max(0.0, (out["recall_score_macro"] - 1 / n) / (1 - 1 / n))
    onehot = np.array([[label == c for c in classes] for label in y_true], dtype=float)
    present = onehot.sum(axis=0) > 0
    if present.sum() >= 2:
        out["AUC_weighted"] = _weighted_auc(onehot, proba, present)
        out["AUC_macro"] = float(np.mean([m.roc_auc_score(onehot[:, i], proba[:, i])
                                          for i in np.flatnonzero(present)]))
        out["average_precision_score_weighted"] = m.average_precision_score(onehot[:, present], proba[:, present],
                                                                            average="weighted")
    out["log_loss"] = m.log_loss(y_true, np.clip(proba, 1e-15, 1), labels=list(classes))
    return {k: float(v) for k, v in out.items()}


def _weighted_auc(onehot, proba, present) -> float:
    from sklearn.metrics import roc_auc_score

    columns = np.flatnonzero(present)
    weights = onehot[:, columns].sum(axis=0)
    scores = [roc_auc_score(onehot[:, i], proba[:, i]) for i in columns]
    return float(np.average(scores, weights=weights))


def regression(y_true, y_pred, y_range: float) -> dict[str, float]:
    """The regression metrics of one validation; errors are normalized by the target's range."""
    from scipy.stats import spearmanr
    from sklearn import metrics as m

    rmse = math.sqrt(m.mean_squared_error(y_true, y_pred))
    mae = m.mean_absolute_error(y_true, y_pred)
    spread = y_range or 1.0
    rho = spearmanr(y_true, y_pred).statistic
    return {"r2_score": float(m.r2_score(y_true, y_pred)), "root_mean_squared_error": rmse,
            "normalized_root_mean_squared_error": rmse / spread, "mean_absolute_error": float(mae),
            "normalized_mean_absolute_error": float(mae / spread),
            "explained_variance": float(m.explained_variance_score(y_true, y_pred)),
            "spearman_correlation": float(0.0 if np.isnan(rho) else rho)}


def average(folds: list[dict[str, float]]) -> dict[str, float]:
    """The per-metric mean over validation folds (a metric missing from a fold is averaged over the rest)."""
    names = {name for fold in folds for name in fold}
    return {name: float(np.mean([f[name] for f in folds if name in f])) for name in sorted(names)}


def better(metric: str, a: float, b: float | None) -> bool:
    """True when score `a` beats `b` for the metric (any score beats None)."""
    if b is None:
        return True
    return a < b if metric in catalog.LOWER_IS_BETTER else a > b
