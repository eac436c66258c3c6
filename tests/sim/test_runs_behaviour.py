"""Runs beyond the labs' happy path: bad input, failures, cancel, cluster queues, tags, children, shapes."""

from __future__ import annotations

import os
import signal
import time

import pytest

import sim
from tests.sim._runs_helpers import module_home, new_workspace


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    with module_home(tmp_path_factory, "runsbehave") as (home, _work):
        yield home


@pytest.fixture(scope="module")
def ws(dp100_home):
    sim.activate()
    return new_workspace("runs-behaviour-ws")


@pytest.fixture(scope="module")
def experiment(ws):
    from azureml.core import Experiment

    return Experiment(ws, "behaviour")


def _script(folder: str, name: str, body: str) -> str:
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w") as handle:
        handle.write(body)
    return folder


def _wait_for_status(run, wanted, timeout=120):
    deadline = time.monotonic() + timeout
    while run.get_status() not in wanted:
        assert time.monotonic() < deadline, f"run stayed {run.get_status()}"
        time.sleep(0.05)
    return run.get_status()


# ---- bad input -----------------------------------------------------------------------------------------
def test_bad_experiment_name_is_refused(ws):
    from azureml.core import Experiment
    from azureml.exceptions import UserErrorException

    with pytest.raises(UserErrorException, match="Invalid experiment name"):
        Experiment(ws, "has spaces!")


def test_unknown_compute_missing_script_and_bad_arguments_leave_no_run(ws, experiment):
    from azureml.core import ScriptRunConfig
    from azureml.exceptions import ExperimentExecutionException, RunConfigurationException

    folder = _script("ok", "ok.py", "print('ok')\n")
    before = len(list(experiment.get_runs()))
    with pytest.raises(ExperimentExecutionException, match="no-such-cluster"):
        experiment.submit(ScriptRunConfig(folder, "ok.py", compute_target="no-such-cluster"))
    with pytest.raises(ExperimentExecutionException, match="was not found in source_directory"):
        experiment.submit(ScriptRunConfig(folder, "missing.py"))
    with pytest.raises(ExperimentExecutionException, match="does not exist"):
        experiment.submit(ScriptRunConfig("no-such-folder", "ok.py"))
    with pytest.raises(RunConfigurationException, match="position 1"):
        experiment.submit(ScriptRunConfig(folder, "ok.py", arguments=["--x", {"a": 1}]))
    with pytest.raises(ExperimentExecutionException, match="ScriptRunConfig"):
        experiment.submit("ok.py")
    assert len(list(experiment.get_runs())) == before


def test_a_reader_cannot_submit(ws, experiment):
    from azureml.core import ScriptRunConfig
    from azureml.exceptions import ServiceException

    from sim.cloud import access

    folder = _script("ok", "ok.py", "print('ok')\n")
    previous = os.environ.get(access.ROLE_ENV)
    access.set_caller(role="Reader")
    try:
        with pytest.raises(ServiceException, match="runs/submit/action"):
            experiment.submit(ScriptRunConfig(folder, "ok.py"))
    finally:
        access.set_caller(role=previous)


def test_log_rejects_non_scalars(experiment):
    from azureml.exceptions import UserErrorException

    run = experiment.start_logging()
    with pytest.raises(UserErrorException, match="log_list"):
        run.log("bad", [1, 2])
    with pytest.raises(UserErrorException, match="dict of lists"):
        run.log_table("bad", [1, 2])
    run.complete()


# ---- failures ------------------------------------------------------------------------------------------
def test_a_script_that_raises_fails_with_its_error(experiment):
    from azureml.core import ScriptRunConfig
    from azureml.exceptions import ActivityFailedException

    folder = _script("failing", "fail.py", "print('before the error')\nraise ValueError('bad rate 0')\n")
    run = experiment.submit(ScriptRunConfig(folder, "fail.py"))
    with pytest.raises(ActivityFailedException, match="User program failed with ValueError: bad rate 0"):
        run.wait_for_completion()
    details = run.wait_for_completion(raise_on_error=False)
    assert details["status"] == "Failed" == run.get_status()
    assert details["error"]["error"]["message"] == "User program failed with ValueError: bad rate 0"
    log = run.get_details_with_logs()["logFiles"]["azureml-logs/70_driver_log.txt"]
    assert "before the error" in log and "ValueError: bad rate 0" in log and "_runner.py" not in log


