"""Sweep jobs through the real azure-ai-ml: trials as command jobs, the best trial, early termination, limits."""

from __future__ import annotations

import json
import time

import pytest
from azure.core.exceptions import HttpResponseError

TERMINAL = ("Completed", "Failed", "Canceled")
TRAIN = """
import argparse, time
import mlflow

parser = argparse.ArgumentParser()
parser.add_argument("--C", type=float)
parser.add_argument("--penalty", default="l2")
parser.add_argument("--steps", type=int, default=1)
parser.add_argument("--pause", type=float, default=0.0)
args = parser.parse_args()
mlflow.log_param("C", args.C)
score = args.C * (2 if args.penalty == "l2" else 1)
for step in range(args.steps):
    mlflow.log_metric("accuracy", score, step=step)
    time.sleep(args.pause)
print("accuracy", score)
"""
COMMAND = "python train.py --C ${{inputs.C}} --penalty ${{inputs.penalty}} --steps ${{inputs.steps}} " \
          "--pause ${{inputs.pause}}"


@pytest.fixture
def src(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "train.py").write_text(TRAIN)
    return folder


@pytest.fixture
def quick_polls(monkeypatch):
    """jobs.stream polls every second instead of every 2 s or more (the SDK's floor for real jobs)."""
    from azure.ai.ml.operations._run_history_constants import RunHistoryConstants

    monkeypatch.setattr(RunHistoryConstants, "_WAIT_COMPLETION_POLLING_INTERVAL_MIN", 1)


def _trial_command(src, steps=1, pause=0.0):
    from azure.ai.ml import command

    return command(code=str(src), command=COMMAND, environment="AzureML-sklearn-1.5@latest",
                   inputs={"C": 1.0, "penalty": "l2", "steps": steps, "pause": pause},
                   experiment_name="sweep-diabetes", display_name="train")


def _sweep(src, space, sampling="grid", policy=None, steps=1, pause=0.0, **limits):
    sweep = _trial_command(src, steps, pause)(**space).sweep(
        sampling_algorithm=sampling, primary_metric="accuracy", goal="Maximize", early_termination_policy=policy)
    sweep.experiment_name = "sweep-diabetes"
    if limits:
        sweep.set_limits(**limits)
    return sweep


def _wait(ml_client, name, timeout=120):
    deadline = time.monotonic() + timeout
    job = ml_client.jobs.get(name)
    while job.status not in TERMINAL and time.monotonic() < deadline:
        time.sleep(0.1)
        job = ml_client.jobs.get(name)
    return job


def _logs(workspace, trials) -> dict:
    """Each trial's service record error and log, for a failure message."""
    from sim.cloud.runs import files, state

    return {t.name: (state.get(workspace, t.name)["error"], files.read_text(workspace, t.name, "user_logs/std_log.txt"))
            for t in trials}


def _accuracy(workspace, run_id) -> float | None:
    import mlflow

    return mlflow.MlflowClient(workspace.mlflow_uri).get_run(run_id).data.metrics.get("accuracy")


def test_a_grid_sweep_over_2x2_runs_4_trials_and_names_the_truly_best(ml_client, workspace, src):
    from azure.ai.ml.sweep import Choice, SweepJob

    submitted = ml_client.create_or_update(_sweep(src, {"C": Choice([0.1, 0.5]), "penalty": Choice(["l1", "l2"])}))
    assert isinstance(submitted, SweepJob) and submitted.status == "Running"
    assert submitted.studio_url.startswith(f"https://ml.azure.com/runs/{submitted.name}?wsid=")
    job = _wait(ml_client, submitted.name)
    assert job.status == "Completed"
    trials = list(ml_client.jobs.list(parent_job_name=job.name))
    assert sorted(t.name for t in trials) == [f"{job.name}_{n}" for n in range(4)]
    assert {t.status for t in trials} == {"Completed"}
    scores = {t.name: _accuracy(workspace, t.name) for t in trials}
    assert sorted(scores.values()) == pytest.approx([0.1, 0.2, 0.5, 1.0])
    best = max(scores, key=scores.get)
    assert job.properties["best_child_run_id"] == best and float(job.properties["score"]) == pytest.approx(1.0)
    assert job.properties["best_metric_status"] == "Succeeded" and job.properties["space_size"] == "4"
    assert job.properties["primary_metric_config"] == '{"name":"accuracy","goal":"maximize"}'
    _the_studio_lists_the_trials(workspace, job, scores)


