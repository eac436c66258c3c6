"""HyperDrive sweeps end to end: real child jobs, concurrency limits, early termination, best run, rehydration."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import pytest

import sim
from tests.sim._runs_helpers import module_home, new_workspace

TRAIN = """import argparse
import time
from azureml.core import Run

parser = argparse.ArgumentParser()
parser.add_argument('--quality', type=float, default=0.5)
parser.add_argument('--reg', type=float, default=0.0)
parser.add_argument('--steps', type=int, default=1)
parser.add_argument('--pause', type=float, default=0.0)
parser.add_argument('--below-runs-longer', type=float, default=0.0)
args = parser.parse_args()
run = Run.get_context()
steps = args.steps * 10 if args.quality < args.below_runs_longer else args.steps
for step in range(steps):
    run.log('accuracy', args.quality - args.reg)
    run.log('loss', 1 - args.quality + args.reg)
    run.flush()
    time.sleep(args.pause)
run.complete()
"""


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    with module_home(tmp_path_factory, "hdsweeps") as (home, work):
        folder = Path(work) / "train"
        folder.mkdir()
        (folder / "train.py").write_text(TRAIN)
        yield home


@pytest.fixture(scope="module")
def ws(dp100_home):
    sim.activate()
    return new_workspace("hyperdrive-ws")


def _config(space, sampling="grid", policy=None, goal="MAXIMIZE", total=4, concurrent=None, arguments=()):
    from azureml.core import ScriptRunConfig
    from azureml.train.hyperdrive import (
        GridParameterSampling,
        HyperDriveConfig,
        PrimaryMetricGoal,
        RandomParameterSampling,
    )

    sampler = {"grid": GridParameterSampling, "random": RandomParameterSampling}[sampling](space)
    script = ScriptRunConfig(source_directory="train", script="train.py", arguments=list(arguments))
    return HyperDriveConfig(run_config=script, hyperparameter_sampling=sampler, policy=policy,
                            primary_metric_name="accuracy", primary_metric_goal=PrimaryMetricGoal[goal],
                            max_total_runs=total, max_concurrent_runs=concurrent)


@pytest.fixture(scope="module")
def grid_run(ws):
    """A 3x2 grid sweep, two children at a time (shared by several tests)."""
    from azureml.core import Experiment
    from azureml.train.hyperdrive import choice

    space = {"--quality": choice(0.6, 0.8, 0.7), "--reg": choice(0.0, 0.1)}
    run = Experiment(ws, "hd-grid").submit(_config(space, total=10, concurrent=2))
    run.wait_for_completion()
    return run


def test_submit_returns_a_running_hyperdrive_run_at_once(ws):
    from azureml.core import Experiment
    from azureml.train.hyperdrive import HyperDriveRun, choice

    run = Experiment(ws, "hd-fast").submit(_config({"--quality": choice(0.5)}, total=1,
                                                   arguments=["--steps", 30, "--pause", 0.1]))
    assert isinstance(run, HyperDriveRun) and run.id.startswith("HD_") and run.type == "hyperdrive"
    assert run.get_status() == "Running"
    assert run.cancel() is True
    run.wait_for_completion(raise_on_error=False)
    assert run.get_status() == "Canceled"
    assert all(c.get_status() == "Canceled" for c in run.get_children())


def test_grid_sweep_visits_every_combination_once(grid_run):
    assert grid_run.get_status() == "Completed"
    children = grid_run.get_children()
    assert sorted(c.id for c in children) == sorted(f"{grid_run.id}_{n}" for n in range(6))
    seen = sorted((p["--quality"], p["--reg"]) for p in grid_run.get_hyperparameters().values())
    assert seen == sorted(itertools.product([0.6, 0.8, 0.7], [0.0, 0.1]))
    assert all(c.get_status() == "Completed" and c.parent.id == grid_run.id for c in children)


def test_children_are_real_scripts_with_sampled_arguments(grid_run):
    for child in grid_run.get_children():
        params = json.loads(child.get_tags()["hyperparameters"])
        arguments = child.get_details()["runDefinition"]["arguments"]
        assert arguments == ["--quality", str(params["--quality"]), "--reg", str(params["--reg"])]
        assert child.get_metrics()["accuracy"] == pytest.approx(params["--quality"] - params["--reg"])


def test_best_run_and_sorted_children_follow_the_goal(grid_run):
    best = grid_run.get_best_run_by_primary_metric()
    assert json.loads(best.get_tags()["hyperparameters"]) == {"--quality": 0.8, "--reg": 0.0}
    rows = grid_run.get_children_sorted_by_primary_metric()
    values = [r["best_primary_metric"] for r in rows]
    assert values == sorted(values, reverse=True) and rows[0]["run_id"] == best.id
    assert set(rows[0]) == {"run_id", "hyperparameters", "best_primary_metric", "status"}
    assert [r["run_id"] for r in grid_run.get_children_sorted_by_primary_metric(top=2, reverse=True)] == \
        [r["run_id"] for r in rows[::-1][:2]]
    assert set(grid_run.get_metrics()) == {c.id for c in grid_run.get_children()}


def test_minimize_picks_the_smallest_metric(ws):
    from azureml.core import Experiment
    from azureml.train.hyperdrive import choice

    run = Experiment(ws, "hd-min").submit(_config({"--quality": choice(0.2, 0.9, 0.5)}, goal="MINIMIZE", total=3))
    run.wait_for_completion()
    assert json.loads(run.get_best_run_by_primary_metric().get_tags()["hyperparameters"]) == {"--quality": 0.2}


def test_random_sweep_honours_total_and_concurrency(ws):
    from azureml.core import Experiment
    from azureml.train.hyperdrive import randint, uniform

    space = {"--quality": uniform(0.1, 0.9), "--reg": randint(3)}
    run = Experiment(ws, "hd-random").submit(_config(space, sampling="random", total=4, concurrent=2,
                                                     arguments=["--steps", 3, "--pause", 0.2]))
    run.wait_for_completion()
    children = run.get_children()
    assert len(children) == 4 and all(c.get_status() == "Completed" for c in children)
    spans = []
    for child in children:
        details = child.get_details()
        spans.append((details["startTimeUtc"], details["endTimeUtc"]))
    for moment, _ in spans:  # at no child's start were more than two children running
        assert sum(start <= moment < end for start, end in spans) <= 2
    assert all(0.1 <= p["--quality"] <= 0.9 and p["--reg"] in (0, 1, 2) for p in run.get_hyperparameters().values())


def test_bandit_cancels_a_clearly_worse_child(ws):
    from azureml.core import Experiment
    from azureml.train.hyperdrive import BanditPolicy, choice

    policy = BanditPolicy(evaluation_interval=1, slack_factor=0.1, delay_evaluation=2)
    # The worse child logs ten times longer: on a loaded machine its start may lag the better one's by seconds,
    # and it must still be running when the policy can compare them (it is canceled long before it would end).
    arguments = ["--steps", 25, "--pause", 0.1, "--below-runs-longer", 0.5]
    run = Experiment(ws, "hd-bandit").submit(_config({"--quality": choice(0.9, 0.2)}, policy=policy, total=2,
                                                     arguments=arguments))
    run.wait_for_completion()
    by_quality = {p["--quality"]: rid for rid, p in run.get_hyperparameters().items()}
    from azureml.core import Run

    assert Run(run.experiment, by_quality[0.2]).get_status() == "Canceled"
    assert Run(run.experiment, by_quality[0.9]).get_status() == "Completed"
    assert run.get_status() == "Completed"
    assert run.get_best_run_by_primary_metric(include_canceled=False).id == by_quality[0.9]


def test_a_sweep_whose_children_all_fail_fails(ws):
    from azureml.core import Experiment, ScriptRunConfig
    from azureml.exceptions import ActivityFailedException
    from azureml.train.hyperdrive import GridParameterSampling, HyperDriveConfig, PrimaryMetricGoal, choice

    Path("broken").mkdir()
    (Path("broken") / "train.py").write_text("raise SystemExit('no data')\n")
    config = HyperDriveConfig(run_config=ScriptRunConfig("broken", "train.py"),
                              hyperparameter_sampling=GridParameterSampling({"--a": choice(1, 2)}),
                              primary_metric_name="accuracy", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                              max_total_runs=2)
    run = Experiment(ws, "hd-broken").submit(config)
    with pytest.raises(ActivityFailedException):
        run.wait_for_completion()
    assert run.get_status() == "Failed" and run.get_best_run_by_primary_metric() is None


def test_rehydrated_runs_are_hyperdrive_runs(ws, grid_run):
    from azureml.core import Experiment, Run
    from azureml.train.hyperdrive import HyperDriveRun
    from azureml.train.hyperdrive.exceptions import HyperDriveRehydrateException

    listed = next(r for r in Experiment(ws, "hd-grid").get_runs() if r.id == grid_run.id)
    assert type(listed) is HyperDriveRun and type(Run.get(ws, grid_run.id)) is HyperDriveRun
    rebuilt = HyperDriveRun(Experiment(ws, "hd-grid"), grid_run.id)
    assert rebuilt.get_best_run_by_primary_metric().id == grid_run.get_best_run_by_primary_metric().id
    with pytest.raises(HyperDriveRehydrateException, match="not a HyperDrive run"):
        HyperDriveRun(Experiment(ws, "hd-grid"), grid_run.get_children()[0].id)


def test_a_process_that_never_imported_hyperdrive_still_lists_a_hyperdrive_run(ws, grid_run):
    import subprocess
    import sys

    code = ("import sim; sim.activate()\nfrom azureml.core import Experiment, Workspace\n"
            f"ws = Workspace.get({ws.name!r}, subscription_id={ws.subscription_id!r}, "
            f"resource_group={ws.resource_group!r})\n"
            f"print(next(type(r).__name__ for r in Experiment(ws, 'hd-grid').get_runs() if r.id == {grid_run.id!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "HyperDriveRun", out.stderr[-2000:]


def test_unsimulated_members_say_so(grid_run):
    from sim.azureml._common.not_simulated import NotSimulatedError

    for call in (grid_run.fail, grid_run.get_diagnostics):
        with pytest.raises(NotSimulatedError):
            call()


def test_bayesian_sweep_runs_children_one_after_another(ws):
    from azureml.core import Experiment, ScriptRunConfig
    from azureml.train.hyperdrive import BayesianParameterSampling, HyperDriveConfig, PrimaryMetricGoal, uniform

    config = HyperDriveConfig(run_config=ScriptRunConfig("train", "train.py"),
                              hyperparameter_sampling=BayesianParameterSampling({"--quality": uniform(0.1, 0.9)}),
                              primary_metric_name="accuracy", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                              max_total_runs=3, max_concurrent_runs=1)
    run = Experiment(ws, "hd-bayes").submit(config)
    run.wait_for_completion()
    assert run.get_status() == "Completed" and len(run.get_children()) == 3
    assert all(0.1 <= p["--quality"] <= 0.9 for p in run.get_hyperparameters().values())
    from sim.cloud.runs.lifecycle import sweep_settings as settings_of

    settings = settings_of(ws._record, run.id)
    assert settings["sampling"] == "bayesian" and settings["policy"] is None and settings["max_total_runs"] == 3


def test_children_on_a_one_node_cluster_take_turns(ws):
    from azureml.core import Experiment
    from azureml.core.compute import AmlCompute, ComputeTarget
    from azureml.train.hyperdrive import choice

    cluster = ComputeTarget.create(ws, "hd-one-node", AmlCompute.provisioning_configuration(
        vm_size="STANDARD_DS11_V2", max_nodes=1))
    cluster.wait_for_completion()
    config = _config({"--quality": choice(0.3, 0.6)}, total=2, concurrent=2)
    config.run_config.run_config.target = cluster
    run = Experiment(ws, "hd-cluster").submit(config)
    assert run.wait_for_completion()["status"] == "Completed"
    first, second = sorted((c.get_details() for c in run.get_children()), key=lambda d: d["startTimeUtc"])
    assert first["target"] == second["target"] == "hd-one-node"
    assert second["startTimeUtc"] >= first["endTimeUtc"]  # the parent holds no node: the children take turns


def test_a_sweep_ends_with_the_process_that_drives_it(ws):
    import subprocess
    import sys

    from sim.cloud.runs import jobs, state

    starter = ("import sim; sim.activate()\n"
               "from azureml.core import Workspace, Experiment, ScriptRunConfig\n"
               "from azureml.train.hyperdrive import *\n"
               "config = HyperDriveConfig(run_config=ScriptRunConfig('train', 'train.py', arguments=['--steps', 300,"
               " '--pause', 0.1]), hyperparameter_sampling=GridParameterSampling({'--quality': choice(0.1, 0.2)}),"
               " primary_metric_name='accuracy', primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=2)\n"
               "run = Experiment(Workspace.from_config(), 'hd-orphans').submit(config)\n"
               "import time\n"
               "while len(run.get_children()) < 2: time.sleep(0.05)\n"
               "print(run.id)\n")
    done = subprocess.run([sys.executable, "-c", starter], capture_output=True, text=True, timeout=120,
                          env=jobs.with_project_on_path(dict(__import__("os").environ)))
    assert done.returncode == 0, done.stderr
    from azureml.core import Run

    parent = Run.get(ws, done.stdout.strip().splitlines()[-1])
    assert parent.get_status() == "Canceled", parent.get_details()
    children = parent.get_children()
    assert [c.get_status() for c in children] == ["Canceled", "Canceled"]
    pids = [state.get(ws._record, c.id)["pid"] for c in children]
    deadline = time.monotonic() + 10  # a stopped job may take a moment to exit after SIGTERM
    while any(pid and state.process_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(pid and state.process_alive(pid) for pid in pids)
