"""Simulated `azureml.train.hyperdrive.policy`: early termination policies, applied for real.

The sweep calls `policy._to_cancel(histories, active, maximize)` as children log their primary metric.
`histories` maps each child's run id to the values of the primary metric it logged, in order; the k-th
value is the child's interval k. A child is judged at each interval k that is a multiple of
`evaluation_interval` and later than `delay_evaluation`, against the other children that reached k.
"""

from __future__ import annotations

import json
import statistics
from abc import ABC

from sim.azureml.train.hyperdrive.exceptions import HyperDriveConfigException


class EarlyTerminationPolicy(ABC):  # noqa: B024 (abstract in the SDK without abstract methods)
    """The base of the early termination policies.

    Args:
        name: the policy's service name ('Bandit', 'MedianStopping', 'TruncationSelection', 'Default').
        properties: the policy's settings.
    """

    def __init__(self, name, properties=None):
        self._name = name
        self._properties = properties or {}

    def to_json(self):
        """The policy as JSON: its name and settings."""
        return json.dumps({"name": self._name, "properties": self._properties})

    def __eq__(self, other):
        """Equal when the name and settings are equal."""
        return type(self) is type(other) and self.to_json() == other.to_json()

    __hash__ = None

    def _to_cancel(self, histories, active, maximize) -> set:
        return set()

    def _judged_intervals(self, count):
        interval = self._properties.get("evaluation_interval", 1)
        delay = self._properties.get("delay_evaluation", 0)
        return [k for k in range(1, count + 1) if k % interval == 0 and k > delay]


def _positive_int(name, value, minimum=1):
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise HyperDriveConfigException(f"{name} must be an integer of at least {minimum}; got {value!r}.")
    return value


def _intervals(evaluation_interval, delay_evaluation) -> dict:
    return {"evaluation_interval": _positive_int("evaluation_interval", evaluation_interval),
            "delay_evaluation": _positive_int("delay_evaluation", delay_evaluation, 0)}


# Shared by the policies that judge at intervals (the SDK gives each of them these two properties).
_EVALUATION_INTERVAL = property(lambda self: self._properties["evaluation_interval"],
                                doc="How often (in metric reports) children are judged.")
_DELAY_EVALUATION = property(lambda self: self._properties["delay_evaluation"],
                             doc="How many reports pass before the first judgement.")


def _at(histories, k, maximize):
    """Each child's primary metric at interval k, oriented so that larger is better."""
    sign = 1 if maximize else -1
    return {rid: sign * values[k - 1] for rid, values in histories.items() if len(values) >= k}


class BanditPolicy(EarlyTerminationPolicy):
    """Cancel a child whose metric falls outside a slack of the best child's at the same interval.

    With `slack_factor` f (maximizing) a child is canceled below best / (1 + f), (minimizing) above
    best * (1 + f); with `slack_amount` a below best - a or above best + a.

    Args:
        evaluation_interval: judge every this many metric reports.
        slack_factor: the allowed ratio to the best.
        slack_amount: the allowed absolute distance to the best.
        delay_evaluation: do not judge the first this many reports.
    """

    POLICY_NAME = "Bandit"

    def __init__(self, evaluation_interval=1, slack_factor=None, slack_amount=None, delay_evaluation=0):
        if (slack_factor is None) == (slack_amount is None):
            raise HyperDriveConfigException("BanditPolicy needs exactly one of slack_factor or slack_amount.")
        slack = slack_factor if slack_factor is not None else slack_amount
        if not isinstance(slack, int | float) or isinstance(slack, bool) or slack < 0:
            raise HyperDriveConfigException(f"The slack of a BanditPolicy must be a number >= 0; got {slack!r}.")
        properties = _intervals(evaluation_interval, delay_evaluation)
        properties["slack_factor" if slack_factor is not None else "slack_amount"] = slack
        super().__init__(self.POLICY_NAME, properties)

    evaluation_interval = _EVALUATION_INTERVAL
    delay_evaluation = _DELAY_EVALUATION

    @property
    def slack_factor(self):
        """The allowed ratio to the best child (None when a slack_amount is used)."""
        return self._properties.get("slack_factor")

    def _outside_slack(self, value, best, maximize) -> bool:
        if "slack_amount" in self._properties:
            return value < best - self._properties["slack_amount"]  # oriented values: larger is better
        factor = 1 + self._properties["slack_factor"]
        raw_value, raw_best = (value, best) if maximize else (-value, -best)
        return raw_value < raw_best / factor if maximize else raw_value > raw_best * factor

    def _to_cancel(self, histories, active, maximize):
        out = set()
        for rid in active:
            for k in self._judged_intervals(len(histories.get(rid, []))):
                values = _at(histories, k, maximize)
                if self._outside_slack(values[rid], max(values.values()), maximize):
                    out.add(rid)
                    break
        return out


