"""Shapley values of a model's output, one row at a time, against a background sample.

The value of a coalition S of features is the model's mean output over the background rows with the features in S
set to the explained row's values (the interventional expectation SHAP's KernelExplainer also estimates). With at
most EXACT_MAX_FEATURES features every coalition is evaluated (exact values); beyond that random feature orderings
are sampled. Either way the values of a row add up to its output minus the background's mean output.
"""

from __future__ import annotations

from math import factorial

import numpy as np

EXACT_MAX_FEATURES = 10
SAMPLED_ORDERINGS = 64
_ROWS_PER_BATCH = 250_000  # model inputs evaluated at once: bounds memory on wide data


def shapley_values(predict, rows: np.ndarray, background: np.ndarray, seed: int = 0) -> np.ndarray:
    """Per-row, per-output, per-feature contributions: an array shaped (rows, outputs, features)."""
    if rows.shape[1] <= EXACT_MAX_FEATURES:
        return _exact(predict, rows, background)
    rng = np.random.default_rng(seed)
    return np.stack([_sampled(predict, row, background, rng) for row in rows])


def _outputs(predict, data: np.ndarray) -> np.ndarray:
    out = np.asarray(predict(data), dtype=float)
    return out.reshape(len(data), -1)


def _coalition_values(predict, rows: np.ndarray, background: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """The mean model output for each row and coalition, shaped (rows, coalitions, outputs).

    Several rows go to the model in one call (up to _ROWS_PER_BATCH inputs): one predict call per row would
    spend most of the time in the model's per-call overhead."""
    d = rows.shape[1]
    per_row = len(masks) * len(background)
    values = []
    for start in range(0, len(rows), max(1, _ROWS_PER_BATCH // per_row)):
        chunk = rows[start:start + max(1, _ROWS_PER_BATCH // per_row)]
        data = np.where(masks[None, :, None, :], chunk[:, None, None, :], background[None, None, :, :])
        out = _outputs(predict, data.reshape(-1, d))
        values.append(out.reshape(len(chunk), len(masks), len(background), -1).mean(axis=2))
    return np.concatenate(values)


def _exact(predict, rows: np.ndarray, background: np.ndarray) -> np.ndarray:
    d = rows.shape[1]
    codes = np.arange(2 ** d)
    masks = ((codes[:, None] >> np.arange(d)) & 1).astype(bool)
    value = _coalition_values(predict, rows, background, masks)  # (rows, coalitions, outputs)
    sizes = masks.sum(axis=1)
    weights = np.array([factorial(s) * factorial(d - s - 1) / factorial(d) if s < d else 0.0 for s in sizes])
    phi = np.zeros((len(rows), value.shape[2], d))
    for j in range(d):
        without = codes[~masks[:, j]]
        gain = value[:, without | (1 << j), :] - value[:, without, :]  # (rows, coalitions without j, outputs)
        phi[:, :, j] = np.einsum("c,rco->ro", weights[without], gain)
    return phi


def _sampled(predict, row: np.ndarray, background: np.ndarray, rng) -> np.ndarray:
    d = row.shape[0]
    phi = None
    for _ in range(SAMPLED_ORDERINGS):
        order = rng.permutation(d)
        masks = np.zeros((d + 1, d), dtype=bool)
        for step, j in enumerate(order, start=1):
            masks[step:, j] = True
        value = _coalition_values(predict, row[None, :], background, masks)[0]
        gains = np.diff(value, axis=0)  # gains[k] belongs to feature order[k]
        phi = np.zeros((value.shape[1], d)) if phi is None else phi
        phi[:, order] += gains.T
    return phi / SAMPLED_ORDERINGS
