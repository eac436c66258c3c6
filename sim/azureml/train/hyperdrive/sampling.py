"""Simulated `azureml.train.hyperdrive.sampling`: grid, random and Bayesian sampling of a search space.

A sampler proposes the next child's hyperparameters with `_next(history, rng)`, where `history` is the
list of (hyperparameters, primary metric or None) of the children so far (metric already oriented so
that larger is better). It returns None when the space is used up.
"""

from __future__ import annotations

import itertools
import json
import math
from abc import ABC

from sim.azureml.train.hyperdrive import parameter_expressions as pe
from sim.azureml.train.hyperdrive.exceptions import HyperDriveConfigException

ALL_DISTRIBUTIONS = ("choice", "randint", "uniform", "quniform", "loguniform", "qloguniform", "normal", "qnormal",
                     "lognormal", "qlognormal")


class HyperParameterSampling(ABC):  # noqa: B024 (abstract in the SDK without abstract methods)
    """The base of the sampling methods.

    Args:
        sampling_method_name: 'GRID', 'RANDOM' or 'BayesianOptimization'.
        parameter_space: {name: parameter expression}, e.g. {'--lr': uniform(0.01, 0.1)}.
        properties: extra settings of the method.
        supported_distributions: the expression names this method accepts.
        distributions_validators: accepted for parity.
    """

    def __init__(self, sampling_method_name, parameter_space, properties=None, supported_distributions=None,
                 distributions_validators=None):
        self._sampling_method_name = sampling_method_name
        self._properties = properties
        self._supported = tuple(supported_distributions or ALL_DISTRIBUTIONS)
        self._parameter_space = self._validated(parameter_space)

    def _validated(self, space) -> dict:
        if not isinstance(space, dict) or not space:
            raise HyperDriveConfigException("parameter_space must be a non-empty dict of {name: expression}, "
                                            "e.g. {'--learning_rate': choice(0.01, 0.1)}.")
        for name, expression in space.items():
            if not pe.is_expression(expression):
                raise HyperDriveConfigException(f"Parameter '{name}' must be a parameter expression such as "
                                                f"choice(...) or uniform(...), not {expression!r}.")
            if expression[0] not in self._supported:
                raise HyperDriveConfigException(
                    f"{type(self).__name__} does not support '{expression[0]}' (parameter '{name}'); "
                    f"it supports only {', '.join(self._supported)}.")
        return dict(space)

    def to_json(self):
        """The sampling as JSON: its method name, parameter space and properties."""
        return json.dumps({"name": self._sampling_method_name, "parameter_space": self._parameter_space,
                           "properties": self._properties}, default=str)

    def __eq__(self, other):
        """Equal when the method, space and properties are equal."""
        return type(self) is type(other) and self.to_json() == other.to_json()

    __hash__ = None

    def _space_size(self):
        """How many distinct points the space has (None: infinite)."""
        if any(e[0] not in pe.DISCRETE for e in self._parameter_space.values()):
            return None
        return math.prod(len(pe.discrete_values(e)) for e in self._parameter_space.values())

    def _next(self, history, rng):
        raise NotImplementedError  # each sampling method proposes its own way


class GridParameterSampling(HyperParameterSampling):
    """Every combination of the `choice` values, in order (only `choice` is allowed).

    Args:
        parameter_space: {name: choice(...)}.
        properties: extra settings.
    """

    SAMPLING_NAME = "GRID"

    def __init__(self, parameter_space, properties=None):
        super().__init__(self.SAMPLING_NAME, parameter_space, properties, supported_distributions=("choice",))

    def _next(self, history, rng):
        names = list(self._parameter_space)
        grid = itertools.product(*(pe.discrete_values(self._parameter_space[n]) for n in names))
        point = next(itertools.islice(grid, len(history), None), None)
        return None if point is None else dict(zip(names, point, strict=True))


class RandomParameterSampling(HyperParameterSampling):
    """Random draws from every distribution.

    When every parameter is discrete (choice, randint) a combination is never drawn twice, so the
    sweep ends early once all combinations ran, as the service does.

    Args:
        parameter_space: {name: expression}.
        properties: extra settings (recorded).
    """

    SAMPLING_NAME = "RANDOM"

    def __init__(self, parameter_space, properties=None):
        super().__init__(self.SAMPLING_NAME, parameter_space, properties)

    def _next(self, history, rng):
        size = self._space_size()
        if size is not None and len(history) >= size:
            return None
        seen = {json.dumps(h[0], sort_keys=True, default=str) for h in history}
        for _ in range(1000):
            point = {n: pe.draw(e, rng) for n, e in self._parameter_space.items()}
            if size is None or json.dumps(point, sort_keys=True, default=str) not in seen:
                return point
        return None


class BayesianParameterSampling(HyperParameterSampling):
    """Points chosen from the results so far (choice, uniform and quniform only; no early termination).

    How the simulation chooses: the first two points are random. After that it draws 64 random
    candidates and scores each with a small surrogate model of the finished children: a prediction
    (the average of their primary metrics, weighted by closeness in the space scaled to [0, 1]) plus
    an exploration bonus that grows with the distance to the nearest point already tried. The
    candidate with the best score runs next. It is a simple stand-in for the service's Bayesian
    optimization: better regions are sampled more, unexplored regions still get tried.

    Args:
        parameter_space: {name: choice(...), uniform(...) or quniform(...)}.
        properties: extra settings (recorded).
    """

    SAMPLING_NAME = "BayesianOptimization"
    INITIAL_RANDOM = 2
    CANDIDATES = 64

    def __init__(self, parameter_space, properties=None):
        super().__init__(self.SAMPLING_NAME, parameter_space, properties,
                         supported_distributions=("choice", "uniform", "quniform"))

    def _next(self, history, rng):
        random_point = {n: pe.draw(e, rng) for n, e in self._parameter_space.items()}
        scored = [(self._scaled(p), m) for p, m in history if m is not None]
        if len(scored) < self.INITIAL_RANDOM:
            return random_point
        tried = [self._scaled(p) for p, _ in history]
        candidates = [random_point] + [{n: pe.draw(e, rng) for n, e in self._parameter_space.items()}
                                       for _ in range(self.CANDIDATES - 1)]
        return max(candidates, key=lambda c: self._score(self._scaled(c), scored, tried))

    def _scaled(self, point) -> list[float]:
        out = []
        for name, (kind, args) in self._parameter_space.items():
            value = point[name]
            if kind == "choice":
                options = args[0]
                index = options.index(value) if value in options else 0
                out.append(index / max(1, len(options) - 1))
            else:
                out.append((float(value) - args[0]) / (args[1] - args[0]))
        return out

    @staticmethod
    def _score(x, scored, tried) -> float:
        weights = [(1.0 / (1e-6 + math.dist(x, p)), m) for p, m in scored]
        total = sum(w for w, _ in weights)
        metrics = [m for _, m in scored]
        spread = (max(metrics) - min(metrics)) or 1.0
        predicted = sum(w * m for w, m in weights) / total
        nearest = min(math.dist(x, p) for p in tried)
        return predicted + 0.5 * spread * nearest


__all__ = ["BayesianParameterSampling", "GridParameterSampling", "HyperParameterSampling",
           "RandomParameterSampling"]