def _the_studio_lists_the_trials(workspace, job, scores):
    from azureml.core import Workspace

    from sim import studio

    ws = Workspace.get(workspace.name, subscription_id=workspace.subscription_id,
                       resource_group=workspace.resource_group)
    view = studio.run_view(ws, "sweep-diabetes", job.name)
    assert view["properties"]["best_child_run_id"] == job.properties["best_child_run_id"]
    rows = {row["id"]: row for row in view["children"]}
    assert {name: row["accuracy"] for name, row in rows.items()} == pytest.approx(scores)
    assert json.loads(rows[job.properties["best_child_run_id"]]["hyperparameters"]) == {"C": 0.5, "penalty": "l2"}


def test_trials_are_command_jobs_with_their_own_mlflow_runs_under_the_sweeps(ml_client, workspace, src):
    import mlflow
    from azure.ai.ml.entities import Command
    from azure.ai.ml.sweep import Choice

    job = _wait(ml_client, ml_client.create_or_update(_sweep(src, {"C": Choice([0.3])})).name)
    trial = ml_client.jobs.get(f"{job.name}_0")
    assert isinstance(trial, Command) and trial.status == "Completed"
    assert "python train.py --C 0.3 --penalty ${{inputs.penalty}}" in trial.command
    client = mlflow.MlflowClient(workspace.mlflow_uri)
    run = client.get_run(trial.name)
    assert run.data.tags["mlflow.parentRunId"] == job.name and run.data.params == {"C": "0.3"}
    assert client.get_run(job.name).info.experiment_id == run.info.experiment_id
    listed = [j.name for j in ml_client.jobs.list()]
    assert job.name in listed and trial.name not in listed  # trials are listed under their sweep only


def test_stream_follows_the_sweep_until_it_ends(ml_client, src, capsys, quick_polls):
    from azure.ai.ml.sweep import Choice

    job = ml_client.create_or_update(_sweep(src, {"C": Choice([0.1, 0.2])}))
    ml_client.jobs.stream(job.name)
    printed = capsys.readouterr().out
    assert "Streaming azureml-logs/hyperdrive.txt" in printed
    assert f"Scheduling trial '{job.name}_1'" in printed and "Execution Summary" in printed
    assert ml_client.jobs.get(job.name).status == "Completed"


def test_a_bandit_policy_cancels_a_trial_far_behind_the_best(ml_client, workspace, src):
    from azure.ai.ml.sweep import BanditPolicy, Choice

    policy = BanditPolicy(slack_factor=0.1, evaluation_interval=1, delay_evaluation=2)
    job = _wait(ml_client, ml_client.create_or_update(
        _sweep(src, {"C": Choice([0.45, 0.1])}, policy=policy, steps=25, pause=0.1)).name)
    trials = list(ml_client.jobs.list(parent_job_name=job.name))
    statuses = {round(_accuracy(workspace, t.name), 3): t.status for t in trials}
    assert statuses == {0.9: "Completed", 0.2: "Canceled"}, _logs(workspace, trials)
    assert job.status == "Completed" and job.properties["best_child_run_id"] == f"{job.name}_0"


def test_limits_cap_the_trials_and_how_many_run_at_once(ml_client, workspace, src):
    from azure.ai.ml.sweep import Choice

    from sim.cloud.runs import state

    job = _wait(ml_client, ml_client.create_or_update(
        _sweep(src, {"C": Choice([0.1, 0.2, 0.3]), "penalty": Choice(["l1", "l2"])}, pause=0.3,
               max_total_trials=3, max_concurrent_trials=1, timeout=7200)).name)
    assert job.status == "Completed"
    assert (job.limits.max_total_trials, job.limits.max_concurrent_trials) == (3, 1)
    rows = sorted((state.get(workspace, t.name) for t in ml_client.jobs.list(parent_job_name=job.name)),
                  key=lambda r: r["started"])
    assert len(rows) == 3
    assert all(later["started"] >= earlier["ended"] for earlier, later in zip(rows, rows[1:], strict=False))


