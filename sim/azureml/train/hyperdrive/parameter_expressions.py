"""Simulated `azureml.train.hyperdrive.parameter_expressions`: how a search space is described.

Each function returns the SDK's own shape, `[distribution_name, [arguments]]`, which is also the shape the
service's sweep engine (`sim.cloud.sweeps.search_space`) checks and draws from, so a space can be printed,
compared and sent as JSON as in the SDK.
"""

from __future__ import annotations

from sim.cloud.sweeps import search_space
from sim.cloud.sweeps.search_space import DISCRETE, discrete_values, draw, is_expression  # noqa: F401 (SDK-side names)


def _expression(distribution: str, *arguments) -> list:
    """[distribution, [arguments]], refused with HyperDriveConfigException when it cannot be sampled."""
    from sim.azureml.train.hyperdrive.exceptions import config_errors

    with config_errors():
        search_space.check_arguments(distribution, list(arguments))
    return [distribution, list(arguments)]


def choice(*options):
    """A discrete set of options: `choice(1, 2, 3)`, `choice([1, 2, 3])` or `choice(range(1, 4))`."""
    if len(options) == 1 and isinstance(options[0], list | tuple | range):
        options = tuple(options[0])
    return _expression("choice", list(options))


def randint(upper):
    """A random integer in [0, upper)."""
    return _expression("randint", upper)


def uniform(min_value, max_value):
    """A real value uniformly between min_value and max_value."""
    return _expression("uniform", min_value, max_value)


def quniform(min_value, max_value, q):
    """round(uniform(min_value, max_value) / q) * q: a uniform value on a grid of step q."""
    return _expression("quniform", min_value, max_value, q)


def loguniform(min_value, max_value):
    """exp(uniform(min_value, max_value)): positive values spread evenly on a log scale."""
    return _expression("loguniform", min_value, max_value)


def qloguniform(min_value, max_value, q):
    """round(exp(uniform(min_value, max_value)) / q) * q."""
    return _expression("qloguniform", min_value, max_value, q)


def normal(mu, sigma):
    """A real value drawn from a normal distribution of mean mu and standard deviation sigma."""
    return _expression("normal", mu, sigma)


def qnormal(mu, sigma, q):
    """round(normal(mu, sigma) / q) * q."""
    return _expression("qnormal", mu, sigma, q)


def lognormal(mu, sigma):
    """exp(normal(mu, sigma))."""
    return _expression("lognormal", mu, sigma)


def qlognormal(mu, sigma, q):
    """round(exp(normal(mu, sigma)) / q) * q."""
    return _expression("qlognormal", mu, sigma, q)


__all__ = ["choice", "lognormal", "loguniform", "normal", "qlognormal", "qloguniform", "qnormal", "quniform",
           "randint", "uniform"]
