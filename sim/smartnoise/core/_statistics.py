"""Casts, clamping and resizing, and the private statistics of SmartNoise-core (`dp_mean`, `dp_histogram`...).

Each statistic clamps the data to the bounds it is given (or that an earlier `clamp`/`resize` set), brings it to
the number of rows it is told (`resize`: extra rows are dropped at random, missing ones imputed uniformly within the
bounds, as the original library did), computes the exact value on that, and adds noise calibrated to the
statistic's sensitivity (the most one person's row can change it) and the `privacy_usage` asked for.

Sensitivities, for n rows in [lower, upper] (width w = upper - lower) under the default "substitute" neighbouring
(one person's row replaced by another): mean w/n, sum w, count 1, variance w**2/n, covariance w_left*w_right/n,
histogram 2 (one row leaves a bin and enters another; 1 under "add_remove"). Under "add_remove" a sum's is
max(|lower|, |upper|).
"""

from __future__ import annotations

import numpy as np

from sim import messages
from sim.smartnoise import _noise
from sim.smartnoise.core._analysis import Component, current_analysis

_rng = np.random.default_rng()  # resizing only: which rows to drop and what to impute, not the privacy noise


# ---- casts, clamp, resize -------------------------------------------------------------------------------

def to_float(data) -> Component:
    """The column as floats (cells that are not numbers become NaN, imputed later within the bounds)."""
    return Component("to_float", lambda: _as_float(data.data()), data.properties)


def to_int(data, lower=None, upper=None) -> Component:
    """The column as integers; cells that are not integers are imputed uniformly in [lower, upper]."""
    if lower is None or upper is None:
        raise ValueError(messages.DP_BOUNDS_REQUIRED.format(what="to_int", lower="lower", upper="upper"))

    def cast():
        values = _as_float(data.data())
        missing = ~np.isfinite(values)
        values[missing] = _rng.integers(int(lower), int(upper) + 1, missing.sum())
        return np.rint(values).astype(np.int64)
    return Component("to_int", cast, {**data.properties, "lower": lower, "upper": upper})


def to_bool(data, true_label) -> Component:
    """The column as booleans: True where the cell equals `true_label`."""
    return Component("to_bool", lambda: np.asarray(data.data()).astype(str) == str(true_label), data.properties)


def clamp(data, lower, upper) -> Component:
    """Values moved into [lower, upper]; the bounds the statistics after it rely on."""
    _check_bounds("clamp", lower, upper)
    return Component("clamp", lambda: _clamped(data.data(), lower, upper),
                     {**data.properties, "lower": lower, "upper": upper})


def resize(data, number_rows, lower=None, upper=None) -> Component:
    """The data brought to exactly `number_rows` rows (needed by mean, variance and covariance)."""
    lower = data.properties.get("lower") if lower is None else lower
    upper = data.properties.get("upper") if upper is None else upper
    _check_bounds("resize", lower, upper)
    return Component("resize", lambda: _resized(_clamped(data.data(), lower, upper), int(number_rows), lower, upper),
                     {**data.properties, "lower": lower, "upper": upper, "rows": int(number_rows)})


# ---- private statistics ---------------------------------------------------------------------------------

def dp_mean(data, privacy_usage=None, implementation="resize", data_lower=None, data_upper=None, data_rows=None,
            mechanism="Laplace") -> Component:
    """The mean of a column, differentially private."""
    lower, upper, rows = _shape_of(data, "dp_mean", data_lower, data_upper, data_rows)
    return _private("dp_mean", data, privacy_usage, mechanism, lambda v: [float(np.mean(v))],
                    lambda: (upper - lower) / rows, lower, upper, rows, scalar=True)


def dp_sum(data, privacy_usage=None, data_lower=None, data_upper=None, data_rows=None, mechanism="Laplace"):
    """The sum of a column, differentially private."""
    lower, upper, rows = _shape_of(data, "dp_sum", data_lower, data_upper, data_rows, rows_needed=False)
    substitute = current_analysis().neighboring == "substitute"
    return _private("dp_sum", data, privacy_usage, mechanism, lambda v: [float(np.sum(v))],
                    lambda: (upper - lower) if substitute else max(abs(lower), abs(upper)), lower, upper, rows,
                    scalar=True)


