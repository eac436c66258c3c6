"""SDK v1 pipeline parameters, pipeline endpoints and datastore-change schedules: a PipelineParameter's default is
overridden at submit, by a published pipeline's REST ParameterAssignments and by a schedule; a DataPath parameter
hands the step the folder it names; an endpoint runs its default version unless told another; a datastore
schedule starts one run per blob added or changed under its path, once."""

from __future__ import annotations

import time

import pytest

from tests.sim._data_helpers import new_workspace

pytestmark = pytest.mark.usefixtures("sim_active")

LOG_RATE = """
import argparse, os
from azureml.core import Run
parser = argparse.ArgumentParser()
parser.add_argument('--rate', type=float)
parser.add_argument('--data', type=str, default='')
args = parser.parse_args()
run = Run.get_context()
run.log('rate', args.rate)
if args.data:
    run.log('data_files', len(os.listdir(args.data)) if os.path.isdir(args.data) else 1)
    run.tag('data', os.path.basename(args.data))
run.complete()
"""


@pytest.fixture
def parts(tmp_path):
    """A workspace, a step folder with the script that logs its parameters, and two folders of data files."""
    ws = new_workspace("pipeline-params-ws")
    folder = tmp_path / "params"
    folder.mkdir()
    (folder / "log_rate.py").write_text(LOG_RATE)
    for name, count in (("folder-a", 2), ("folder-b", 3)):
        data = folder / name
        data.mkdir()
        for n in range(count):
            (data / f"part{n}.csv").write_text("x\n1\n")
        ws.get_default_datastore().upload(src_dir=str(data), target_path=name, show_progress=False)
    return ws, folder


def _pipeline(ws, folder, rate=0.5, with_data=False):
    from azureml.data.datapath import DataPath, DataPathComputeBinding
    from azureml.pipeline.core import Pipeline, PipelineParameter
    from azureml.pipeline.steps import PythonScriptStep

    arguments = ["--rate", PipelineParameter(name="rate", default_value=rate)]
    if with_data:
        data = PipelineParameter(name="data_path", default_value=DataPath(ws.get_default_datastore(), "folder-a"))
        arguments += ["--data", (data, DataPathComputeBinding(mode="mount"))]
    step = PythonScriptStep(name="Log rate", source_directory=str(folder), script_name="log_rate.py",
                            arguments=arguments, compute_target="local")
    return Pipeline(workspace=ws, steps=[step])


def _step_metrics(run) -> dict:
    status = run.wait_for_completion(show_output=False, raise_on_error=False)
    (step,) = list(run.get_steps())
    assert status == "Completed", str(step.get_details_with_logs())[-3000:]
    if step._is_reused:  # what it logged is on the run it reused
        from azureml.core import Run

        step = Run.get(run.experiment.workspace, step._reused_run_id)
        return dict(step.get_metrics(), **step.get_tags(), reused=True)
    return dict(step.get_metrics(), **step.get_tags(), reused=False)


def test_parameter_default_is_overridden_at_submit_and_counts_for_reuse(parts):
    from azureml.exceptions import ExperimentExecutionException

    ws, folder = parts
    pipeline = _pipeline(ws, folder)
    assert _step_metrics(pipeline.submit("params-submit"))["rate"] == 0.5
    given = _step_metrics(pipeline.submit("params-submit", pipeline_parameters={"rate": 0.9}))
    assert given["rate"] == 0.9 and not given["reused"]  # another value is another result
    again = _step_metrics(pipeline.submit("params-submit", pipeline_parameters={"rate": 0.9}))
    assert again["rate"] == 0.9 and again["reused"]
    with pytest.raises(ExperimentExecutionException, match="no parameter learning_rate; its parameters: rate"):
        pipeline.submit("params-submit", pipeline_parameters={"learning_rate": 0.1})


