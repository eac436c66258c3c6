"""Early termination policies, applied for real as trials log their primary metric.

`to_cancel(policy, settings, histories, active, maximize)` says which active trials to stop. `histories` maps
each trial's run id to the values of the primary metric it logged, in order; the k-th value is its interval k.
A trial is judged at each interval k that is a multiple of `evaluation_interval` and later than
`delay_evaluation`, against the other trials that reached k.

Policies are named as the service names them (Bandit, MedianStopping, TruncationSelection; Default for none),
and their settings are snake_case: evaluation_interval, delay_evaluation, slack_factor or slack_amount,
truncation_percentage.
"""

from __future__ import annotations

import numbers
import statistics

from sim import messages
from sim.cloud.errors import JOB, UserError

BANDIT, MEDIAN, TRUNCATION, DEFAULT = "Bandit", "MedianStopping", "TruncationSelection", "Default"
NAMES = (BANDIT, MEDIAN, TRUNCATION, DEFAULT)


def _whole(setting: str, value, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise UserError(JOB, messages.SWEEP_POLICY_SETTING.format(
            setting=setting, expected=f"a whole number of at least {minimum}", value=value))
    return value


def _slack(setting: str, value) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or value < 0:
        raise UserError(JOB, messages.SWEEP_POLICY_SETTING.format(setting=setting, expected="a number >= 0",
                                                                  value=value))
    return value


def check(policy: str, settings: dict) -> dict:
    """A policy's settings, checked; returns them with their defaults filled in.

    An evaluation interval of 0 (SDK v2's default for some policies) means every interval, as 1 does.

    Raises:
        UserError: an unknown policy or a setting out of range.
    """
    if policy not in NAMES:
        raise UserError(JOB, messages.SWEEP_POLICY_UNKNOWN.format(policy=policy))
    if policy == DEFAULT:
        return {}
    out = {"evaluation_interval": max(1, _whole("evaluation_interval", settings.get("evaluation_interval", 1), 0)),
           "delay_evaluation": _whole("delay_evaluation", settings.get("delay_evaluation", 0), 0)}
    if policy == BANDIT:
        factor, amount = settings.get("slack_factor") or 0, settings.get("slack_amount") or 0
        if factor:
            out["slack_factor"] = _slack("slack_factor", factor)
        else:
            out["slack_amount"] = _slack("slack_amount", amount)
    if policy == TRUNCATION:
        percentage = settings.get("truncation_percentage")
        if not isinstance(percentage, int) or isinstance(percentage, bool) or not 1 <= percentage <= 99:
            raise UserError(JOB, messages.SWEEP_POLICY_SETTING.format(
                setting="truncation_percentage", expected="a whole number from 1 to 99", value=percentage))
        out["truncation_percentage"] = percentage
    return out


def to_cancel(policy: str, settings: dict, histories: dict, active: set, maximize: bool) -> set:
    """The active trials the policy stops now (none for the Default policy)."""
    judge = {BANDIT: _bandit, MEDIAN: _median, TRUNCATION: _truncation}.get(policy)
    if judge is None:
        return set()
    out = set()
    for rid in active:
        for k in _judged_intervals(settings, len(histories.get(rid, []))):
            if judge(settings, histories, rid, k, maximize):
                out.add(rid)
                break
    return out


def _judged_intervals(settings: dict, count: int) -> list[int]:
    interval = max(1, settings.get("evaluation_interval", 1))
    delay = settings.get("delay_evaluation", 0)
    return [k for k in range(1, count + 1) if k % interval == 0 and k > delay]


def _at(histories: dict, k: int, maximize: bool) -> dict:
    """Each trial's primary metric at interval k, oriented so that larger is better."""
    sign = 1 if maximize else -1
    return {rid: sign * values[k - 1] for rid, values in histories.items() if len(values) >= k}


def _bandit(settings, histories, rid, k, maximize) -> bool:
    """Outside the slack of the best trial at interval k.

    With slack_factor f (maximizing) below best / (1 + f), (minimizing) above best * (1 + f); with slack_amount
    a, below best - a or above best + a.
    """
    values = _at(histories, k, maximize)
    value, best = values[rid], max(values.values())
    if "slack_amount" in settings:
        return value < best - settings["slack_amount"]  # oriented values: larger is better
    factor = 1 + settings["slack_factor"]
    return value < best / factor if maximize else -value > -best * factor


def _median(settings, histories, rid, k, maximize) -> bool:
    """The trial's best value so far is worse than the median of the trials' running averages at k."""
    sign = 1 if maximize else -1
    reached = {r: [sign * v for v in vals[:k]] for r, vals in histories.items() if len(vals) >= k}
    if len(reached) < 2:
        return False
    median = statistics.median(statistics.fmean(v) for v in reached.values())
    return max(reached[rid]) < median


def _truncation(settings, histories, rid, k, maximize) -> bool:
    """The trial is among the lowest `truncation_percentage` percent of the trials at interval k."""
    values = _at(histories, k, maximize)
    ranked = sorted(values, key=values.get)  # worst first
    cut = int(len(ranked) * settings["truncation_percentage"] / 100)
    return rid in ranked[:cut]
