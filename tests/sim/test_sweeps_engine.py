"""The sweep engine of the service (sim.cloud.sweeps), with no SDK: search space, sampling, policies, the loop.

The loop is driven with a launcher that makes each trial an in-process run whose primary metric the test logs
itself, so a crafted metric series decides what the policy does.
"""

from __future__ import annotations

import random
import time

import pytest

from sim.cloud.errors import UserError
from sim.cloud.sweeps import engine, policies, sampling, search_space


def test_expressions_are_checked_with_messages_that_name_the_distribution():
    assert search_space.check_expression("C", ("uniform", (0.1, 1))) == ["uniform", [0.1, 1]]
    cases = [(["uniform", [1, 0]], "uniform() needs min_value < max_value; got 1 and 0."),
             (["choice", [[]]], "choice() needs at least one option"),
             (["normal", ["a", 1]], "normal() takes numbers"),
             (["quniform", [0, 1, 0]], "step q greater than 0"),
             (["randint", [0]], "randint() needs an upper bound of at least 1"),
             (["beta", [1, 2]], "'beta', which is not a distribution"),
             ([0.1, 0.2], "must be a parameter expression")]
    for expression, message in cases:
        with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
            search_space.check_expression("C", expression)
        assert caught.value.status == 400
    with pytest.raises(UserError, match="non-empty dict"):
        search_space.check_space({})


def test_every_distribution_draws_within_its_range():
    rng = random.Random(7)
    space = {"u": ["uniform", [2, 3]], "q": ["quniform", [0, 10, 5]], "lu": ["loguniform", [0, 1]],
             "r": ["randint", [4]], "n": ["normal", [0, 1]], "qn": ["qnormal", [0, 1, 1]], "c": ["choice", [["x"]]],
             "ln": ["lognormal", [0, 1]], "qlu": ["qloguniform", [0, 2, 1]], "qln": ["qlognormal", [0, 1, 1]]}
    for _ in range(100):
        point = {name: search_space.draw(e, rng) for name, e in space.items()}
        assert 2 <= point["u"] <= 3 and point["q"] in (0, 5, 10) and 1 <= point["lu"] <= 2.72
        assert point["r"] in range(4) and point["c"] == "x" and point["ln"] > 0 and point["qn"] % 1 == 0
    assert search_space.size({"a": ["choice", [[1, 2, 3]]], "b": ["randint", [2]]}) == 6
    assert search_space.size({"a": ["choice", [[1, 2]]], "b": ["uniform", [0, 1]]}) is None


def test_each_algorithm_accepts_only_its_distributions():
    uniform = {"C": ["uniform", [0, 1]]}
    with pytest.raises(UserError, match="Grid sampling does not support 'uniform' \\(parameter 'C'\\)"):
        sampling.check("grid", uniform)
    with pytest.raises(UserError, match="GridParameterSampling does not support"):
        sampling.check("grid", uniform, "GridParameterSampling")
    with pytest.raises(UserError, match="Bayesian sampling does not support 'normal'"):
        sampling.check("bayesian", {"C": ["normal", [0, 1]]})
    with pytest.raises(UserError, match="'sobol' is not known|Sampling algorithm 'sobol' is not known"):
        sampling.check("sobol", uniform)
    assert sampling.check("random", uniform) == uniform