def test_published_pipeline_takes_parameters_from_python_and_rest(parts):
    import requests
    from azureml.core.authentication import InteractiveLoginAuthentication
    from azureml.pipeline.core.run import PipelineRun

    ws, folder = parts
    published = _pipeline(ws, folder, rate=0.25).publish(name="rate-pipeline")
    run = published.submit(ws, "params-published", pipeline_parameters={"rate": 0.3})
    assert _step_metrics(run)["rate"] == 0.3
    header = InteractiveLoginAuthentication().get_authentication_header()
    body = {"ExperimentName": "params-published", "ParameterAssignments": {"rate": "0.7"}}
    answer = requests.post(published.endpoint, headers=header, json=body)
    assert answer.status_code == 200, answer.text
    assert _step_metrics(PipelineRun(ws.experiments["params-published"], answer.json()["Id"]))["rate"] == 0.7
    wrong = requests.post(published.endpoint, headers=header,
                          json={"ExperimentName": "params-published", "ParameterAssignments": {"rat": "1"}})
    assert wrong.status_code == 400 and "no parameter rat" in wrong.text


def test_datapath_parameter_gives_the_step_the_folder_it_names(parts):
    import requests
    from azureml.core.authentication import InteractiveLoginAuthentication
    from azureml.data.datapath import DataPath
    from azureml.pipeline.core.run import PipelineRun

    ws, folder = parts
    pipeline = _pipeline(ws, folder, with_data=True)
    first = _step_metrics(pipeline.submit("params-datapath"))
    assert (first["data_files"], first["data"]) == (2, "folder-a")
    other = DataPath(datastore=ws.get_default_datastore(), path_on_datastore="folder-b")
    second = _step_metrics(pipeline.submit("params-datapath", pipeline_parameters={"data_path": other}))
    assert (second["data_files"], second["data"]) == (3, "folder-b")
    published = pipeline.publish(name="datapath-pipeline")
    body = {"ExperimentName": "params-datapath",
            "DataPathAssignments": {"data_path": {"DataStoreName": "workspaceblobstore", "RelativePath": "folder-b"}}}
    answer = requests.post(published.endpoint, json=body,
                           headers=InteractiveLoginAuthentication().get_authentication_header())
    assert _step_metrics(PipelineRun(ws.experiments["params-datapath"], answer.json()["Id"]))["data"] == "folder-b"


LOG_ROWS = """
from azureml.core import Run
run = Run.get_context()
run.log('rows', len(run.input_datasets['patients'].to_pandas_dataframe()))
run.complete()
"""


def test_dataset_parameter_gives_the_script_the_runs_dataset(parts):
    import requests
    from azureml._common.not_simulated import NotSimulatedError
    from azureml.core import Dataset
    from azureml.core.authentication import InteractiveLoginAuthentication
    from azureml.data.dataset_consumption_config import DatasetConsumptionConfig
    from azureml.pipeline.core import Pipeline, PipelineParameter
    from azureml.pipeline.core.run import PipelineRun
    from azureml.pipeline.steps import PythonScriptStep

    ws, folder = parts
    (folder / "log_rows.py").write_text(LOG_ROWS)
    store = ws.get_default_datastore()
    two = Dataset.Tabular.from_delimited_files(path=(store, "folder-a/*.csv"))
    three = Dataset.Tabular.from_delimited_files(path=(store, "folder-b/*.csv")).register(ws, "three rows")
    patients = PipelineParameter(name="patients_ds", default_value=two)
    step = PythonScriptStep(name="Count rows", source_directory=str(folder), script_name="log_rows.py",
                            inputs=[DatasetConsumptionConfig("patients", patients)], compute_target="local")
    pipeline = Pipeline(ws, steps=[step])
    assert _step_metrics(pipeline.submit("params-dataset"))["rows"] == 2
    assert _step_metrics(pipeline.submit("params-dataset", pipeline_parameters={"patients_ds": three}))["rows"] == 3
    body = {"ExperimentName": "params-dataset",
            "DataSetDefinitionValueAssignments": {"patients_ds": {"SavedDataSetReference": {"Id": three.id}}}}
    answer = requests.post(pipeline.publish(name="rows").endpoint, json=body,
                           headers=InteractiveLoginAuthentication().get_authentication_header())
    assert _step_metrics(PipelineRun(ws.experiments["params-dataset"], answer.json()["Id"]))["rows"] == 3
    with pytest.raises(NotSimulatedError, match="as_mount"):
        DatasetConsumptionConfig("patients", PipelineParameter("files", two), mode="mount")


