"""A sweep's search space: parameter expressions in the service's own shape, checked and drawn from.

Both SDKs send a space the same way: {name: [distribution, [arguments]]}. SDK v1's `parameter_expressions`
build that list directly; SDK v2's `azure.ai.ml.sweep` classes (`Choice`, `Uniform`, ...) serialize to it in the
SweepJob's `searchSpace`. The arguments per distribution:

    choice [[options]]        randint [upper]
    uniform [low, high]       quniform [low, high, q]       loguniform [low, high]   qloguniform [low, high, q]
    normal [mu, sigma]        qnormal [mu, sigma, q]        lognormal [mu, sigma]    qlognormal [mu, sigma, q]
"""

from __future__ import annotations

import math
import numbers

from sim import messages
from sim.cloud.errors import JOB, UserError

ARITY = {"choice": 1, "randint": 1, "uniform": 2, "quniform": 3, "loguniform": 2, "qloguniform": 3, "normal": 2,
         "qnormal": 3, "lognormal": 2, "qlognormal": 3}
DISTRIBUTIONS = tuple(ARITY)
DISCRETE = ("choice", "randint")
RANGES = ("uniform", "quniform", "loguniform", "qloguniform")  # the first two arguments are min and max


def is_expression(value) -> bool:
    """True for the [distribution, [arguments]] shape (the distribution not yet checked)."""
    return isinstance(value, list | tuple) and len(value) == 2 and isinstance(value[0], str) \
        and isinstance(value[1], list | tuple)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_arguments(distribution: str, arguments) -> None:
    """Refuse arguments the distribution cannot sample from (the message names the distribution).

    Raises:
        UserError: no options for choice, a non-number, min >= max, a step q <= 0, randint's upper < 1.
    """
    if distribution == "choice":
        if not arguments or not isinstance(arguments[0], list | tuple) or not arguments[0]:
            raise UserError(JOB, messages.SWEEP_NO_OPTIONS.format(distribution=distribution))
        return
    if len(arguments) != ARITY[distribution] or not all(_is_number(a) for a in arguments):
        raise UserError(JOB, messages.SWEEP_NOT_NUMBERS.format(distribution=distribution, values=tuple(arguments)))
    if distribution == "randint" and arguments[0] < 1:
        raise UserError(JOB, messages.SWEEP_RANDINT_UPPER.format(upper=arguments[0]))
    if distribution in RANGES and arguments[0] >= arguments[1]:
        raise UserError(JOB, messages.SWEEP_RANGE_EMPTY.format(distribution=distribution, low=arguments[0],
                                                               high=arguments[1]))
    if ARITY[distribution] == 3 and arguments[2] <= 0:
        raise UserError(JOB, messages.SWEEP_Q_NOT_POSITIVE.format(distribution=distribution, q=arguments[2]))


def check_expression(name: str, expression) -> list:
    """One parameter's expression, checked; returns it as [distribution, [arguments]].

    Raises:
        UserError: not an expression, an unknown distribution, or arguments it cannot sample from.
    """
    if not is_expression(expression):
        raise UserError(JOB, messages.SWEEP_NOT_AN_EXPRESSION.format(name=name, expression=expression))
    distribution, arguments = expression[0], list(expression[1])
    if distribution not in ARITY:
        raise UserError(JOB, messages.SWEEP_DISTRIBUTION_UNKNOWN.format(name=name, distribution=distribution,
                                                                        known=", ".join(DISTRIBUTIONS)))
    check_arguments(distribution, arguments)
    return [distribution, arguments]


def check_space(space) -> dict:
    """A whole search space, checked parameter by parameter; returns {name: expression}.

    Raises:
        UserError: an empty space or a parameter that `check_expression` refuses.
    """
    if not isinstance(space, dict) or not space:
        raise UserError(JOB, messages.SWEEP_SPACE_EMPTY)
    return {str(name): check_expression(str(name), expression) for name, expression in space.items()}


def _quantize(value: float, q: float) -> float:
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


def size(space: dict) -> int | None:
    """How many distinct points the space has (None: infinitely many)."""
    if any(e[0] not in DISCRETE for e in space.values()):
        return None
    return math.prod(len(discrete_values(e)) for e in space.values())
