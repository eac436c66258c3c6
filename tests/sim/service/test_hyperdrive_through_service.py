"""SDK v1 HyperDrive in process mode: the kernel sends the sweep's definition, the service samples, starts the
children, applies the policy and ends the parent; the kernel's reads (children, best run, metrics, status, wait,
cancel) go through the service, and the service refuses a definition it cannot run."""

from __future__ import annotations

import json

import pytest

from sim.service import calls

SUB = "00000000-0000-0000-0000-000000000000"
TRAIN = """import argparse, time
from azureml.core import Run
parser = argparse.ArgumentParser()
parser.add_argument('--quality', type=float)
parser.add_argument('--steps', type=int, default=1)
args = parser.parse_args()
run = Run.get_context()
for _ in range(args.steps):
    run.log('accuracy', args.quality)
    run.flush()
    time.sleep(0.1)
"""

pytestmark = pytest.mark.usefixtures("sim_active")  # tests/sim/conftest.py: the simulator's hooks


@pytest.fixture
def ws(process_mode, tmp_path, monkeypatch):
    return _workspace(tmp_path, monkeypatch)


def _workspace(folder, monkeypatch):
    """A workspace (the service starts here), with the training script in `folder`/train."""
    from azureml.core import Workspace

    monkeypatch.chdir(folder)
    (folder / "train").mkdir()
    (folder / "train" / "train.py").write_text(TRAIN)
    return Workspace.create("mlw-hd", subscription_id=SUB, resource_group="rg-hd", create_resource_group=True,
                            location="eastus")


def _config(space, total, arguments=(), policy=None):
    from azureml.core import ScriptRunConfig
    from azureml.train.hyperdrive import GridParameterSampling, HyperDriveConfig, PrimaryMetricGoal

    return HyperDriveConfig(run_config=ScriptRunConfig("train", "train.py", arguments=list(arguments)),
                            hyperparameter_sampling=GridParameterSampling(space), policy=policy,
                            primary_metric_name="accuracy", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
                            max_total_runs=total, max_concurrent_runs=2)


def test_the_service_drives_a_v1_sweep_and_the_kernel_only_reads(ws):
    from azureml.core import Experiment
    from azureml.train.hyperdrive import HyperDriveRun, choice

    from sim.cloud.sweeps import engine

    run = Experiment(ws, "hd-service").submit(_config({"--quality": choice(0.3, 0.9, 0.6)}, total=3))
    assert isinstance(run, HyperDriveRun) and run.id.startswith("HD_")
    assert not engine._live, "the sweep is driven in this process, not by the service"
    assert run.wait_for_completion()["status"] == "Completed"
    children = run.get_children()
    assert sorted(c.id for c in children) == sorted(f"{run.id}_{n}" for n in range(3))
    assert all(c.get_status() == "Completed" for c in children)
    best = run.get_best_run_by_primary_metric()
    assert json.loads(best.get_tags()["hyperparameters"]) == {"--quality": 0.9}
    rows = run.get_children_sorted_by_primary_metric()
    assert [r["best_primary_metric"] for r in rows] == [0.9, 0.6, 0.3]
    assert set(rows[0]) == {"run_id", "hyperparameters", "best_primary_metric", "status"}
    assert run.get_metrics()[best.id]["accuracy"] == 0.9
    assert run.get_properties()["best_child_run_id"] == best.id  # the service named the best child when it ended


def test_canceling_a_sweep_through_the_service_stops_it_and_leaves_the_service_up(ws):
    from azureml.core import Experiment, Run
    from azureml.train.hyperdrive import choice

    from sim.service import channel, launcher

    config = _config({"--quality": choice(0.1, 0.2)}, total=2, arguments=["--steps", 600])
    run = Experiment(ws, "hd-cancel").submit(config)
    Run(run.experiment, run.id).cancel()  # the plain Run's cancel of a sweep stops the sweep, never its driver
    run.wait_for_completion(raise_on_error=False)
    assert run.get_status() == "Canceled"
    assert all(c.get_status() == "Canceled" for c in run.get_children())
    assert channel.control(launcher.ensure_running(), "GET", "/_sim/status")["requests"] > 0


def test_the_service_checks_a_sweep_definition_itself(ws):
    from azureml.core import Experiment
    from azureml.exceptions import UserErrorException
    from azureml.train.hyperdrive import choice

    import sim.cloud.sweeps.hyperdrive
    from sim.azureml._common.cloud import cloud
    from sim.cloud.errors import UserError
    from sim.service import call

    settings = _config({"--quality": choice(0.5)}, total=1)._settings()
    spec = {"source_directory": "train", "script": "train.py", "target": "local"}

    def submit(**changes):
        call("sim.cloud.sweeps.hyperdrive", "submit_v1_sweep", ws._record, "hd-bad", spec, [],
             dict(settings, **changes))

    with pytest.raises(UserError, match="max_total_runs must be a whole number"):
        submit(max_total_runs=0)
    with pytest.raises(UserError, match="settings must name exactly"):
        submit(status="Completed")
    with pytest.raises(UserError, match="No early termination policy is supported with Bayesian"):
        submit(sampling="bayesian", policy="bandit", policy_settings={"slack_factor": 0.1})
    plain = Experiment(ws, "plain").start_logging()
    with pytest.raises(UserErrorException, match="run, not a HyperDrive run"):
        cloud(sim.cloud.sweeps.hyperdrive).cancel(ws._record, plain.id)
    assert list(Experiment(ws, "hd-bad").get_runs()) == []  # a refused definition starts nothing
    assert "sim.cloud.sweeps.engine" not in calls.ALLOWED  # the engine itself is never offered to callers


def test_the_service_does_not_stop_idle_while_it_drives_a_sweep(process_mode, tmp_path, monkeypatch):
    import time

    from azureml.core import Experiment
    from azureml.train.hyperdrive import choice

    from sim.service import locations

    monkeypatch.setenv("DP100_SERVICE_IDLE_SECONDS", "2")
    ws = _workspace(tmp_path, monkeypatch)
    run = Experiment(ws, "hd-idle").submit(_config({"--quality": choice(0.4)}, total=1, arguments=["--steps", 150]))
    service_pid = locations.read_record()["pid"]
    time.sleep(6)  # three idle periods with no request from here (the point of the test, not a synchronisation)
    assert (locations.read_record() or {}).get("pid") == service_pid, "the service stopped idle under its sweep"
    assert run.wait_for_completion()["status"] == "Completed"