def test_pipeline_endpoint_runs_its_default_version_unless_told_another(parts):
    import requests
    from azureml.core.authentication import InteractiveLoginAuthentication
    from azureml.exceptions import ExperimentExecutionException
    from azureml.pipeline.core import PipelineEndpoint
    from azureml.pipeline.core.run import PipelineRun

    ws, folder = parts
    first = _pipeline(ws, folder, rate=0.1).publish(name="v0")
    endpoint = PipelineEndpoint.publish(ws, name="rate-endpoint", description="rates", pipeline=first)
    endpoint.add(_pipeline(ws, folder, rate=0.2).publish(name="v1"))
    assert endpoint.default_version == "0" and [v.version for v in endpoint.list_versions()] == ["0", "1"]
    assert _step_metrics(endpoint.submit("params-endpoint"))["rate"] == 0.1
    assert _step_metrics(endpoint.submit("params-endpoint", pipeline_version="1"))["rate"] == 0.2
    endpoint.add_default(_pipeline(ws, folder, rate=0.3))  # a Pipeline is published first
    same = PipelineEndpoint.get(workspace=ws, name="rate-endpoint")
    assert same.id == endpoint.id and same.get_default_version() == "2" and len(same.list_pipelines()) == 3
    header = InteractiveLoginAuthentication().get_authentication_header()
    assert requests.post(endpoint.endpoint, json={"ExperimentName": "params-endpoint"}).status_code == 401
    answer = requests.post(endpoint.endpoint, headers=header, json={"ExperimentName": "params-endpoint"})
    assert _step_metrics(PipelineRun(ws.experiments["params-endpoint"], answer.json()["Id"]))["rate"] == 0.3
    body = {"ExperimentName": "params-endpoint", "PipelineVersion": "0", "ParameterAssignments": {"rate": 0.05}}
    answer = requests.post(endpoint.endpoint, headers=header, json=body)
    assert _step_metrics(PipelineRun(ws.experiments["params-endpoint"], answer.json()["Id"]))["rate"] == 0.05
    with pytest.raises(ExperimentExecutionException, match="already exists"):
        PipelineEndpoint.publish(ws, name="rate-endpoint", description="again", pipeline=first)
    with pytest.raises(ExperimentExecutionException, match="no version '7'"):
        endpoint.submit("params-endpoint", pipeline_version="7")


def test_datastore_schedule_fires_once_per_added_or_changed_blob(parts, tmp_path_factory):
    from azureml.pipeline.core import Schedule

    from sim.cloud.pipelines import schedules

    ws, folder = parts
    tmp_path = tmp_path_factory.mktemp("blobs")
    store = ws.get_default_datastore()
    published = _pipeline(ws, folder, with_data=True).publish(name="on-new-data")
    (tmp_path / "old.csv").write_text("x\n1\n")
    store.upload_files([str(tmp_path / "old.csv")], target_path="incoming", show_progress=False)
    schedule = Schedule.create(ws, name="on-new-data", pipeline_id=published.id, experiment_name="params-trigger",
                               datastore=store, polling_interval=5, path_on_datastore="incoming",
                               data_path_parameter_name="data_path")
    assert (schedule.datastore_name, schedule.path_on_datastore, schedule.recurrence) == (
        "workspaceblobstore", "incoming", None)
    start = time.time()
    assert schedules.fire_due_schedules(ws._record, now=start + 6 * 60) == []  # the blob was there before
    (tmp_path / "new.csv").write_text("x\n1\n2\n")
    store.upload_files([str(tmp_path / "new.csv")], target_path="incoming", show_progress=False)
    assert schedules.fire_due_schedules(ws._record, now=start + 8 * 60) == []  # the next poll is not due yet
    (started,) = schedules.fire_due_schedules(ws._record, now=start + 12 * 60)
    assert schedules.fire_due_schedules(ws._record, now=start + 18 * 60) == []  # no change since
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deeper.csv").write_text("x\n")
    store.upload_files([str(tmp_path / "sub" / "deeper.csv")], target_path="incoming/sub", show_progress=False)
    assert schedules.fire_due_schedules(ws._record, now=start + 24 * 60) == []  # subfolders are not watched
    assert [r.id for r in Schedule.get(ws, schedule.id).get_pipeline_runs()] == [started]
    run = Schedule.get(ws, schedule.id).get_last_pipeline_run()
    assert _step_metrics(run)["data"] == "new.csv"  # the changed blob, given to data_path


