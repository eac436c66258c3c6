"""Simulated `azureml.train.hyperdrive.policy`: early termination policies, applied for real.

The policies' decisions are the service's sweep engine's (`sim.cloud.sweeps.policies`), shared with SDK v2's
sweep jobs: `policy._to_cancel(histories, active, maximize)` asks it which children to stop, where
`histories` maps each child's run id to the values of the primary metric it logged, in order.
"""

from __future__ import annotations

import json
from abc import ABC

from sim.azureml.train.hyperdrive.exceptions import HyperDriveConfigException
from sim.cloud.sweeps import policies


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
        """The active children the policy stops now (the service's decision)."""
        return policies.to_cancel(self._name, self._properties, histories, set(active), maximize)


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


class NoTerminationPolicy(EarlyTerminationPolicy):
    """Let every child run to the end."""

    POLICY_NAME = "Default"

    def __init__(self):
        super().__init__(self.POLICY_NAME, {})


__all__ = ["BanditPolicy", "EarlyTerminationPolicy", "MedianStoppingPolicy", "NoTerminationPolicy",
           "TruncationSelectionPolicy"]