def dp_variance(data, privacy_usage=None, data_lower=None, data_upper=None, data_rows=None, mechanism="Laplace"):
    """The sample variance of a column, differentially private."""
    lower, upper, rows = _shape_of(data, "dp_variance", data_lower, data_upper, data_rows)
    return _private("dp_variance", data, privacy_usage, mechanism, lambda v: [float(np.var(v, ddof=1))],
                    lambda: (upper - lower) ** 2 / rows, lower, upper, rows, scalar=True)


def dp_count(data, privacy_usage=None, lower=0, upper=None, mechanism="SimpleGeometric") -> Component:
    """How many rows the data has, differentially private (a whole number, kept within [lower, upper])."""
    usage = _usage(privacy_usage, "dp_count")
    kind = _mechanism(mechanism, _noise.GEOMETRIC, usage)

    def compute():
        noisy = _noise.noisy([float(len(data.data()))], 1, *usage, kind)[0]
        return int(np.clip(round(noisy), lower, upper if upper is not None else np.inf))
    return Component("dp_count", compute, data.properties, private=True, usage=usage)


def dp_histogram(data, edges=None, categories=None, null_value=None, lower=0, upper=None, inclusive_left=True,
                 mechanism="SimpleGeometric", privacy_usage=None) -> Component:
    """Counts per bin (`edges`) or per category, plus one count for everything else; differentially private."""
    if (edges is None) == (categories is None):
        raise ValueError(messages.DP_HISTOGRAM_BINS)
    usage = _usage(privacy_usage, "dp_histogram")
    kind = _mechanism(mechanism, _noise.GEOMETRIC, usage)
    sensitivity = 2 if current_analysis().neighboring == "substitute" else 1

    def compute():
        counts = _bin_counts(np.asarray(data.data()), edges, categories, inclusive_left)
        noisy = np.rint(_noise.noisy([float(c) for c in counts], sensitivity, *usage, kind))
        # Clipping to the count bounds is post-processing: it costs no privacy, and no count is ever negative.
        return np.clip(noisy, lower, upper if upper is not None else np.inf).astype(np.int64)
    return Component("dp_histogram", compute, data.properties, private=True, usage=usage)


def dp_covariance(left=None, right=None, data=None, privacy_usage=None, left_lower=None, left_upper=None,
                  left_rows=None, right_lower=None, right_upper=None, right_rows=None, mechanism="Laplace"):
    """The sample covariance of two columns, as a 1x1 matrix (`value[0][0]`), differentially private."""
    if left is None or right is None:
        raise ValueError(messages.DP_COVARIANCE_PAIR)
    l_low, l_up, l_rows = _shape_of(left, "dp_covariance (left)", left_lower, left_upper, left_rows)
    r_low, r_up, r_rows = _shape_of(right, "dp_covariance (right)", right_lower, right_upper, right_rows)
    if l_rows != r_rows:
        raise ValueError(messages.DP_COVARIANCE_ROWS.format(left=l_rows, right=r_rows))
    usage = _usage(privacy_usage, "dp_covariance")
    kind = _mechanism(mechanism, _noise.LAPLACE, usage)

    def compute():
        pair = np.column_stack([_clamped(left.data(), l_low, l_up), _clamped(right.data(), r_low, r_up)])
        pair = _resized_rows(pair, l_rows, [(l_low, l_up), (r_low, r_up)])
        exact = float(np.cov(pair[:, 0], pair[:, 1], ddof=1)[0, 1])
        return np.array([[_noise.noisy([exact], (l_up - l_low) * (r_up - r_low) / l_rows, *usage, kind)[0]]])
    return Component("dp_covariance", compute, left.properties, private=True, usage=usage)


# ---- helpers --------------------------------------------------------------------------------------------

def _private(name, data, privacy_usage, mechanism, statistic, sensitivity, lower, upper, rows, scalar):
    usage = _usage(privacy_usage, name)
    kind = _mechanism(mechanism, _noise.LAPLACE, usage)

    def compute():
        values = _clamped(data.data(), lower, upper)
        if rows is not None:
            values = _resized(values, rows, lower, upper)
        noisy = _noise.noisy(statistic(values), sensitivity(), *usage, kind)
        return float(noisy[0]) if scalar else np.asarray(noisy)
    return Component(name, compute, data.properties, private=True, usage=usage)