def test_schedule_needs_one_trigger(parts):
    from azureml.exceptions import ExperimentExecutionException
    from azureml.pipeline.core import Schedule, ScheduleRecurrence

    ws, folder = parts
    published = _pipeline(ws, folder).publish(name="no-trigger")
    with pytest.raises(ExperimentExecutionException, match="exactly one trigger"):
        Schedule.create(ws, name="neither", pipeline_id=published.id, experiment_name="params-trigger")
    with pytest.raises(ExperimentExecutionException, match="exactly one trigger"):
        Schedule.create(ws, name="both", pipeline_id=published.id, experiment_name="params-trigger",
                        recurrence=ScheduleRecurrence(frequency="Day", interval=1),
                        datastore=ws.get_default_datastore())


def test_published_pipelines_and_endpoints_can_be_listed_disabled_and_enabled(parts):
    from azureml.exceptions import ExperimentExecutionException
    from azureml.pipeline.core import PipelineEndpoint, PublishedPipeline

    ws, folder = parts
    kept, paused = (_pipeline(ws, folder).publish(name=name) for name in ("kept", "paused"))
    endpoint = PipelineEndpoint.publish(ws, name="paused-endpoint", description=None, pipeline=paused)
    paused.disable()
    endpoint.disable()
    assert [p.name for p in PublishedPipeline.list(ws)] == ["kept"]
    assert {p.name for p in PublishedPipeline.list(ws, active_only=False)} == {"kept", "paused"}
    assert PipelineEndpoint.list(ws) == [] and PipelineEndpoint.get(ws, id=endpoint.id).status == "Disabled"
    with pytest.raises(ExperimentExecutionException, match="disabled"):
        paused.submit(ws, "params-status")
    with pytest.raises(ExperimentExecutionException, match="disabled"):
        endpoint.submit("params-status")
    paused.enable()
    endpoint.enable()
    assert _step_metrics(endpoint.submit("params-status"))["rate"] == 0.5
    assert PublishedPipeline.get(ws, kept.id).get_step_names() == ["Log rate"]


def test_a_schedule_whose_pipeline_is_disabled_starts_nothing_and_keeps_the_reason(parts):
    from azureml.pipeline.core import PublishedPipeline, Schedule, ScheduleRecurrence

    from sim.cloud.pipelines import schedules

    ws, folder = parts
    published = _pipeline(ws, folder).publish(name="paused-weekly")
    schedule = Schedule.create(ws, name="paused-weekly", pipeline_id=published.id, experiment_name="params-paused",
                               recurrence=ScheduleRecurrence(frequency="Day", interval=1))
    published.disable()
    assert schedules.fire_due_schedules(ws._record, now=time.time() + 2 * 24 * 3600) == []
    assert [p.name for p in PublishedPipeline.list(ws, active_only=False)] == ["paused-weekly"]  # reads still work
    assert "disabled" in schedules.get_schedule(ws._record, schedule.id)["last_error"]
    assert Schedule.get(ws, schedule.id).get_last_pipeline_run() is None
