"""How far a target sample has drifted from the baseline: per-feature distances and one overall magnitude.

The overall magnitude is the service's "drift coefficient": a classifier is trained to tell baseline rows from
target rows, and its Matthews correlation coefficient on rows it did not train on (0 when it cannot tell them
apart, 1 when it always can) is the coefficient; times 100 it is the drift percentage Studio charts. A feature's
drift contribution is its share (in percent) of that classifier's feature importance. Numeric features also get
the Wasserstein and energy distances between their baseline and target values; categorical ones the
Jensen-Shannon and Euclidean distances between their value frequencies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SAMPLE_ROWS = 1000  # rows per side the classifier sees: enough for a stable coefficient, quick on a laptop
SEED = 0


def is_numeric(values: pd.Series) -> bool:
    """Numbers (booleans count as categories)."""
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def compare(baseline: pd.DataFrame, target: pd.DataFrame, features: list[str]) -> dict:
    """{'coefficient': 0..1, 'columns': {feature: {metric name: value}}} for `target` against `baseline`."""
    columns = {name: feature_distances(baseline[name], target[name]) for name in features}
    coefficient, importance = _classifier_drift(baseline[features], target[features])
    for name, share in importance.items():
        columns[name] = {"datadrift_contribution": share, **columns[name]}
    return {"coefficient": coefficient, "columns": columns}


def feature_distances(base: pd.Series, target: pd.Series) -> dict:
    """The distance metrics of one feature, and its baseline and target summary values."""
    base, target = base.dropna(), target.dropna()
    if is_numeric(base) and is_numeric(target):
        from scipy.stats import energy_distance, wasserstein_distance

        b, t = base.to_numpy(dtype=float), target.to_numpy(dtype=float)
        return {"wasserstein_distance": float(wasserstein_distance(b, t)),
                "energy_distance": float(energy_distance(b, t)),
                "baseline_mean": float(b.mean()), "target_mean": float(t.mean()),
                "target_min": float(t.min()), "target_max": float(t.max())}
    p, q = _frequencies(base, target)
    from scipy.spatial.distance import jensenshannon

    return {"jensen_shannon_distance": float(jensenshannon(p, q, base=2)),
            "euclidean_distance": float(np.linalg.norm(p - q)),
            "target_distinct_values": int(target.nunique())}


def _frequencies(base: pd.Series, target: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    values = sorted(set(base.astype(str)) | set(target.astype(str)))
    p = base.astype(str).value_counts(normalize=True).reindex(values, fill_value=0.0).to_numpy()
    q = target.astype(str).value_counts(normalize=True).reindex(values, fill_value=0.0).to_numpy()
    return p, q


def _classifier_drift(baseline: pd.DataFrame, target: pd.DataFrame) -> tuple[float, dict]:
    """(coefficient, {feature: contribution %}) from a classifier telling the two samples apart."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import matthews_corrcoef
    from sklearn.model_selection import cross_val_predict

    rows = pd.concat([_sample(baseline), _sample(target)], ignore_index=True)
    is_target = np.r_[np.zeros(min(len(baseline), SAMPLE_ROWS)), np.ones(min(len(target), SAMPLE_ROWS))]
    X = _encoded(rows)
    model = RandomForestClassifier(n_estimators=30, max_depth=8, min_samples_leaf=5, random_state=SEED)
    guessed = cross_val_predict(model, X, is_target, cv=3)
    coefficient = max(0.0, float(matthews_corrcoef(is_target, guessed)))
    importance = model.fit(X, is_target).feature_importances_
    total = float(importance.sum()) or 1.0
    return coefficient, {name: round(100 * float(v) / total, 4) for name, v in zip(X.columns, importance, strict=True)}


def _sample(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sample(n=SAMPLE_ROWS, random_state=SEED) if len(frame) > SAMPLE_ROWS else frame


def _encoded(rows: pd.DataFrame) -> pd.DataFrame:
    """Numbers as they are (missing ones as the median), categories as their codes."""
    encoded = {}
    for name in rows.columns:
        column = rows[name]
        if is_numeric(column):
            encoded[name] = column.astype(float).fillna(column.median() if column.notna().any() else 0.0)
        else:
            encoded[name] = pd.Series(pd.factorize(column.astype(str))[0], index=rows.index)
    return pd.DataFrame(encoded)
