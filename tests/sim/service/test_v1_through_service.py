"""The SDK v1 face in process mode: its calls to `sim.cloud` go to the service, errors map as in process, and
what the service does not offer is refused with a sentence (never done against local files)."""

from __future__ import annotations

import contextlib
import io
import signal
import subprocess
import sys
import textwrap

import pytest

from sim.azureml._common.cloud import NotRouted, cloud
from sim.service import calls

SUB = "00000000-0000-0000-0000-000000000000"


pytestmark = pytest.mark.usefixtures("sim_active")  # tests/sim/conftest.py: the simulator's hooks


def _served() -> int:
    """Requests the service has answered so far."""
    from sim.service import channel, launcher

    return channel.control(launcher.ensure_running(), "GET", "/_sim/status")["requests"]


def _workspace():
    from azureml.core import Workspace

    return Workspace.create("mlw-v1", subscription_id=SUB, resource_group="rg-v1", create_resource_group=True,
                            location="eastus")


@contextlib.contextmanager
def _killed_after(script: str):
    """Run `script` in a new interpreter and give its first printed line; kill -9 it when the block ends."""
    child = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        yield child.stdout.readline().strip()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_v1_calls_go_to_the_service_in_process_mode(process_mode):
    ws = _workspace()
    before = _served()
    ws.get_default_keyvault().set_secret("token", "s3cret")
    assert ws.get_default_keyvault().get_secret("token") == "s3cret"
    assert _served() - before >= 3  # two key-vault calls (and this status request) reached the service


def test_a_service_error_maps_to_the_same_sdk_exception_in_both_modes(process_mode, monkeypatch):
    from azureml.core import Workspace

    seen = []
    for mode in ("process", "inprocess"):
        monkeypatch.setenv("DP100_SERVICE", mode)
        with pytest.raises(Exception) as caught:
            Workspace.get("no-such-ws", subscription_id=SUB, resource_group="rg-none")
        seen.append((type(caught.value), str(caught.value)))
    assert seen[0] == seen[1], seen


def test_a_function_the_service_does_not_offer_is_refused_with_its_name(process_mode):
    import sim.cloud.compute

    with pytest.raises(NotRouted, match=r"sim\.cloud\.compute\.set_quota_limit is not available when"):
        cloud(sim.cloud.compute).set_quota_limit(None, "standardDSv2Family", 10)


def test_a_run_is_started_and_ended_only_through_the_narrow_operations(process_mode):
    from azureml.core import Experiment

    run = Experiment(_workspace(), "narrow").start_logging()
    assert run.get_status() == "Running"
    run.complete()
    assert run.get_status() == "Completed"
    run.fail(error_details="too late")  # an ended run stays as it ended
    assert run.get_status() == "Completed"
    for refused in ("start", "move", "finish"):
        assert refused not in calls.ALLOWED["sim.cloud.runs.lifecycle"]
    assert "submit" not in calls.ALLOWED["sim.cloud.runs.jobs"]  # it takes a callback: submit_script instead


def test_streams_travel_as_bytes_and_waits_call_back_here(process_mode, tmp_path, monkeypatch):
    from azureml.core import Experiment, ScriptRunConfig

    ws = _workspace()
    run = Experiment(ws, "files").start_logging()
    run.upload_file("notes/a.txt", io.BytesIO(b"from a stream"))
    monkeypatch.chdir(tmp_path)  # a relative path is the caller's: the face makes it absolute for the service
    (tmp_path / "b.txt").write_text("from a file")
    run.upload_file("notes/b.txt", "b.txt")
    run.download_file("notes/a.txt", output_file_path="a-copy.txt")
    assert (tmp_path / "a-copy.txt").read_bytes() == b"from a stream"
    assert sorted(run.get_file_names()) == ["notes/a.txt", "notes/b.txt"]
    run.complete()
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "hello.py").write_text("print('hello from the job')\n")
    submitted = Experiment(ws, "script").submit(ScriptRunConfig(source_directory="src", script="hello.py"))
    ticks = []
    monkeypatch.setattr("sim.service.routed.POLL_SLICE_SECONDS", 0.05)
    import sim.cloud.runs.jobs

    status = cloud(sim.cloud.runs.jobs).wait(ws._record, submitted.id, on_tick=lambda: ticks.append(1), timeout=120)
    assert status == "Completed" and submitted.get_status() == "Completed"
    assert ticks, "the callback of a wait was never called between the service's polls"


