"""A published pipeline runs the code it was published with, as in Azure: editing the step's folder afterwards changes
none of its runs (the published pipeline keeps a snapshot), and publishing from a run keeps the code that run ran."""

from __future__ import annotations

import pytest

from tests.sim._data_helpers import new_workspace

pytestmark = pytest.mark.usefixtures("sim_active")
SCRIPT = "from azureml.core import Run\nRun.get_context().log('code_version', {version})\n"


def _pipeline(ws, folder, allow_reuse=False):
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import PythonScriptStep

    step = PythonScriptStep(name="Report", source_directory=str(folder), script_name="report.py",
                            allow_reuse=allow_reuse)
    return Pipeline(workspace=ws, steps=[step])


def _step_of(published, ws, experiment):
    from azureml.core import Experiment

    run = Experiment(ws, experiment).submit(published)
    assert run.wait_for_completion(show_output=False) == "Completed"
    (step,) = run.get_children()
    return step


def _version_ran(published, ws, experiment):
    return _step_of(published, ws, experiment).get_metrics()["code_version"]


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "step"
    folder.mkdir()
    (folder / "report.py").write_text(SCRIPT.format(version=1))
    return folder


def test_editing_the_folder_after_publishing_changes_no_published_run(folder):
    ws = new_workspace("published-code-ws")
    published = _pipeline(ws, folder).publish(name="report")
    (folder / "report.py").write_text(SCRIPT.format(version=2))

    assert _version_ran(published, ws, "published-code") == 1
    assert _version_ran(_pipeline(ws, folder).publish(name="report-2"), ws, "published-code") == 2


def test_publishing_from_a_run_keeps_the_code_that_run_ran(folder):
    from azureml.core import Experiment

    ws = new_workspace("published-run-ws")
    first = Experiment(ws, "published-run").submit(_pipeline(ws, folder))
    assert first.wait_for_completion(show_output=False) == "Completed"
    (folder / "report.py").write_text(SCRIPT.format(version=2))

    assert _version_ran(first.publish_pipeline(name="from-run", description="d", version="1"), ws, "again") == 1


def test_a_published_run_of_unchanged_code_reuses_the_step_the_run_ran(folder):
    from azureml.core import Experiment

    ws = new_workspace("published-reuse-ws")
    first = Experiment(ws, "published-reuse").submit(_pipeline(ws, folder, allow_reuse=True))
    assert first.wait_for_completion(show_output=False) == "Completed"
    (ran,) = first.get_children()

    step = _step_of(first.publish_pipeline(name="reuse", description="d", version="1"), ws, "published-reuse")

    assert step.get_properties().get("azureml.reusedrunid") == ran.id


def test_a_pinned_step_keeps_its_snapshot_id_when_the_service_added_files(folder):
    """A parallel step's snapshot holds a driver the service adds: pinned, it is still the same snapshot (so a
    published run of a ParallelRunStep reuses the step its run ran, rather than appending its rows again)."""
    from pathlib import Path

    from sim.cloud.pipelines import _steps

    record = new_workspace("pinned-id-ws")._record
    step = {"name": "score", "source_directory": str(folder), "extra_files": {"driver.py": "print('driver')\n"}}
    snapshot, snapshot_id = _steps._snapshot(record, folder, step["extra_files"])

    pinned = _steps.pinned(record, step)

    assert pinned["source_directory"] == str(snapshot) and pinned["extra_files"] == {}
    assert _steps._snapshot(record, Path(pinned["source_directory"]), {}) == (snapshot, snapshot_id)
