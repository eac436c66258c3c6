"""The metrics AutoML logs for each trial, and how it validates (cross-validation or a held-out split).

Validation as the service chooses when the job leaves it open: under 1,000 rows 10-fold cross-validation,
up to 20,000 rows 3-fold, beyond that a 10% held-out split.
"""

from __future__ import annotations

import math

import numpy as np

from sim.cloud.automl import catalog

ROLLING_FOLDS = 3  # rolling-origin folds of a forecasting job that leaves n_cross_validations open


def validation_plan(rows: int, settings: dict, has_validation_data: bool) -> tuple[str, object]:
    """('data', None), ('cv', folds), ('split', fraction) or, for forecasting, ('rolling', folds): rolling-origin
    folds of forecast_horizon periods each (3 unless n_cross_validations says)."""
    if has_validation_data:
        return ("data", None)
    if settings.get("task") == catalog.FORECASTING:
        return ("rolling", settings.get("n_cross_validations") or ROLLING_FOLDS)
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
    if kind == "rolling":
        return (f"Each trial was validated with rolling-origin cross-validation: {value} folds, each forecasting "
                "the forecast horizon after its own origin from the data before it.")
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


COUNT_METRICS = ("accuracy", "balanced_accuracy", "precision_score_weighted", "precision_score_macro",
                 "recall_score_weighted", "recall_score_macro", "f1_score_weighted", "f1_score_macro",
                 "matthews_correlation", "norm_macro_recall")
RANKING_METRICS = ("AUC_weighted", "AUC_macro", "average_precision_score_weighted")


def classification(y_true, y_pred, proba, classes, only: str | None = None) -> dict[str, float]:
    """The classification metrics of one validation (probabilities in the order of `classes`); with `only`,
    just that metric (what permutation importance needs, dozens of times).

    The count-based metrics come from one confusion matrix and the AUCs from ranks (one scikit-learn call per
    metric spent most of a small trial's time in input checks); they equal scikit-learn's (tests compare them).
    """
    out: dict[str, float] = {}
    if only is None or only in COUNT_METRICS:
        out.update(_count_metrics(y_true, y_pred, classes))
    onehot = (np.asarray(y_true).reshape(-1, 1) == np.asarray(classes).reshape(1, -1)).astype(float)
    present = onehot.sum(axis=0) > 0
    if (only is None or only in RANKING_METRICS) and present.sum() >= 2:
        out.update(_ranking_metrics(onehot, proba, present))
    if only is None or only == "log_loss":
        from sklearn.metrics import log_loss

        out["log_loss"] = log_loss(y_true, np.clip(proba, 1e-15, 1), labels=list(classes))
    return {k: float(v) for k, v in out.items() if only is None or k == only}


def _count_metrics(y_true, y_pred, classes) -> dict[str, float]:
    from sklearn.metrics import confusion_matrix

    out = _from_confusion(confusion_matrix(y_true, y_pred, labels=list(classes)).astype(float))
    n = len(classes)
    # norm_macro_recall: macro recall rescaled so that random guessing scores 0 and perfect scores 1.
    out["norm_macro_recall"] = max(0.0, (out["recall_score_macro"] - 1 / n) / (1 - 1 / n))
    return out


def _ranking_metrics(onehot, proba, present) -> dict[str, float]:
    from sklearn.metrics import average_precision_score

    columns = np.flatnonzero(present)
    aucs = np.array([binary_auc(onehot[:, i], proba[:, i]) for i in columns])
    return {"AUC_weighted": float(np.average(aucs, weights=onehot[:, columns].sum(axis=0))),
            "AUC_macro": float(aucs.mean()),
            "average_precision_score_weighted": average_precision_score(onehot[:, present], proba[:, present],
                                                                        average="weighted")}


def binary_auc(truth: np.ndarray, score: np.ndarray) -> float:
    """The area under the ROC curve of one class, from ranks (the Mann-Whitney statistic; ties count half)."""
    from scipy.stats import rankdata

    positives = truth > 0
    n_pos, n_neg = int(positives.sum()), int((~positives).sum())
    ranks = rankdata(score)
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _from_confusion(matrix: np.ndarray) -> dict[str, float]:
    """Accuracy, balanced accuracy, precision/recall/F1 (macro over the classes present in either the truth or
    the predictions, weighted by support, zero where undefined) and Matthews correlation from a confusion
    matrix (rows: true class, columns: predicted class)."""
    true_counts, predicted_counts, hits = matrix.sum(axis=1), matrix.sum(axis=0), np.diag(matrix)
    total = matrix.sum()
    labelled = (true_counts + predicted_counts) > 0
    precision = np.divide(hits, predicted_counts, out=np.zeros_like(hits), where=predicted_counts > 0)
    recall = np.divide(hits, true_counts, out=np.zeros_like(hits), where=true_counts > 0)
    sums = precision + recall
    f1 = np.divide(2 * precision * recall, sums, out=np.zeros_like(hits), where=sums > 0)
    weights = true_counts / total
    covariance = hits.sum() * total - predicted_counts @ true_counts
    scale = np.sqrt((total ** 2 - predicted_counts @ predicted_counts) * (total ** 2 - true_counts @ true_counts))
    return {"accuracy": hits.sum() / total,
            "balanced_accuracy": float(np.mean(recall[true_counts > 0])),
            "precision_score_weighted": precision @ weights, "precision_score_macro": precision[labelled].mean(),
            "recall_score_weighted": recall @ weights, "recall_score_macro": recall[labelled].mean(),
            "f1_score_weighted": f1 @ weights, "f1_score_macro": f1[labelled].mean(),
            "matthews_correlation": covariance / scale if scale else 0.0}


def regression(y_true, y_pred, y_range: float) -> dict[str, float]:
    """The regression metrics of one validation; errors are normalized by the target's range."""
    from scipy.stats import spearmanr
    from sklearn import metrics as m

    rmse = math.sqrt(m.mean_squared_error(y_true, y_pred))
    mae = m.mean_absolute_error(y_true, y_pred)
    spread = y_range or 1.0
    rho = spearmanr(y_true, y_pred).statistic
    out = {"r2_score": float(m.r2_score(y_true, y_pred)), "root_mean_squared_error": rmse,
            "normalized_root_mean_squared_error": rmse / spread, "mean_absolute_error": float(mae),
            "normalized_mean_absolute_error": float(mae / spread),
            "explained_variance": float(m.explained_variance_score(y_true, y_pred)),
            "spearman_correlation": float(0.0 if np.isnan(rho) else rho)}
    truth, predicted = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    nonzero = truth != 0  # the percentage error of a zero target is undefined: those rows are left out
    if nonzero.any():
        out["mean_absolute_percentage_error"] = float(np.mean(np.abs((truth - predicted)[nonzero] / truth[nonzero]))
                                                      * 100)
    return out


def average(folds: list[dict[str, float]]) -> dict[str, float]:
    """The per-metric mean over validation folds (a metric missing from a fold is averaged over the rest)."""
    names = {name for fold in folds for name in fold}
    return {name: float(np.mean([f[name] for f in folds if name in f])) for name in sorted(names)}


def better(metric: str, a: float, b: float | None) -> bool:
    """True when score `a` beats `b` for the metric (any score beats None)."""
    if b is None:
        return True
    return a < b if metric in catalog.LOWER_IS_BETTER else a > b
