"""HyperDrive without running anything: parameter expressions, samplers, policies' decisions, config checks."""

from __future__ import annotations

import random

import pytest


@pytest.fixture(scope="module")
def hd(sim_active):
    import azureml.train.hyperdrive as hd

    return hd


@pytest.fixture(scope="module")
def script(sim_active, tmp_path_factory):
    from azureml.core import ScriptRunConfig

    return ScriptRunConfig(source_directory=str(tmp_path_factory.mktemp("hdcfg")), script="train.py")


def _config(hd, script, **overrides):
    settings = dict(run_config=script, hyperparameter_sampling=hd.RandomParameterSampling({"--a": hd.uniform(0, 1)}),
                    primary_metric_name="accuracy", primary_metric_goal=hd.PrimaryMetricGoal.MAXIMIZE,
                    max_total_runs=4)
    settings.update(overrides)
    return hd.HyperDriveConfig(**settings)


def test_expressions_have_the_sdk_shape(hd):
    assert hd.choice(1, 2, 3) == ["choice", [[1, 2, 3]]] == hd.choice([1, 2, 3]) == hd.choice(range(1, 4))
    assert hd.uniform(0.1, 0.5) == ["uniform", [0.1, 0.5]]
    assert hd.quniform(1, 10, 2) == ["quniform", [1, 10, 2]]
    assert hd.randint(5) == ["randint", [5]]
    assert hd.qlognormal(0, 1, 0.5) == ["qlognormal", [0, 1, 0.5]]


def test_bad_expressions_are_refused(hd):
    from azureml.train.hyperdrive.exceptions import HyperDriveConfigException

    with pytest.raises(HyperDriveConfigException, match="min_value < max_value"):
        hd.uniform(1, 0)
    with pytest.raises(HyperDriveConfigException, match="at least one option"):
        hd.choice()
    with pytest.raises(HyperDriveConfigException, match="numbers"):
        hd.normal("a", 1)


def test_every_distribution_draws_in_range(hd):
    from sim.azureml.train.hyperdrive.parameter_expressions import draw

    rng = random.Random(3)
    space = {"u": hd.uniform(2, 3), "q": hd.quniform(0, 10, 5), "lu": hd.loguniform(0, 1), "r": hd.randint(4),
             "qlu": hd.qloguniform(0, 2, 1), "n": hd.normal(0, 1), "qn": hd.qnormal(0, 1, 1),
             "ln": hd.lognormal(0, 1), "qln": hd.qlognormal(0, 1, 1), "c": hd.choice("x", "y")}
    sampler = hd.RandomParameterSampling(space)
    for _ in range(50):
        point = sampler._next([], rng)
        assert 2 <= point["u"] <= 3 and point["q"] in (0, 5, 10) and 1 <= point["lu"] <= 2.72
        assert point["r"] in range(4) and point["c"] in ("x", "y") and point["ln"] > 0 and point["qn"] % 1 == 0
    assert draw(hd.qlognormal(0, 0.01, 1), rng) == 1


def test_samplers_accept_only_their_distributions(hd):
    from azureml.train.hyperdrive.exceptions import HyperDriveConfigException

    with pytest.raises(HyperDriveConfigException, match="GridParameterSampling does not support 'uniform'"):
        hd.GridParameterSampling({"--a": hd.uniform(0, 1)})
    with pytest.raises(HyperDriveConfigException, match="BayesianParameterSampling does not support 'normal'"):
        hd.BayesianParameterSampling({"--a": hd.normal(0, 1)})
    with pytest.raises(HyperDriveConfigException, match="parameter expression"):
        hd.RandomParameterSampling({"--a": [0.1, 0.2]})
    hd.BayesianParameterSampling({"--a": hd.choice(1, 2), "--b": hd.uniform(0, 1), "--c": hd.quniform(0, 4, 1)})


def test_random_sampling_of_only_choices_never_repeats_and_ends(hd):
    sampler = hd.RandomParameterSampling({"--a": hd.choice(1, 2), "--b": hd.choice("x", "y", "z")})
    history, rng = [], random.Random(0)
    while (point := sampler._next(history, rng)) is not None:
        history.append((point, None))
    assert len(history) == 6 and len({(p["--a"], p["--b"]) for p, _ in history}) == 6


def test_bayesian_sampling_follows_the_results(hd):
    sampler = hd.BayesianParameterSampling({"--x": hd.uniform(0, 1)})
    rng = random.Random(1)
    history = [({"--x": 0.9}, 0.95), ({"--x": 0.1}, 0.10), ({"--x": 0.5}, 0.5)]
    picks = [sampler._next(history, rng)["--x"] for _ in range(30)]
    assert sum(p > 0.5 for p in picks) > 20  # mostly near the best result, not spread evenly