def test_metrics_logged_in_process_mode_survive_a_kill_of_the_logging_process(process_mode, tmp_path):
    from azureml.core import Experiment

    ws = _workspace()
    run = Experiment(ws, "durable").start_logging()
    script = textwrap.dedent(f"""
        import os, sys, sim
        sim.activate()
        from azureml.core import Experiment, Run, Workspace
        ws = Workspace.get("mlw-v1", subscription_id="{SUB}", resource_group="rg-v1")
        run = Run(Experiment(ws, "durable"), "{run.id}")
        for i in range(3000):
            run.log("value", i)
        print("acknowledged", flush=True)
        sys.stdin.read()  # wait to be killed
    """)
    with _killed_after(script) as first_line:
        assert first_line == "acknowledged"
    values = run.get_metrics()["value"]
    assert len(values) == 3000 and values[-1] == 2999, f"{len(values)} of 3000 acknowledged values after a kill"


def test_data_reads_and_uploads_through_the_service(process_mode, tmp_path, monkeypatch, capsys):
    from azureml.core import Dataset

    ws = _workspace()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x,when\n1,2024-01-02\n2,2024-03-04\n")
    store = ws.get_default_datastore()
    store.upload_files(files=["./data/a.csv"], target_path="in/", overwrite=True, show_progress=True)
    assert "Uploaded 1 files" in capsys.readouterr().out  # the service's progress lines, shown here
    tabular = Dataset.Tabular.from_delimited_files(path=(store, "in/a.csv"))
    through_service = tabular.to_pandas_dataframe()
    monkeypatch.setenv("DP100_SERVICE", "inprocess")
    in_process = tabular.to_pandas_dataframe()
    assert through_service.equals(in_process) and list(through_service.dtypes) == list(in_process.dtypes)
    monkeypatch.setenv("DP100_SERVICE", "process")
    files = Dataset.File.from_files(path=(store, "in/a.csv"))
    copied = files.download(target_path="copy")
    assert [open(path).read() for path in copied] == [(tmp_path / "data" / "a.csv").read_text()]


def test_models_register_from_a_local_file_and_from_a_run_through_the_service(process_mode, tmp_path, monkeypatch):
    from azureml.core import Experiment, Model

    ws = _workspace()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "model.pkl").write_bytes(b"weights")
    local = Model.register(ws, model_path="model.pkl", model_name="local-model")
    run = Experiment(ws, "train").start_logging()
    run.upload_file("outputs/model.pkl", "model.pkl")
    run.complete()
    from_run = run.register_model(model_name="run-model", model_path="outputs/model.pkl")
    assert (local.version, from_run.version, from_run.run_id) == (1, 1, run.id)
    target = Model(ws, "run-model").download(target_dir="downloaded")
    assert (tmp_path / target).read_bytes() == b"weights"  # a relative answer is relative to tmp_path


def test_an_interactive_run_of_a_killed_process_ends_failed_though_the_service_made_it(process_mode):
    from azureml.core import Experiment, Run

    ws = _workspace()
    script = textwrap.dedent(f"""
        import sys, sim
        sim.activate()
        from azureml.core import Experiment, Workspace
        ws = Workspace.get("mlw-v1", subscription_id="{SUB}", resource_group="rg-v1")
        print(Experiment(ws, "orphans").start_logging().id, flush=True)
        sys.stdin.read()  # wait to be killed
    """)
    with _killed_after(script) as run_id:
        assert Run(Experiment(ws, "orphans"), run_id).get_status() == "Running"
    # The service knows the run's owner from its socket's peer (not itself), so the owner's end fails the run.
    assert Run(Experiment(ws, "orphans"), run_id).get_status() == "Failed"