def test_grid_visits_every_combination_in_order_then_stops():
    space = {"a": ["choice", [[1, 2]]], "b": ["choice", [["x", "y"]]]}
    history, rng = [], random.Random(0)
    while (point := sampling.next_point("grid", space, history, rng)) is not None:
        history.append((point, None))
    assert [p for p, _ in history] == [{"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 2, "b": "x"},
                                       {"a": 2, "b": "y"}]


def test_random_over_discrete_parameters_never_repeats_and_ends():
    space = {"a": ["choice", [[1, 2, 3]]], "b": ["randint", [2]]}
    history, rng = [], random.Random(1)
    while (point := sampling.next_point("random", space, history, rng)) is not None:
        history.append((point, None))
    assert len(history) == 6 and len({(p["a"], p["b"]) for p, _ in history}) == 6


def test_bayesian_samples_near_the_best_results_more():
    space = {"x": ["uniform", [0, 1]]}
    history = [({"x": 0.9}, 0.95), ({"x": 0.1}, 0.10), ({"x": 0.5}, 0.5)]
    rng = random.Random(3)
    picks = [sampling.next_point("bayesian", space, history, rng)["x"] for _ in range(30)]
    assert sum(p > 0.5 for p in picks) > 20


def test_bandit_cancels_outside_its_slack_factor_or_amount_for_either_goal():
    histories = {"good": [0.8, 0.9, 0.9], "close": [0.79, 0.85, 0.85], "bad": [0.5, 0.5, 0.5]}
    active = set(histories)
    assert policies.to_cancel("Bandit", {"slack_factor": 0.1}, histories, active, True) == {"bad"}
    assert policies.to_cancel("Bandit", {"slack_amount": 0.01}, histories, active, True) == {"close", "bad"}
    assert policies.to_cancel("Bandit", {"slack_factor": 0.1, "delay_evaluation": 3}, histories, active, True) \
        == set()
    losses = {"low": [0.1, 0.1], "high": [0.5, 0.5]}
    assert policies.to_cancel("Bandit", {"slack_factor": 0.2}, losses, set(losses), False) == {"high"}
    assert policies.to_cancel("Bandit", {"slack_factor": 0.1}, histories, {"good"}, True) == set()


def test_median_stopping_and_truncation_selection_decisions():
    histories = {"a": [0.9, 0.9], "b": [0.7, 0.7], "c": [0.2, 0.3], "d": [0.8, 0.85]}
    active = set(histories)
    assert policies.to_cancel("MedianStopping", {}, histories, active, True) == {"b", "c"}
    assert policies.to_cancel("TruncationSelection", {"truncation_percentage": 25}, histories, active, True) \
        == {"c"}
    assert policies.to_cancel("TruncationSelection", {"truncation_percentage": 50}, histories, {"a", "c"},
                              False) == {"a"}
    assert policies.to_cancel("Default", {}, histories, active, True) == set()
    assert policies.to_cancel("MedianStopping", {"evaluation_interval": 2}, {"a": [0.9], "c": [0.1]},
                              {"a", "c"}, True) == set()  # interval 1 is not judged when every 2nd is


def test_policy_settings_are_checked_and_completed():
    assert policies.check("Bandit", {"slack_factor": 0.1, "evaluation_interval": 0}) == {
        "evaluation_interval": 1, "delay_evaluation": 0, "slack_factor": 0.1}
    assert policies.check("Bandit", {"slack_amount": 0.2})["slack_amount"] == 0.2
    assert policies.check("Default", {}) == {}
    for policy, settings, message in [
            ("TruncationSelection", {"truncation_percentage": 100}, "truncation_percentage must be a whole number"),
            ("Bandit", {"slack_factor": -1}, "slack_factor must be a number >= 0"),
            ("MedianStopping", {"delay_evaluation": -2}, "delay_evaluation must be a whole number"),
            ("Hyperband", {}, "'Hyperband' is not known")]:
        with pytest.raises(UserError, match=message):
            policies.check(policy, settings)


# ---- the loop, with trials whose metrics the test logs itself ----------------------------------------------


@pytest.fixture
def record(dp100_home):
    from sim.cloud import workspaces

    return workspaces.create("00000000-0000-0000-0000-0000000000e1", "rg-sweeps", "sweep-engine",
                             location="eastus")


def _settings(space, sampling_name="grid", policy=None, policy_settings=None, goal="MAXIMIZE", total=10,
              concurrent=None, minutes=5.0):
    return {"sampling": sampling_name, "parameter_space": space, "policy": policy,
            "policy_settings": policy_settings or {}, "primary_metric_name": "accuracy",
            "primary_metric_goal": goal, "max_total_runs": total, "max_concurrent_runs": concurrent,
            "max_duration_minutes": minutes}


class Trials:
    """A launcher whose trials are in-process runs logging `series(params)`; they end when told to."""

    def __init__(self, record, series, end_at_once=True):
        self.record, self.series, self.end_at_once = record, series, end_at_once
        self.started: list[str] = []
        self.peak = 0

    def __call__(self, run_id, params):
        from sim.cloud.runs import lifecycle, state, tracking

        parent = run_id.rsplit("_", 1)[0]
        lifecycle.start(self.record, "sweeps", state.INTERACTIVE, run_id=run_id, parent_run_id=parent,
                        tags={"hyperparameters": str(params)})
        client = tracking.client(self.record)
        for step, value in enumerate(self.series(params)):
            client.log_metric(run_id, "accuracy", value, step=step)
        self.started.append(run_id)
        running = sum(lifecycle.status(self.record, r) == state.RUNNING for r in self.started)
        self.peak = max(self.peak, running)
        if self.end_at_once:
            lifecycle.finish(self.record, run_id, state.COMPLETED)


def _parent(record, name="sweep_parent"):
    from sim.cloud.runs import lifecycle, state

    lifecycle.start(record, "sweeps", engine.RUN_TYPE, state.RUNNING, run_id=name)
    return name


def _wait(record, run_id, timeout=60):
    """The run's status once it has ended (a trial the sweep has not launched yet is waited for too)."""
    from sim.cloud.runs import lifecycle, state

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if state.get(record, run_id) is not None and lifecycle.status(record, run_id) in state.TERMINAL:
            break
        time.sleep(0.05)
    return lifecycle.status(record, run_id)


def test_a_grid_sweep_runs_every_point_and_names_the_best_trial(record):
    from sim.cloud.runs import state

    space = {"a": ["choice", [[0.2, 0.9, 0.5]]]}
    trials = Trials(record, lambda p: [p["a"] / 2, p["a"]])
    parent = _parent(record)
    engine.start(record, parent, _settings(space), trials)
    assert _wait(record, parent) == "Completed"
    assert trials.started == [f"{parent}_{n}" for n in range(3)]
    properties = state.get(record, parent)["properties"]
    assert properties["best_child_run_id"] == f"{parent}_1" and float(properties["score"]) == 0.9
    assert properties["space_size"] == "3" and properties["runTemplate"] == "HyperDrive"
    assert engine.best_trial(record, parent, _settings(space, goal="MINIMIZE")) == (f"{parent}_0", 0.1)


def test_limits_cap_total_and_concurrent_trials(record):
    space = {"a": ["choice", [[1, 2, 3, 4, 5]]]}
    trials = Trials(record, lambda p: [p["a"]])
    parent = _parent(record)
    engine.start(record, parent, _settings(space, total=3, concurrent=1), trials)
    assert _wait(record, parent) == "Completed"
    assert len(trials.started) == 3 and trials.peak == 1


def test_a_bandit_policy_cancels_a_trial_on_a_crafted_metric_series(record):
    from sim.cloud.runs import lifecycle, state

    space = {"quality": ["choice", [[0.9, 0.3]]]}
    trials = Trials(record, lambda p: [p["quality"]] * 4, end_at_once=False)
    parent = _parent(record)
    engine.start(record, parent, _settings(space, policy="bandit",
                                           policy_settings={"slack_factor": 0.2, "delay_evaluation": 2}), trials)
    bad, good = f"{parent}_1", f"{parent}_0"
    assert _wait(record, bad) == "Canceled"
    assert lifecycle.status(record, good) == "Running"  # within the slack: left to run
    lifecycle.finish(record, good, state.COMPLETED)
    assert _wait(record, parent) == "Completed"
    log = (engine.files.artifact_root(record, parent) / engine.LOG_FILE).read_text()
    assert f"Early termination (Bandit policy): canceling trial '{bad}'" in log


def test_the_sweep_timeout_cancels_it_with_its_running_trials(record):
    space = {"a": ["choice", [[1, 2]]]}
    trials = Trials(record, lambda p: [p["a"]], end_at_once=False)
    parent = _parent(record)
    engine.start(record, parent, _settings(space, minutes=0.01), trials)
    assert _wait(record, parent) == "Canceled"
    from sim.cloud.runs import lifecycle

    assert [lifecycle.status(record, r) for r in trials.started] == ["Canceled", "Canceled"]


def test_a_sweep_whose_trials_all_fail_fails_and_a_launch_error_fails_it_with_the_reason(record):
    from sim.cloud.runs import lifecycle, state

    def failing(run_id, params):
        lifecycle.start(record, "sweeps", state.INTERACTIVE, run_id=run_id, parent_run_id=run_id.rsplit("_", 1)[0])
        lifecycle.finish(record, run_id, state.FAILED)

    parent = _parent(record, "sweep_failing")
    engine.start(record, parent, _settings({"a": ["choice", [[1, 2]]]}), failing)
    assert _wait(record, parent) == "Failed"
    assert "All 2 trials of the sweep failed" in state.get(record, parent)["error"]["error"]["message"]

    def broken(run_id, params):
        raise UserError("job", "the trial's compute is gone")

    parent = _parent(record, "sweep_broken")
    engine.start(record, parent, _settings({"a": ["choice", [[1]]]}), broken)
    assert _wait(record, parent) == "Failed"
    assert "the trial's compute is gone" in state.get(record, parent)["error"]["error"]["message"]