def test_sys_exit_nonzero_fails_and_zero_completes(experiment):
    from azureml.core import ScriptRunConfig

    folder = _script("exits", "bad.py", "import sys\nsys.exit(3)\n")
    _script(folder, "good.py", "import sys\nsys.exit(0)\n")
    bad = experiment.submit(ScriptRunConfig(folder, "bad.py"))
    good = experiment.submit(ScriptRunConfig(folder, "good.py"))
    assert bad.wait_for_completion(raise_on_error=False)["status"] == "Failed"
    assert good.wait_for_completion()["status"] == "Completed"


def test_cancel_stops_a_running_script(experiment):
    from azureml.core import ScriptRunConfig

    folder = _script("slow", "slow.py", "import time\nprint('started', flush=True)\ntime.sleep(120)\n")
    run = experiment.submit(ScriptRunConfig(folder, "slow.py"))
    _wait_for_status(run, ("Running",))
    pid = run._row["pid"] or __import__("sim.cloud.runs.state", fromlist=["get"]).get(run._record, run.id)["pid"]
    run.cancel()
    assert run.get_status() == "Canceled"
    deadline = time.monotonic() + 20
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)
    assert run.wait_for_completion()["status"] == "Canceled"


def _alive(pid):
    from sim.cloud.runs import jobs, state

    for run_id in list(jobs._children):
        jobs.reap(run_id)
    return state.process_alive(pid)


def test_max_run_duration_stops_a_script_and_cancel_active_cleans_up(ws, experiment):
    from azureml.core import ScriptRunConfig

    from sim.cloud.runs import jobs

    folder = _script("forever", "forever.py", "import time\nwhile True:\n    time.sleep(0.05)\n")
    limited = experiment.submit(ScriptRunConfig(folder, "forever.py", max_run_duration_seconds=1))
    details = limited.wait_for_completion(raise_on_error=False)
    assert details["status"] == "Canceled" and "max_run_duration_seconds" in details["error"]["error"]["message"]
    endless = experiment.submit(ScriptRunConfig(folder, "forever.py"))
    _wait_for_status(endless, ("Running",))
    assert jobs.cancel_active(ws._record) == [endless.id]
    assert endless.wait_for_completion()["status"] == "Canceled"


def test_a_job_process_that_dies_marks_the_run_failed(experiment):
    from azureml.core import ScriptRunConfig

    from sim.cloud.runs import state

    folder = _script("dies", "dies.py", "import time\ntime.sleep(120)\n")
    run = experiment.submit(ScriptRunConfig(folder, "dies.py"))
    _wait_for_status(run, ("Running",))
    os.killpg(state.get(run._record, run.id)["pid"], signal.SIGKILL)
    details = run.wait_for_completion(raise_on_error=False)
    assert details["status"] == "Failed"
    assert "exited unexpectedly" in details["error"]["error"]["message"]


def test_optional_delay_shows_the_preparing_state(experiment, monkeypatch):
    from azureml.core import ScriptRunConfig

    monkeypatch.setenv("DP100_SIM_RUN_DELAY", "1.5")
    folder = _script("ok", "ok.py", "print('ok')\n")
    run = experiment.submit(ScriptRunConfig(folder, "ok.py"))
    assert _wait_for_status(run, ("Preparing", "Running", "Completed")) == "Preparing"
    assert run.wait_for_completion()["status"] == "Completed"


# ---- compute queue -------------------------------------------------------------------------------------
def test_a_one_node_cluster_runs_one_job_at_a_time(ws, experiment, tmp_path):
    from azureml.core import ScriptRunConfig
    from azureml.core.compute import AmlCompute, ComputeTarget

    cluster = ComputeTarget.create(ws, "one-node", AmlCompute.provisioning_configuration(
        vm_size="STANDARD_DS11_V2", max_nodes=1))
    cluster.wait_for_completion()
    gate = tmp_path / "release"
    folder = _script("gated", "gated.py", "import os, sys, time\n"
                     "while not os.path.exists(sys.argv[1]):\n    time.sleep(0.05)\n")
    first = experiment.submit(ScriptRunConfig(folder, "gated.py", arguments=[str(gate)], compute_target=cluster))
    # The second is submitted once the first holds the node: submitted together, the second could be ready first
    # and take the node (the simulated queue is not first in, first out; a loaded CI machine showed it).
    _wait_for_status(first, ("Running",))
    second = experiment.submit(ScriptRunConfig(folder, "gated.py", arguments=[str(gate)],
                                               compute_target="one-node"))
    time.sleep(0.6)  # the queued job polls for a node a few times meanwhile
    assert second.get_status() == "Queued"
    gate.write_text("go")
    assert first.wait_for_completion()["status"] == "Completed"
    assert second.wait_for_completion()["status"] == "Completed"
    assert second.get_details()["startTimeUtc"] >= first.get_details()["endTimeUtc"]


