"""SDK v1 pipelines (azureml.pipeline.core / .steps) on the service's pipeline engine: steps in data order, data
passed through OutputFileDatasetConfig and PipelineData, reuse, failure, publishing with a REST endpoint that
needs a token, schedules, and the names that are not simulated yet."""

from __future__ import annotations

import time

import pytest

from tests.sim._data_helpers import new_workspace, write_diabetes_files
from tests.sim.test_data_outputs import PREP, TRAIN

pytestmark = pytest.mark.usefixtures("sim_active")


@pytest.fixture
def pipeline_parts(tmp_path):
    """A workspace with a registered tabular dataset and a step folder holding the prep and train scripts."""
    from azureml.core import Dataset

    ws = new_workspace("pipelines-ws")
    store = ws.get_default_datastore()
    store.upload_files(files=write_diabetes_files(tmp_path), target_path="diabetes-data/", show_progress=False)
    raw = Dataset.Tabular.from_delimited_files(path=(store, "diabetes-data/*.csv"))
    raw = raw.register(workspace=ws, name="diabetes dataset")
    folder = tmp_path / "steps"
    folder.mkdir()
    (folder / "prep.py").write_text(PREP)
    (folder / "train.py").write_text(TRAIN)
    (folder / "fail.py").write_text("raise SystemExit('the data is wrong')\n")
    return ws, raw, folder


def _pipeline(ws, raw, folder, first="prep.py", allow_reuse=True):
    from azureml.core.runconfig import RunConfiguration
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import PythonScriptStep

    prepped = OutputFileDatasetConfig("prepped_data")
    prep = PythonScriptStep(name="Prepare Data", source_directory=str(folder), script_name=first,
                            arguments=["--input-data", raw.as_named_input("raw_data"), "--prepped-data", prepped],
                            runconfig=RunConfiguration(), allow_reuse=allow_reuse)
    train = PythonScriptStep(name="Train", source_directory=str(folder), script_name="train.py",
                             arguments=["--training-data", prepped.as_input()], allow_reuse=allow_reuse)
    return Pipeline(workspace=ws, steps=[train, prep])  # listed out of order: the data decides the order


def test_steps_run_in_data_order_and_pass_data(pipeline_parts):
    from azureml.core import Experiment
    from azureml.pipeline.core import PipelineRun, StepRun

    ws, raw, folder = pipeline_parts
    run = Experiment(ws, "v1-pipeline").submit(_pipeline(ws, raw, folder), regenerate_outputs=True)
    assert isinstance(run, PipelineRun) and run.type == "azureml.PipelineRun"
    assert run.wait_for_completion(show_output=False) == "Completed"
    steps = {s.display_name: s for s in run.get_children()}
    assert set(steps) == {"Prepare Data", "Train"} and all(isinstance(s, StepRun) for s in steps.values())
    kept = steps["Prepare Data"].get_metrics()["kept"]
    assert steps["Train"].get_metrics()["rows"] == kept > 0  # train read what prep wrote
    listed = list(Experiment(ws, "v1-pipeline").get_runs())
    assert [type(r).__name__ for r in listed] == ["PipelineRun"]  # steps are children, not top-level runs


def test_unchanged_steps_are_reused_unless_outputs_are_regenerated(pipeline_parts):
    from azureml.core import Experiment

    ws, raw, folder = pipeline_parts
    pipeline = _pipeline(ws, raw, folder)
    experiment = Experiment(ws, "v1-reuse")
    experiment.submit(pipeline).wait_for_completion(show_output=False)
    again = experiment.submit(pipeline)
    again.wait_for_completion(show_output=False)
    reused = list(again.get_steps())
    assert len(reused) == 2 and all(s._is_reused for s in reused)
    regenerated = experiment.submit(pipeline, regenerate_outputs=True)
    regenerated.wait_for_completion(show_output=False)
    rerun = list(regenerated.get_steps())
    assert len(rerun) == 2 and not any(s._is_reused for s in rerun)


def test_a_failed_step_fails_the_pipeline_and_the_next_step_never_starts(pipeline_parts):
    from azureml.core import Experiment
    from azureml.exceptions import ActivityFailedException

    ws, raw, folder = pipeline_parts
    run = Experiment(ws, "v1-failure").submit(_pipeline(ws, raw, folder, first="fail.py"))
    with pytest.raises(ActivityFailedException, match="Prepare Data"):
        run.wait_for_completion(show_output=False)
    assert [s.display_name for s in run.get_steps()] == ["Prepare Data"]
    assert run.get_status() == "Failed"


