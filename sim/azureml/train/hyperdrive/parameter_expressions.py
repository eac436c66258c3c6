"""Simulated `azureml.train.hyperdrive.parameter_expressions`: how a search space is described.

Each function returns the SDK's own shape, `[distribution_name, [arguments]]`, which the samplers
validate and draw from (`draw`), so a space can be printed, compared and sent as JSON as in the SDK.
"""

from __future__ import annotations

import math
import numbers

DISCRETE = ("choice", "randint")


def choice(*options):
    """A discrete set of options: `choice(1, 2, 3)`, `choice([1, 2, 3])` or `choice(range(1, 4))`."""
    if len(options) == 1 and isinstance(options[0], list | tuple | range):
        options = tuple(options[0])
    if not options:
        from sim.azureml.train.hyperdrive.exceptions import HyperDriveConfigException

        raise HyperDriveConfigException("choice() needs at least one option to sample from.")
    return ["choice", [list(options)]]


def randint(upper):
    """A random integer in [0, upper)."""
    _check_numbers("randint", upper)
    return ["randint", [upper]]


def uniform(min_value, max_value):
    """A real value uniformly between min_value and max_value."""
    _check_range("uniform", min_value, max_value)
    return ["uniform", [min_value, max_value]]


def quniform(min_value, max_value, q):
    """round(uniform(min_value, max_value) / q) * q: a uniform value on a grid of step q."""
    _check_range("quniform", min_value, max_value, q)
    return ["quniform", [min_value, max_value, q]]


def loguniform(min_value, max_value):
    """exp(uniform(min_value, max_value)): positive values spread evenly on a log scale."""
    _check_range("loguniform", min_value, max_value)
    return ["loguniform", [min_value, max_value]]


def qloguniform(min_value, max_value, q):
    """round(exp(uniform(min_value, max_value)) / q) * q."""
    _check_range("qloguniform", min_value, max_value, q)
    return ["qloguniform", [min_value, max_value, q]]


def normal(mu, sigma):
    """A real value drawn from a normal distribution of mean mu and standard deviation sigma."""
    _check_numbers("normal", mu, sigma)
    return ["normal", [mu, sigma]]


def qnormal(mu, sigma, q):
    """round(normal(mu, sigma) / q) * q."""
    _check_numbers("qnormal", mu, sigma, q)
    return ["qnormal", [mu, sigma, q]]


def lognormal(mu, sigma):
    """exp(normal(mu, sigma))."""
    _check_numbers("lognormal", mu, sigma)
    return ["lognormal", [mu, sigma]]


def qlognormal(mu, sigma, q):
    """round(exp(normal(mu, sigma)) / q) * q."""
    _check_numbers("qlognormal", mu, sigma, q)
    return ["qlognormal", [mu, sigma, q]]


def _check_numbers(name, *values) -> None:
    if not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values):
        from sim.azureml.train.hyperdrive.exceptions import HyperDriveConfigException

        raise HyperDriveConfigException(f"{name}() takes numbers; got {values!r}.")


def _check_range(name, low, high, *rest) -> None:
    _check_numbers(name, low, high, *rest)
    if low >= high:
        from sim.azureml.train.hyperdrive.exceptions import HyperDriveConfigException

        raise HyperDriveConfigException(f"{name}() needs min_value < max_value; got {low} and {high}.")


def _quantize(value, q):
    return round(value / q) * q


def draw(expression, rng):
    """One value of a parameter expression, drawn with the random generator `rng`."""
    name, args = expression
    if name == "choice":
        return rng.choice(args[0])
    if name == "randint":
        return rng.randrange(int(args[0]))
    samplers = {
        "uniform": lambda: rng.uniform(args[0], args[1]),
        "quniform": lambda: _quantize(rng.uniform(args[0], args[1]), args[2]),
        "loguniform": lambda: math.exp(rng.uniform(args[0], args[1])),
        "qloguniform": lambda: _quantize(math.exp(rng.uniform(args[0], args[1])), args[2]),
        "normal": lambda: rng.gauss(args[0], args[1]),
        "qnormal": lambda: _quantize(rng.gauss(args[0], args[1]), args[2]),
        "lognormal": lambda: math.exp(rng.gauss(args[0], args[1])),
        "qlognormal": lambda: _quantize(math.exp(rng.gauss(args[0], args[1])), args[2]),
    }
    return samplers[name]()


def discrete_values(expression) -> list:
    """Every value of a discrete expression (choice, randint)."""
    name, args = expression
    return list(args[0]) if name == "choice" else list(range(int(args[0])))


def is_expression(value) -> bool:
    """True for what the functions above return."""
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], list)


__all__ = ["choice", "lognormal", "loguniform", "normal", "qlognormal", "qloguniform", "qnormal", "quniform",
           "randint", "uniform"]
