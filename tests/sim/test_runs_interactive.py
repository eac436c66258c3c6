"""The narrow run operations the v1 face uses for `Run.start`, `Run.create_children`, `Run.get_active_runs`,
`run.display_name` and `run.description` (the ones the service offers callers in another process)."""

from __future__ import annotations

import pytest

import sim
from tests.sim._runs_helpers import module_home, new_workspace


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    """One home for the module (instead of one per test), so a submitted job's process finds its workspace."""
    with module_home(tmp_path_factory, "runinteractive") as (home, work):
        (work / "src").mkdir(exist_ok=True)
        (work / "src" / "hello.py").write_text("print('hello')\n")
        yield home


@pytest.fixture(scope="module")
def ws(dp100_home):
    sim.activate()
    return new_workspace("run-interactive-ws")


def test_start_moves_a_not_started_interactive_run_to_running_once(ws):
    from azureml.core import Experiment, Run

    from sim.cloud.runs import interactive, lifecycle, state

    row = lifecycle.start(ws._record, "later", state.INTERACTIVE, state.NOT_STARTED)
    run = Run(Experiment(ws, "later"), row["run_id"])
    assert run.get_status() == "NotStarted"
    run.start()
    assert run.get_status() == "Running"
    assert interactive.mark_started(ws._record, run.id) is False  # already started: nothing changes
    run.complete()
    run.start()
    assert run.get_status() == "Completed"  # an ended run stays as it ended


def test_start_refuses_a_submitted_scripts_run_by_name(ws):
    from azureml.core import Experiment, ScriptRunConfig
    from azureml.exceptions import UserErrorException

    job = Experiment(ws, "jobs").submit(ScriptRunConfig(source_directory="src", script="hello.py"))
    with pytest.raises(UserErrorException, match=r"Run.start\(\) marks an interactive run as started; run '.*' is "
                                                 r"a azureml.scriptrun run"):
        job.start()
    job.wait_for_completion()


def test_children_made_in_one_batch_are_running_and_listed_as_active(ws):
    from azureml.core import Experiment, Run

    parent = Experiment(ws, "folds").start_logging()
    children = parent.create_children(tag_key="fold", tag_values=["a", "b"])
    assert [(c.get_status(), c.get_tags()["fold"]) for c in children] == [("Running", "a"), ("Running", "b")]
    assert {parent.id, *(c.id for c in children)} <= {r.id for r in Run.get_active_runs(ws)}
    for run in (*children, parent):
        run.complete()
    assert not {parent.id, *(c.id for c in children)} & {r.id for r in Run.get_active_runs(ws)}


def test_display_name_and_description_are_kept_by_the_service_and_seen_by_mlflow(ws):
    from azureml.core import Experiment
    from azureml.exceptions import UserErrorException

    from sim.cloud.runs import naming, tracking

    run = Experiment(ws, "named").start_logging()
    run.display_name, run.description = "first try", "with the default settings"
    assert (run.display_name, run.name, run.description) == ("first try", "first try", "with the default settings")
    seen = tracking.client(ws._record).get_run(run.id)
    assert (seen.info.run_name, seen.data.tags["mlflow.note.content"]) == ("first try", "with the default settings")
    with pytest.raises(UserErrorException, match="was not found"):
        from sim.azureml._common.service_errors import v1_errors

        with v1_errors():
            naming.display_name(ws._record, "no-such-run")
    run.complete()