def test_canceling_a_pipeline_run_cancels_its_running_step_and_stops_its_job(pipeline_parts):
    from azureml.core import Experiment

    ws, raw, folder = pipeline_parts
    token = f"900.{time.time_ns() % 10**9}"  # on the command line of the step's long sleep
    (folder / "loop.py").write_text(f"import subprocess\nsubprocess.run(['sleep', '{token}'])\n")
    run = Experiment(ws, "v1-cancel").submit(_pipeline(ws, raw, folder, first="loop.py", allow_reuse=False))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not [s for s in run.get_steps() if s.get_status() == "Running"]:
        time.sleep(0.2)
    step = next(iter(run.get_steps()))
    assert step.get_status() == "Running", step.get_status()
    run.cancel()
    assert run.get_status() == "Canceled"
    assert step.get_status() == "Canceled"
    assert _gone_within(token, 30), "the canceled step's job still runs"
    time.sleep(1)  # the pipeline's driver would start the next step now, if it went on
    assert [s.display_name for s in run.get_steps()] == ["Prepare Data"]


def _gone_within(marker: str, seconds: float) -> bool:
    from tests.processes import alive_with

    deadline = time.monotonic() + seconds
    while alive_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    return not alive_with(marker)


def test_published_endpoint_starts_a_run_only_with_a_token(pipeline_parts):
    import requests
    from azureml.core import Experiment
    from azureml.core.authentication import InteractiveLoginAuthentication
    from azureml.pipeline.core import PublishedPipeline
    from azureml.pipeline.core.run import PipelineRun

    ws, raw, folder = pipeline_parts
    first = Experiment(ws, "v1-published").submit(_pipeline(ws, raw, folder))
    first.wait_for_completion(show_output=False)
    published = first.publish_pipeline(name="diabetes-training", description="trains", version="1.0")
    assert PublishedPipeline.get(ws, published.id).endpoint == published.endpoint
    refused = requests.post(published.endpoint, json={"ExperimentName": "v1-published"})
    assert refused.status_code == 401
    header = InteractiveLoginAuthentication().get_authentication_header()
    answer = requests.post(published.endpoint, headers=header, json={"ExperimentName": "v1-published"})
    run = PipelineRun(ws.experiments["v1-published"], answer.json()["Id"])
    assert run.wait_for_completion(show_output=False) == "Completed"
    assert [r.id for r in PipelineRun.get_pipeline_runs(ws, published.id)] == [run.id]
    published.disable()
    assert requests.post(published.endpoint, headers=header, json={"ExperimentName": "x"}).status_code == 400


def test_schedule_fires_when_its_time_has_come(pipeline_parts):
    from azureml.core import Experiment
    from azureml.pipeline.core import Schedule, ScheduleRecurrence

    from sim.cloud.pipelines import schedules as service

    ws, raw, folder = pipeline_parts
    published = _pipeline(ws, raw, folder).publish(name="weekly")
    recurrence = ScheduleRecurrence(frequency="Week", interval=1, week_days=["Monday"], time_of_day="00:00")
    schedule = Schedule.create(ws, name="weekly-training", pipeline_id=published.id,
                               experiment_name="v1-scheduled", recurrence=recurrence)
    assert [s.id for s in Schedule.list(ws)] == [schedule.id] and schedule.get_last_pipeline_run() is None
    eight_days = time.time() + 8 * 24 * 3600
    started = service.fire_due_schedules(ws._record, now=eight_days)
    assert len(started) == 1 and service.fire_due_schedules(ws._record, now=eight_days) == []
    assert Schedule.get(ws, schedule.id).get_last_pipeline_run().id == started[0]
    assert Experiment(ws, "v1-scheduled").get_runs().__next__().id == started[0]
    schedule.disable()
    assert Schedule.list(ws) == [] and [s.status for s in Schedule.list(ws, active_only=False)] == ["Disabled"]


def test_weekly_recurrence_finds_the_next_monday_midnight():
    from datetime import UTC, datetime

    from sim.cloud.pipelines import schedules as service

    thursday = datetime(2026, 12, 3, 15, 30, tzinfo=UTC).timestamp()
    recurrence = {"frequency": "Week", "interval": 1, "week_days": ["Monday"], "time_of_day": "00:00"}
    assert datetime.fromtimestamp(service.next_time(recurrence, thursday), UTC) == datetime(2026, 12, 7, tzinfo=UTC)


def test_names_not_simulated_yet_say_so():
    from azureml._common.not_simulated import NotSimulatedError

    with pytest.raises(NotSimulatedError, match="PipelineDraft"):
        from azureml.pipeline.core import PipelineDraft  # noqa: F401
    with pytest.raises(NotSimulatedError, match="HyperDriveStep"):
        from azureml.pipeline.steps import HyperDriveStep  # noqa: F401
