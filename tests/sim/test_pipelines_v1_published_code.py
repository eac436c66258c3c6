"""A published pipeline runs the code it was published with, as in Azure: editing the step's folder afterwards changes
none of its runs (the published pipeline keeps a snapshot), and publishing from a run keeps the code that run ran."""

from __future__ import annotations

import pytest

from tests.sim._data_helpers import new_workspace

pytestmark = pytest.mark.usefixtures("sim_active")
SCRIPT = "from azureml.core import Run\nRun.get_context().log('code_version', {version})\n"


def _pipeline(ws, folder):
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import PythonScriptStep

    step = PythonScriptStep(name="Report", source_directory=str(folder), script_name="report.py", allow_reuse=False)
    return Pipeline(workspace=ws, steps=[step])


def _version_ran(published, ws, experiment):
    from azureml.core import Experiment

    run = Experiment(ws, experiment).submit(published)
    assert run.wait_for_completion(show_output=False) == "Completed"
    (step,) = run.get_children()
    return step.get_metrics()["code_version"]


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