def _mechanism(name, default: str, usage: tuple[float, float]) -> str:
    """The noise `name` asks for, refused at once (not at release) when Gaussian noise has no delta."""
    kind = _noise.mechanism_of(name, default)
    if kind == _noise.GAUSSIAN and not usage[1] > 0:
        raise ValueError(messages.DP_GAUSSIAN_NEEDS_DELTA)
    return kind


def _usage(privacy_usage, what) -> tuple[float, float]:
    """(epsilon, delta) from `privacy_usage`: {'epsilon': e[, 'delta': d]} or a one-item list of that."""
    if isinstance(privacy_usage, (list, tuple)) and len(privacy_usage) == 1:
        privacy_usage = privacy_usage[0]
    if not isinstance(privacy_usage, dict) or "epsilon" not in privacy_usage:
        raise ValueError(messages.DP_PRIVACY_USAGE.format(what=what, given=privacy_usage))
    return _noise.check_budget(privacy_usage["epsilon"], privacy_usage.get("delta", 0.0))


def _shape_of(data, what, lower, upper, rows, rows_needed=True):
    """The bounds and row count a statistic works with: its arguments, else what the data's graph set."""
    lower = data.properties.get("lower") if lower is None else lower
    upper = data.properties.get("upper") if upper is None else upper
    rows = data.properties.get("rows") if rows is None else rows
    _check_bounds(what, lower, upper)
    if rows_needed and rows is None:
        raise ValueError(messages.DP_ROWS_REQUIRED.format(what=what))
    if rows is not None and int(rows) < 1:
        raise ValueError(messages.DP_ROWS_REQUIRED.format(what=what))
    return float(lower), float(upper), (int(rows) if rows is not None else None)


def _check_bounds(what, lower, upper) -> None:
    if lower is None or upper is None:
        raise ValueError(messages.DP_BOUNDS_REQUIRED.format(what=what, lower="data_lower", upper="data_upper"))
    if float(lower) > float(upper):
        raise ValueError(messages.DP_BOUNDS_ORDER.format(what=what, lower=lower, upper=upper))


def _as_float(values) -> np.ndarray:
    import pandas as pd

    # A fresh writable array: pandas' copy-on-write hands out read-only views, and missing cells are filled in.
    return np.array(pd.to_numeric(pd.Series(np.asarray(values).ravel()), errors="coerce"), dtype=float)


def _clamped(values, lower, upper) -> np.ndarray:
    """Values as floats within [lower, upper]; missing ones imputed uniformly in the bounds."""
    values = _as_float(values)
    missing = ~np.isfinite(values)
    values[missing] = _rng.uniform(float(lower), float(upper), missing.sum())
    return np.clip(values, float(lower), float(upper))


def _resized(values: np.ndarray, rows: int, lower, upper) -> np.ndarray:
    return _resized_rows(values.reshape(-1, 1), rows, [(lower, upper)]).ravel()


def _resized_rows(table: np.ndarray, rows: int, bounds: list) -> np.ndarray:
    """`table` with exactly `rows` rows: a random subset of its rows, or its rows plus imputed ones."""
    if len(table) >= rows:
        return table[np.sort(_rng.choice(len(table), rows, replace=False))]
    extra = np.column_stack([_rng.uniform(float(lo), float(hi), rows - len(table)) for lo, hi in bounds])
    return np.vstack([table, extra])


def _bin_counts(values: np.ndarray, edges, categories, inclusive_left) -> list[int]:
    """Exact counts per bin or category; the last count is for values in none of them."""
    if categories is not None:
        labels = [str(c) for c in categories]
        text = values.astype(str)
        counts = [int(np.sum(text == label)) for label in labels]
        return counts + [len(values) - sum(counts)]
    numbers = _as_float(values)
    edges = [float(e) for e in edges]
    index = np.digitize(numbers, edges, right=not inclusive_left) - 1
    inside = (index >= 0) & (index < len(edges) - 1) & np.isfinite(numbers)
    counts = np.bincount(index[inside], minlength=len(edges) - 1).tolist()
    return counts + [int((~inside).sum())]