def test_bayesian_refuses_an_early_termination_policy(hd, script):
    from azureml.train.hyperdrive.exceptions import HyperDriveConfigException

    bayes = hd.BayesianParameterSampling({"--a": hd.uniform(0, 1)})
    with pytest.raises(HyperDriveConfigException, match="No early termination policy is supported with Bayesian"):
        _config(hd, script, hyperparameter_sampling=bayes, policy=hd.BanditPolicy(slack_factor=0.1))
    assert _config(hd, script, hyperparameter_sampling=bayes, policy=hd.NoTerminationPolicy()).run_config is script


@pytest.mark.parametrize(("overrides", "message"), [
    ({"max_total_runs": 0}, "max_total_runs must be a positive integer"),
    ({"max_concurrent_runs": "2"}, "max_concurrent_runs must be a positive integer"),
    ({"primary_metric_goal": "up"}, "PrimaryMetricGoal.MAXIMIZE"),
    ({"primary_metric_name": ""}, "primary_metric_name"),
    ({"run_config": None}, "run_config=ScriptRunConfig"),
    ({"hyperparameter_sampling": {"--a": [0, 1]}}, "GridParameterSampling, RandomParameterSampling"),
    ({"policy": "bandit"}, "early termination policy"),
])
def test_bad_configs_are_refused(hd, script, overrides, message):
    from azureml.train.hyperdrive.exceptions import HyperDriveConfigException

    with pytest.raises(HyperDriveConfigException, match=message):
        _config(hd, script, **overrides)


def test_unsimulated_config_options_say_so(hd, script):
    from azureml.train.hyperdrive.exceptions import HyperDriveConfigException

    from sim.azureml._common.not_simulated import NotSimulatedError

    with pytest.raises(HyperDriveConfigException, match="not both"):
        _config(hd, script, estimator=object())
    with pytest.raises(NotSimulatedError, match="HyperDriveRunConfig"):
        hd.HyperDriveRunConfig(object(), None, "a", hd.PrimaryMetricGoal.MAXIMIZE, 2)


def test_policy_settings_are_checked_and_exposed(hd):
    from azureml.train.hyperdrive.exceptions import HyperDriveConfigException

    with pytest.raises(HyperDriveConfigException, match="exactly one of slack_factor or slack_amount"):
        hd.BanditPolicy(slack_factor=0.1, slack_amount=0.2)
    with pytest.raises(HyperDriveConfigException, match="exactly one"):
        hd.BanditPolicy()
    with pytest.raises(HyperDriveConfigException, match="1 to 99"):
        hd.TruncationSelectionPolicy(truncation_percentage=100)
    bandit = hd.BanditPolicy(evaluation_interval=2, slack_factor=0.1, delay_evaluation=5)
    assert (bandit.evaluation_interval, bandit.slack_factor, bandit.delay_evaluation) == (2, 0.1, 5)
    assert bandit == hd.BanditPolicy(2, 0.1, None, 5) and bandit != hd.MedianStoppingPolicy()
    assert hd.BanditPolicy.POLICY_NAME == "Bandit" and hd.NoTerminationPolicy.POLICY_NAME == "Default"


def test_bandit_decisions(hd):
    histories = {"good": [0.8, 0.9, 0.9], "close": [0.79, 0.85, 0.85], "bad": [0.5, 0.5, 0.5]}
    active = set(histories)
    assert hd.BanditPolicy(slack_factor=0.1)._to_cancel(histories, active, True) == {"bad"}
    assert hd.BanditPolicy(slack_amount=0.01)._to_cancel(histories, active, True) == {"close", "bad"}
    assert hd.BanditPolicy(slack_factor=0.1, delay_evaluation=3)._to_cancel(histories, active, True) == set()
    losses = {"low": [0.1, 0.1], "high": [0.5, 0.5]}
    assert hd.BanditPolicy(slack_factor=0.2)._to_cancel(losses, set(losses), False) == {"high"}


def test_median_and_truncation_decisions(hd):
    histories = {"a": [0.9, 0.9], "b": [0.7, 0.7], "c": [0.2, 0.3], "d": [0.8, 0.85]}
    assert hd.MedianStoppingPolicy()._to_cancel(histories, set(histories), True) == {"b", "c"}
    assert hd.TruncationSelectionPolicy(25)._to_cancel(histories, set(histories), True) == {"c"}
    assert hd.TruncationSelectionPolicy(50)._to_cancel(histories, {"a", "c"}, False) == {"a"}
    assert hd.NoTerminationPolicy()._to_cancel(histories, set(histories), True) == set()


def test_to_json_and_equality(hd):
    grid = hd.GridParameterSampling({"--a": hd.choice(1, 2)})
    assert grid == hd.GridParameterSampling({"--a": hd.choice(1, 2)}) != hd.RandomParameterSampling(
        {"--a": hd.choice(1, 2)})
    assert '"GRID"' in grid.to_json() and '"Bandit"' in hd.BanditPolicy(slack_factor=0.2).to_json()
