"""Probes: a run whose process dies never waits forever. An interactive run whose process is killed, and a script
run whose submitting process is killed before its job process starts, both go to Failed with a sentence saying
why, and `wait_for_completion()` without a timeout returns (raising the SDK's ActivityFailedException)."""

from __future__ import annotations

import stat
import subprocess
import sys
import threading

import pytest

from tests.sim._models_helpers import LabFolder

WAIT_LIMIT = 90.0  # seconds the probe lets wait_for_completion() run before calling it stuck

START_THEN_DIE = """
import os, signal
import sim; sim.activate()
from azureml.core import Experiment, Workspace
run = Experiment(Workspace.from_config(), "interrupted").start_logging(outputs=False)
run.log("before", 1)
print(run.id, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""

SUBMIT_THEN_DIE = """
import os, signal
import sim; sim.activate()
from azureml.core import Experiment, ScriptRunConfig, Workspace
from sim.cloud.runs import jobs, lifecycle

def die_before_launch(record, run_id, job, env_extra):
    print(run_id, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

jobs.launch = die_before_launch
config = ScriptRunConfig(source_directory="job", script="train.py")
Experiment(Workspace.from_config(), "interrupted-submit").submit(config)
"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = LabFolder(tmp_path_factory, "faults-runs")
    folder.write("job/train.py", "print('never runs')\n")
    folder.ws.write_config()
    yield folder
    folder.close()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    return lab.home


def _killed_child(lab, script: str) -> str:
    """Run a script that prints a run id and kills itself; return the run id."""
    done = subprocess.run([sys.executable, "-c", script], cwd=lab.work, capture_output=True, text=True, timeout=180)
    assert done.returncode == -9, f"the child was not killed: {done.returncode}\n{done.stderr[-2000:]}"
    return done.stdout.strip().splitlines()[-1]


def _wait(run) -> BaseException | None:
    """wait_for_completion() with no timeout, in a thread; what it raised - or fail when it hangs."""
    outcome: dict = {}

    def wait():
        try:
            run.wait_for_completion()
        except BaseException as exc:
            outcome["raised"] = exc

    thread = threading.Thread(target=wait, daemon=True)
    thread.start()
    thread.join(WAIT_LIMIT)
    assert not thread.is_alive(), "wait_for_completion() did not return"
    return outcome.get("raised")


def test_an_interactive_run_whose_process_died_fails_and_keeps_what_it_logged(lab):
    from azureml.core import Run
    from azureml.exceptions import ActivityFailedException

    run_id = _killed_child(lab, START_THEN_DIE)
    journal = lab.ws._record.folder / "metric-journal"
    left = list((journal / run_id).iterdir())  # the dead process's journal, not yet taken by any reader
    assert len(left) == 1 and stat.S_IMODE(left[0].stat().st_mode) == 0o600
    assert {stat.S_IMODE(p.stat().st_mode) for p in (journal, journal / run_id)} == {0o700}
    run = Run.get(lab.ws, run_id)
    raised = _wait(run)
    assert isinstance(raised, ActivityFailedException)
    assert run.get_status() == "Failed"
    assert "ended before the run was completed" in run.get_details()["error"]["error"]["message"]
    assert run.get_metrics() == {"before": 1}
    assert list((journal / run_id).iterdir()) == []  # taken, and removed as its writer has ended


def test_a_script_run_whose_submitter_died_before_its_job_started_fails(lab):
    from azureml.core import Run
    from azureml.exceptions import ActivityFailedException

    run = Run.get(lab.ws, _killed_child(lab, SUBMIT_THEN_DIE))
    raised = _wait(run)
    assert isinstance(raised, ActivityFailedException)
    assert run.get_status() == "Failed"
    assert "Submit the experiment again" in run.get_details()["error"]["error"]["message"]


def test_a_run_of_a_live_process_is_not_failed(lab):
    from azureml.core import Experiment, Run

    run = Experiment(lab.ws, "alive").start_logging(outputs=False)
    assert Run.get(lab.ws, run.id).get_status() == "Running"  # this process created it and still runs
    run.complete()
    assert run.get_status() == "Completed"