def test_canceling_a_sweep_cancels_its_running_trials(ml_client, workspace, src):
    from azure.ai.ml.sweep import Choice

    job = ml_client.create_or_update(_sweep(src, {"C": Choice([0.1, 0.2])}, steps=300, pause=0.1))
    deadline = time.monotonic() + 60
    while len(list(ml_client.jobs.list(parent_job_name=job.name))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    ml_client.jobs.begin_cancel(job.name).result()
    assert ml_client.jobs.get(job.name).status == "Canceled"
    assert {t.status for t in ml_client.jobs.list(parent_job_name=job.name)} == {"Canceled"}


@pytest.mark.parametrize(("space", "sampling", "message"), [
    ("uniform", "grid", "Grid sampling does not support 'uniform' (parameter 'C'); it supports only choice."),
    ("empty range", "random", "uniform() needs min_value < max_value; got 1.0 and 0.5."),
    ("normal", "bayesian", "Bayesian sampling does not support 'normal'"),
])
def test_an_invalid_search_space_is_refused_with_400(ml_client, src, space, sampling, message):
    from azure.ai.ml.sweep import Normal, Uniform

    expression = {"uniform": Uniform(0.1, 1.0), "empty range": Uniform(1.0, 0.5), "normal": Normal(0, 1)}[space]
    with pytest.raises(HttpResponseError) as caught:
        ml_client.create_or_update(_sweep(src, {"C": expression}, sampling=sampling))
    assert caught.value.status_code == 400 and message in str(caught.value)


def test_a_policy_with_bayesian_sampling_and_sobol_are_refused(ml_client, src):
    from azure.ai.ml.sweep import BanditPolicy, Choice, RandomSamplingAlgorithm

    with pytest.raises(HttpResponseError, match="No early termination policy is supported with Bayesian") as caught:
        ml_client.create_or_update(_sweep(src, {"C": Choice([0.1, 0.2])}, sampling="bayesian",
                                          policy=BanditPolicy(slack_factor=0.1)))
    assert caught.value.status_code == 400
    with pytest.raises(HttpResponseError, match="rule 'sobol' is not simulated") as caught:
        ml_client.create_or_update(_sweep(src, {"C": Choice([0.1, 0.2])},
                                          sampling=RandomSamplingAlgorithm(rule="sobol")))
    assert caught.value.status_code == 501
    with pytest.raises(HttpResponseError, match="logbase 10 is not simulated") as caught:
        ml_client.create_or_update(_sweep(src, {"C": Choice([0.1, 0.2])},
                                          sampling=RandomSamplingAlgorithm(logbase=10)))
    assert caught.value.status_code == 501


def test_a_trial_on_an_unknown_compute_is_refused_before_the_sweep_exists(ml_client, src):
    from azure.ai.ml.sweep import Choice

    sweep = _sweep(src, {"C": Choice([0.1])})
    sweep.compute = "no-such-cluster"
    with pytest.raises(HttpResponseError) as caught:
        ml_client.create_or_update(sweep)
    assert caught.value.status_code == 404 and "no-such-cluster" in str(caught.value)
    assert [j.name for j in ml_client.jobs.list()] == []


def test_a_sweep_runs_on_after_the_process_that_submitted_it_exits(ml_client, workspace, src):
    import os
    import subprocess
    import sys

    from sim.cloud.runs import jobs

    submitter = ("import sim; sim.activate()\n"
                 "from azure.ai.ml import MLClient, command\nfrom azure.ai.ml.sweep import Choice\n"
                 "from azure.identity import DefaultAzureCredential\n"
                 f"ml_client = MLClient(DefaultAzureCredential(), {workspace.subscription_id!r}, "
                 f"{workspace.resource_group!r}, {workspace.name!r})\n"
                 f"job = command(code={str(src)!r}, command='python train.py --C ${{{{inputs.C}}}}',"
                 " inputs={'C': 1.0}, environment='AzureML-sklearn-1.5@latest')\n"
                 "sweep = job(C=Choice([0.1, 0.2])).sweep(sampling_algorithm='grid', primary_metric='accuracy',"
                 " goal='Maximize')\n"
                 "print(ml_client.create_or_update(sweep).name)\n")
    done = subprocess.run([sys.executable, "-c", submitter], capture_output=True, text=True, timeout=300,
                          env=jobs.with_project_on_path(dict(os.environ)))
    assert done.returncode == 0, done.stderr[-2000:]
    job = _wait(ml_client, done.stdout.strip().splitlines()[-1])
    assert job.status == "Completed" and float(job.properties["score"]) == pytest.approx(0.4)
    assert {t.status for t in ml_client.jobs.list(parent_job_name=job.name)} == {"Completed"}