class MedianStoppingPolicy(EarlyTerminationPolicy):
    """Cancel a child whose best metric so far is worse than the median of the children's running averages.

    Args:
        evaluation_interval: judge every this many metric reports.
        delay_evaluation: do not judge the first this many reports.
    """

    POLICY_NAME = "MedianStopping"

    def __init__(self, evaluation_interval=1, delay_evaluation=0):
        super().__init__(self.POLICY_NAME, _intervals(evaluation_interval, delay_evaluation))

    evaluation_interval = _EVALUATION_INTERVAL
    delay_evaluation = _DELAY_EVALUATION

    def _to_cancel(self, histories, active, maximize):
        sign = 1 if maximize else -1
        out = set()
        for rid in active:
            for k in self._judged_intervals(len(histories.get(rid, []))):
                reached = {r: [sign * v for v in vals[:k]] for r, vals in histories.items() if len(vals) >= k}
                if len(reached) < 2:
                    continue
                median = statistics.median(statistics.fmean(v) for v in reached.values())
                if max(reached[rid]) < median:
                    out.add(rid)
                    break
        return out


class TruncationSelectionPolicy(EarlyTerminationPolicy):
    """At each judged interval, cancel the lowest `truncation_percentage` percent of the children.

    Args:
        truncation_percentage: the share (1-99) of children cut at each judgement.
        evaluation_interval: judge every this many metric reports.
        delay_evaluation: do not judge the first this many reports.
    """

    POLICY_NAME = "TruncationSelection"

    def __init__(self, truncation_percentage, evaluation_interval=1, delay_evaluation=0):
        if not isinstance(truncation_percentage, int) or not 1 <= truncation_percentage <= 99:
            raise HyperDriveConfigException("truncation_percentage must be an integer from 1 to 99; "
                                            f"got {truncation_percentage!r}.")
        super().__init__(self.POLICY_NAME, {
            "truncation_percentage": truncation_percentage,
            **_intervals(evaluation_interval, delay_evaluation)})

    @property
    def truncation_percentage(self):
        """The share of children cut at each judgement."""
        return self._properties["truncation_percentage"]

    evaluation_interval = _EVALUATION_INTERVAL
    delay_evaluation = _DELAY_EVALUATION

    def _to_cancel(self, histories, active, maximize):
        out = set()
        for rid in active:
            for k in self._judged_intervals(len(histories.get(rid, []))):
                values = _at(histories, k, maximize)
                ranked = sorted(values, key=values.get)  # worst first
                cut = int(len(ranked) * self.truncation_percentage / 100)
                if rid in ranked[:cut]:
                    out.add(rid)
                    break
        return out


class NoTerminationPolicy(EarlyTerminationPolicy):
    """Let every child run to the end."""

    POLICY_NAME = "Default"

    def __init__(self):
        super().__init__(self.POLICY_NAME, {})


__all__ = ["BanditPolicy", "EarlyTerminationPolicy", "MedianStoppingPolicy", "NoTerminationPolicy",
           "TruncationSelectionPolicy"]
