"""Simulated `azureml.train.hyperdrive.sampling`: grid, random and Bayesian sampling of a search space.

The sampling itself is the service's sweep engine (`sim.cloud.sweeps.sampling`), shared with SDK v2's sweep jobs.
A sampler proposes the next child's hyperparameters with `_next(history, rng)`, where `history` is the
list of (hyperparameters, primary metric or None) of the children so far (metric already oriented so
that larger is better). It returns None when the space is used up.
"""

from __future__ import annotations

import json
from abc import ABC

from sim.azureml.train.hyperdrive.exceptions import config_errors
from sim.cloud.sweeps import sampling, search_space

ALL_DISTRIBUTIONS = search_space.DISTRIBUTIONS
_ALGORITHMS = {"GRID": sampling.GRID, "RANDOM": sampling.RANDOM, "BayesianOptimization": sampling.BAYESIAN}


class HyperParameterSampling(ABC):  # noqa: B024 (abstract in the SDK without abstract methods)
    """The base of the sampling methods.

    Args:
        sampling_method_name: 'GRID', 'RANDOM' or 'BayesianOptimization'.
        parameter_space: {name: parameter expression}, e.g. {'--lr': uniform(0.01, 0.1)}.
        properties: extra settings of the method.
        supported_distributions: accepted for parity (each method supports what the service's sampler does).
        distributions_validators: accepted for parity.
    """

    def __init__(self, sampling_method_name, parameter_space, properties=None, supported_distributions=None,
                 distributions_validators=None):
        self._sampling_method_name = sampling_method_name
        self._properties = properties
        self._algorithm = _ALGORITHMS.get(sampling_method_name, sampling.RANDOM)
        with config_errors():
            self._parameter_space = sampling.check(self._algorithm, parameter_space, type(self).__name__)

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
        return search_space.size(self._parameter_space)

    def _next(self, history, rng):
        """The next point of the space (None: used up), as the service's sampler proposes it."""
        return sampling.next_point(self._algorithm, self._parameter_space, history, rng)


class GridParameterSampling(HyperParameterSampling):
    """Every combination of the `choice` values, in order (only `choice` is allowed).

    Args:
        parameter_space: {name: choice(...)}.
        properties: extra settings.
    """

    SAMPLING_NAME = "GRID"

    def __init__(self, parameter_space, properties=None):
        super().__init__(self.SAMPLING_NAME, parameter_space, properties, supported_distributions=("choice",))


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


class BayesianParameterSampling(HyperParameterSampling):
    """Points chosen from the results so far (choice, uniform and quniform only; no early termination).

    How the simulation chooses is the service's (`sim.cloud.sweeps.sampling._bayesian`): two random points,
    then the best of 64 random candidates scored by a small surrogate of the finished children plus an
    exploration bonus, a simple stand-in for the service's Bayesian optimization.

    Args:
        parameter_space: {name: choice(...), uniform(...) or quniform(...)}.
        properties: extra settings (recorded).
    """

    SAMPLING_NAME = "BayesianOptimization"

    def __init__(self, parameter_space, properties=None):
        super().__init__(self.SAMPLING_NAME, parameter_space, properties,
                         supported_distributions=("choice", "uniform", "quniform"))


__all__ = ["BayesianParameterSampling", "GridParameterSampling", "HyperParameterSampling",
           "RandomParameterSampling"]