def test_metrics_of_a_running_script_show_before_it_ends(experiment, tmp_path):
    from azureml.core import ScriptRunConfig

    gate = tmp_path / "finish"
    folder = _script("long", "long.py", "import os, sys, time\nfrom azureml.core import Run\n"
                     "Run.get_context().log('epoch', 1)\n"
                     "while not os.path.exists(sys.argv[1]):\n    time.sleep(0.05)\n")
    run = experiment.submit(ScriptRunConfig(folder, "long.py", arguments=[str(gate)]))
    deadline = time.monotonic() + 60
    while run.get_metrics() != {"epoch": 1}:
        assert time.monotonic() < deadline, "the metric never showed while the script ran"
        time.sleep(0.1)
    assert run.get_status() == "Running"
    gate.write_text("done")
    assert run.wait_for_completion()["status"] == "Completed"


# ---- run members ---------------------------------------------------------------------------------------
def test_tags_properties_and_children(experiment):
    from azureml.exceptions import UserErrorException

    run = experiment.start_logging()
    run.tag("stage", "tuning")
    run.set_tags({"owner": "me", "flag": None})
    assert run.get_tags() == {"stage": "tuning", "owner": "me", "flag": ""}
    run.add_properties({"algorithm": "logistic"})
    run.add_properties({"algorithm": "logistic"})
    with pytest.raises(UserErrorException, match="immutable"):
        run.add_properties({"algorithm": "tree"})
    assert run.properties == {"algorithm": "logistic"}
    children = [run.child_run(name=f"fold-{i}") for i in range(3)]
    for i, child in enumerate(children):
        child.log("fold_accuracy", 0.8 + i / 100)
        child.complete()
    assert [c.id for c in run.get_children()] == [c.id for c in children]
    assert children[0].parent.id == run.id
    recursive = run.get_metrics(recursive=True)
    assert recursive[children[2].id] == {"fold_accuracy": pytest.approx(0.82)}
    run.complete()
    top_level = [r.id for r in experiment.get_runs()]
    assert run.id in top_level and children[0].id not in top_level
    assert children[0].id in [r.id for r in experiment.get_runs(include_children=True)]
    assert [r.id for r in experiment.get_runs(tags={"stage": "tuning"})] == [run.id]


def test_run_ids_have_the_services_shapes_and_are_mlflow_ids_too(experiment, tmp_path):
    import re

    import mlflow
    from azureml.core import ScriptRunConfig

    folder = _script("ids", "noop.py", "from azureml.core import Run\nRun.get_context().log('x', 1)\n")
    script_run = experiment.submit(ScriptRunConfig(folder, "noop.py"))
    assert re.fullmatch(r"behaviour_\d{10}_[0-9a-f]{8}", script_run.id)
    script_run.wait_for_completion()
    assert script_run.get_metrics() == {"x": 1}

    interactive = experiment.start_logging()
    assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", interactive.id)
    (tmp_path / "notes.txt").write_text("kept")
    interactive.upload_file("outputs/notes.txt", str(tmp_path / "notes.txt"))
    interactive.log("accuracy", 0.9)
    interactive.complete()
    stored = mlflow.MlflowClient(experiment.workspace.get_mlflow_tracking_uri()).get_run(interactive.id)
    assert stored.info.run_id == interactive.id and interactive.id in stored.info.artifact_uri
    assert stored.data.metrics == {"accuracy": 0.9} and stored.info.status == "FINISHED"
    assert interactive.get_file_names() == ["outputs/notes.txt"]


