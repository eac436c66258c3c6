"""Noise for released statistics, drawn by the real OpenDP library's measurements.

Each function is told the statistic's sensitivity (how far one person's row can move it) and the privacy budget;
it builds the OpenDP measurement with the scale that budget allows, asks OpenDP's own privacy map that the
measurement really spends no more than the budget, and returns the noisy value. Laplace noise gives pure
epsilon-differential privacy; Gaussian noise needs a delta too. Counts get discrete (integer) Laplace noise,
the "geometric" mechanism of the original SmartNoise.
"""

from __future__ import annotations

import functools

from sim import messages

LAPLACE, GAUSSIAN, GEOMETRIC = "laplace", "gaussian", "simplegeometric"
# The names the original SmartNoise accepted for `mechanism=`, lower-cased, and the noise each one means here.
MECHANISMS = {"laplace": LAPLACE, "gaussian": GAUSSIAN, "analyticgaussian": GAUSSIAN,
              "simplegeometric": GEOMETRIC, "geometric": GEOMETRIC, "snapping": LAPLACE}
SLACK = 1e-9  # OpenDP rounds its privacy map outwards; a map within this relative margin is the budget asked for


@functools.cache
def _opendp():
    import opendp.prelude as dp

    # Floating-point Laplace and Gaussian sit behind OpenDP's "contrib" flag (not yet formally vetted there).
    dp.enable_features("contrib")
    return dp


def mechanism_of(name: str | None, default: str) -> str:
    """The noise a `mechanism=` argument asks for (`default` when None); a clear error for an unknown name."""
    if name is None:
        return default
    found = MECHANISMS.get(str(name).replace("_", "").replace(" ", "").lower())
    if found is None:
        raise ValueError(messages.DP_MECHANISM_UNKNOWN.format(name=name, known="Laplace, Gaussian, SimpleGeometric"))
    return found


def check_budget(epsilon, delta=0.0) -> tuple[float, float]:
    """(epsilon, delta) as floats, refusing a budget no mechanism can spend."""
    try:
        epsilon, delta = float(epsilon), float(delta or 0.0)
    except (TypeError, ValueError):
        raise ValueError(messages.DP_EPSILON_INVALID.format(epsilon=epsilon)) from None
    if not epsilon > 0:
        raise ValueError(messages.DP_EPSILON_INVALID.format(epsilon=epsilon))
    if not 0 <= delta < 1:
        raise ValueError(messages.DP_DELTA_INVALID.format(delta=delta))
    return epsilon, delta


def laplace(values: list[float], sensitivity: float, epsilon: float) -> list[float]:
    """`values` each with Laplace noise of scale sensitivity/epsilon (L1 sensitivity of the whole vector)."""
    dp = _opendp()
    scale = float(sensitivity) / epsilon
    meas = dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.l1_distance(T=float),
                             scale=scale)
    _assert_within(meas.map(float(sensitivity)), epsilon)
    return list(meas([float(v) for v in values]))


def discrete_laplace(counts: list[int], sensitivity: int, epsilon: float) -> list[int]:
    """Integer `counts` each with discrete Laplace noise of scale sensitivity/epsilon."""
    dp = _opendp()
    meas = dp.m.make_laplace(dp.vector_domain(dp.atom_domain(T=int)), dp.l1_distance(T=int),
                             scale=float(sensitivity) / epsilon)
    _assert_within(meas.map(int(sensitivity)), epsilon)
    return list(meas([int(c) for c in counts]))


def gaussian(values: list[float], sensitivity: float, epsilon: float, delta: float) -> list[float]:
    """`values` with Gaussian noise whose scale OpenDP finds for (epsilon, delta) at this L2 sensitivity."""
    if not delta > 0:
        raise ValueError(messages.DP_GAUSSIAN_NEEDS_DELTA)
    dp = _opendp()

    def measurement(scale):
        noise = dp.m.make_gaussian(dp.vector_domain(dp.atom_domain(T=float, nan=False)), dp.l2_distance(T=float),
                                   scale=scale)
        return dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(noise), delta)

    meas = measurement(dp.binary_search_param(measurement, d_in=float(sensitivity), d_out=(epsilon, delta)))
    _assert_within(meas.map(float(sensitivity))[0], epsilon)
    return list(meas([float(v) for v in values]))


def noisy(values: list[float], sensitivity: float, epsilon: float, delta: float, mechanism: str) -> list[float]:
    """`values` with the noise `mechanism` names (LAPLACE, GAUSSIAN or GEOMETRIC for integer counts)."""
    if mechanism == GAUSSIAN:
        return gaussian(values, sensitivity, epsilon, delta)
    if mechanism == GEOMETRIC:
        return [float(v) for v in discrete_laplace([round(v) for v in values], max(1, round(sensitivity)), epsilon)]
    return laplace(values, sensitivity, epsilon)


def _assert_within(spent: float, epsilon: float) -> None:
    # A guard on this module's own arithmetic: OpenDP says what the measurement spends; never more than asked.
    if spent > epsilon * (1 + SLACK):
        raise RuntimeError(f"the noise would spend epsilon {spent}, more than the {epsilon} asked for")
