"""How a sweep chooses the next trial's hyperparameters: grid, random or Bayesian sampling.

`next_point(algorithm, space, history, rng)` proposes the next point, where `history` lists the (point, primary
metric or None) of the trials so far, the metric oriented so that larger is better. It returns None when the space
is used up (grid: every combination ran; random over discrete parameters only: every combination was drawn).
"""

from __future__ import annotations

import itertools
import json
import math

from sim import messages
from sim.cloud.errors import JOB, UserError
from sim.cloud.sweeps import search_space

GRID, RANDOM, BAYESIAN = "grid", "random", "bayesian"
SUPPORTED = {GRID: ("choice",), RANDOM: search_space.DISTRIBUTIONS, BAYESIAN: ("choice", "uniform", "quniform")}
RANDOM_TRIES = 1000  # draws before a random sampler over a nearly exhausted discrete space gives up


def check(algorithm: str, space, sampler_name: str | None = None) -> dict:
    """A search space checked for a sampling algorithm; returns {name: expression}.

    Args:
        algorithm: grid, random or bayesian.
        space: {name: [distribution, [arguments]]}.
        sampler_name: how messages name the sampler (SDK v1 names its class, e.g. GridParameterSampling).

    Raises:
        UserError: an unknown algorithm, a bad space, or a distribution the algorithm cannot sample.
    """
    if algorithm not in SUPPORTED:
        raise UserError(JOB, messages.SWEEP_SAMPLING_UNKNOWN.format(algorithm=algorithm))
    checked = search_space.check_space(space)
    supported = SUPPORTED[algorithm]
    for name, (distribution, _) in checked.items():
        if distribution not in supported:
            raise UserError(JOB, messages.SWEEP_UNSUPPORTED_DISTRIBUTION.format(
                sampler=sampler_name or f"{algorithm.capitalize()} sampling", distribution=distribution, name=name,
                supported=", ".join(supported)))
    return checked


def next_point(algorithm: str, space: dict, history: list, rng) -> dict | None:
    """The next trial's hyperparameters (None: the space is used up)."""
    return {GRID: _grid, RANDOM: _random, BAYESIAN: _bayesian}[algorithm](space, history, rng)


def _grid(space, history, rng):
    names = list(space)
    grid = itertools.product(*(search_space.discrete_values(space[n]) for n in names))
    point = next(itertools.islice(grid, len(history), None), None)
    return None if point is None else dict(zip(names, point, strict=True))


def _random_point(space, rng) -> dict:
    return {n: search_space.draw(e, rng) for n, e in space.items()}


def _random(space, history, rng):
    # Over discrete parameters only, a combination is never drawn twice, so the sweep ends once all ran.
    size = search_space.size(space)
    if size is not None and len(history) >= size:
        return None
    seen = {json.dumps(h[0], sort_keys=True, default=str) for h in history}
    for _ in range(RANDOM_TRIES):
        point = _random_point(space, rng)
        if size is None or json.dumps(point, sort_keys=True, default=str) not in seen:
            return point
    return None


INITIAL_RANDOM = 2
CANDIDATES = 64


def _bayesian(space, history, rng):
    """Points chosen from the results so far: a simple stand-in for the service's Bayesian optimization.

    The first two points are random. After that 64 random candidates are scored with a small surrogate of the
    finished trials: a prediction (their primary metrics averaged, weighted by closeness in the space scaled to
    [0, 1]) plus an exploration bonus that grows with the distance to the nearest point already tried. The best
    scored candidate runs next, so better regions are sampled more and unexplored ones still get tried.
    """
    first = _random_point(space, rng)
    scored = [(_scaled(space, p), m) for p, m in history if m is not None]
    if len(scored) < INITIAL_RANDOM:
        return first
    tried = [_scaled(space, p) for p, _ in history]
    candidates = [first] + [_random_point(space, rng) for _ in range(CANDIDATES - 1)]
    return max(candidates, key=lambda c: _score(_scaled(space, c), scored, tried))


def _scaled(space, point) -> list[float]:
    out = []
    for name, (kind, args) in space.items():
        value = point[name]
        if kind == "choice":
            options = args[0]
            index = options.index(value) if value in options else 0
            out.append(index / max(1, len(options) - 1))
        else:
            out.append((float(value) - args[0]) / (args[1] - args[0]))
    return out


def _score(x, scored, tried) -> float:
    weights = [(1.0 / (1e-6 + math.dist(x, p)), m) for p, m in scored]
    total = sum(w for w, _ in weights)
    metrics = [m for _, m in scored]
    spread = (max(metrics) - min(metrics)) or 1.0
    predicted = sum(w * m for w, m in weights) / total
    nearest = min(math.dist(x, p) for p in tried)
    return predicted + 0.5 * spread * nearest