def test_a_tracked_outputs_folder_is_collected_when_the_run_ends(experiment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with experiment.start_logging(outputs="outputs") as run:
        os.makedirs("outputs", exist_ok=True)
        with open("outputs/model.txt", "w") as handle:
            handle.write("weights")
        run.log("accuracy", 0.9)
    assert run.get_status() == "Completed"
    assert run.get_file_names() == ["outputs/model.txt"]
    tracked_by_default = experiment.start_logging()  # the real default tracks ./outputs too
    tracked_by_default.complete()
    assert tracked_by_default.get_file_names() == ["outputs/model.txt"]
    untracked = experiment.start_logging(outputs=False)  # "for no outputs, pass False"
    untracked.complete()
    assert untracked.get_file_names() == []


def test_a_with_block_that_raises_fails_the_run(experiment):
    with pytest.raises(ZeroDivisionError):
        with experiment.start_logging() as run:
            run.log("ratio", 1 / 0)
    details = run.get_details()
    assert details["status"] == "Failed" and "ZeroDivisionError" in details["error"]["error"]["message"]


def test_snapshots_of_interactive_runs_are_refused_clearly(experiment):
    from sim.azureml._common.not_simulated import NotSimulatedError

    with pytest.raises(NotSimulatedError, match="snapshot_directory"):
        experiment.start_logging(snapshot_directory=".")
    assert experiment.start_logging(snapshot_directory=None).get_status() == "Running"


def test_a_child_run_takes_the_id_it_is_given_once(experiment):
    from azureml.exceptions import UserErrorException

    parent = experiment.start_logging()
    child = parent.child_run(name="fold", run_id=f"{parent.id}_fold0")
    assert child.id == f"{parent.id}_fold0" and child.parent.id == parent.id
    with pytest.raises(UserErrorException, match="already exists"):
        parent.child_run(run_id=child.id)
    with pytest.raises(UserErrorException, match="not valid"):
        parent.child_run(run_id="has spaces")
    assert [c.id for c in parent.get_children()] == [child.id]  # the refused ones left nothing behind
    child.complete()
    parent.complete()


def test_type_providers_rebuild_their_own_run_class(experiment):
    from azureml.core import Run

    from sim.cloud.runs import lifecycle

    class SweepRun(Run):
        pass

    Run.add_type_provider("test.sweep", SweepRun)
    row = lifecycle.start(experiment.workspace._record, experiment.name, "test.sweep")
    found = next(r for r in experiment.get_runs() if r.id == row["run_id"])
    assert type(found) is SweepRun and found.type == "test.sweep"
    found.complete()


def test_metric_shapes_for_tables_steps_and_strings(experiment):
    run = experiment.start_logging()
    run.log_table("roc", {"fpr": [0.0, 0.5], "tpr": [0.0, 0.9]})
    run.log_table("roc", {"fpr": [1.0], "tpr": [1.0]})
    run.log("note", "baseline")
    run.log("converged", True)
    for step in range(3):
        run.log("loss", 1.0 / (step + 1), step=step)
    run.log_confusion_matrix("cm", {"schema_type": "confusion_matrix", "data": {"matrix": [[1, 0], [0, 1]]}})
    run.complete()
    metrics = run.get_metrics()
    assert metrics["roc"] == {"fpr": [0.0, 0.5, 1.0], "tpr": [0.0, 0.9, 1.0]}
    assert metrics["note"] == "baseline" and metrics["converged"] is True
    assert metrics["loss"] == [1.0, 0.5, pytest.approx(1 / 3)]
    assert metrics["cm"]["data"]["matrix"] == [[1, 0], [0, 1]]
    assert run.get_metrics(name="note") == {"note": "baseline"}


def test_log_image_from_a_path_or_pyplot(experiment, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from azureml.exceptions import UserErrorException

    run = experiment.start_logging()
    plt.figure()
    plt.plot([0, 1], [1, 0])
    run.log_image("curve", plot=plt)
    plt.savefig(tmp_path / "saved.png")
    plt.close("all")
    run.log_image("saved", path=str(tmp_path / "saved.png"))
    with pytest.raises(UserErrorException, match="exactly one of path"):
        run.log_image("neither")
    run.complete()
    names = run.get_file_names()
    assert any(n.startswith("curve_") for n in names) and any(n.startswith("saved_") for n in names)
    image = [n for n in names if n.startswith("curve_")][0]
    run.download_file(image, output_file_path=str(tmp_path))
    assert (tmp_path / image).read_bytes()[:4] == b"\x89PNG"


def test_ten_thousand_logs_are_all_kept(experiment):
    run = experiment.start_logging()
    for i in range(10_000):
        run.log("value", i)
    run.complete()
    values = run.get_metrics()["value"]
    assert len(values) == 10_000 and values[:3] == [0, 1, 2] and values[-1] == 9_999


def test_files_are_write_once_and_downloadable(experiment, tmp_path):
    from azureml.exceptions import UserErrorException

    run = experiment.start_logging()
    (tmp_path / "folder" / "sub").mkdir(parents=True)
    (tmp_path / "folder" / "a.txt").write_text("a")
    (tmp_path / "folder" / "sub" / "b.txt").write_text("b")
    run.upload_folder("outputs/folder", str(tmp_path / "folder"))
    assert run.get_file_names() == ["outputs/folder/a.txt", "outputs/folder/sub/b.txt"]
    with pytest.raises(UserErrorException, match="already exists"):
        run.upload_file("outputs/folder/a.txt", str(tmp_path / "folder" / "a.txt"))
    with pytest.raises(UserErrorException, match="no such local file"):
        run.upload_file("outputs/missing.txt", str(tmp_path / "missing.txt"))
    run.download_file("outputs/folder/sub/b.txt", output_file_path=str(tmp_path / "b-copy.txt"))
    assert (tmp_path / "b-copy.txt").read_text() == "b"
    with pytest.raises(UserErrorException, match="was not found in run"):
        run.download_file("outputs/nothing.txt")
    run.download_files(prefix="outputs/folder", output_directory=str(tmp_path / "flat"), append_prefix=False)
    assert (tmp_path / "flat" / "sub" / "b.txt").read_text() == "b"
    run.complete()


def test_offline_context_prints_like_the_sdk(capsys):
    from azureml.core import Run

    run = Run.get_context()
    assert run.id.startswith("OfflineRun_")
    run.log("accuracy", 0.9)
    run.complete()
    assert "Attempted to log scalar metric accuracy:\n0.9" in capsys.readouterr().out
    from azureml.exceptions import RunEnvironmentException

    with pytest.raises(RunEnvironmentException):
        Run.get_context(allow_offline=False)


def test_get_secret_inside_a_script(ws, experiment):
    from azureml.core import ScriptRunConfig

    ws.get_default_keyvault().set_secret(name="db-password", value="s3cret")
    folder = _script("secret", "secret.py", "from azureml.core import Run\nrun = Run.get_context()\n"
                     "run.log('length', len(run.get_secret(name='db-password')))\n")
    run = experiment.submit(ScriptRunConfig(folder, "secret.py"))
    run.wait_for_completion()
    assert run.get_metrics() == {"length": 6}


def test_archive_and_reactivate(ws):
    from azureml.core import Experiment
    from azureml.exceptions import UserErrorException

    temporary = Experiment(ws, "to-archive")
    temporary.archive()
    assert temporary.archived_time is not None
    assert "to-archive" not in [e.name for e in Experiment.list(ws)]
    assert "to-archive" in [e.name for e in Experiment.list(ws, view_type="ArchivedOnly")]
    with pytest.raises(UserErrorException, match="archived"):
        Experiment(ws, "to-archive")
    temporary.reactivate()
    assert Experiment(ws, "to-archive").archived_time is None


def test_run_details_renders_html_in_a_notebook(experiment, monkeypatch):
    from azureml.exceptions import UserErrorException
    from azureml.widgets import RunDetails
    from azureml.widgets import run_details as widget_module

    run = experiment.start_logging()
    run.log("accuracy", 0.91)
    shown = []
    monkeypatch.setattr(widget_module, "_in_notebook", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    RunDetails(run).show()
    html = shown[0].data
    assert "Running" in html and "accuracy" in html and "0.91" in html
    assert RunDetails(run).get_widget_data()["metrics"] == {"accuracy": 0.91}
    run.complete()
    with pytest.raises(UserErrorException, match="RunDetails needs a run"):
        RunDetails("not a run")
