"""SDK v1 pipelines in process mode: a Pipeline goes to the service as data, which runs its steps, puts their data
in place (datasets, OutputFileDatasetConfig / PipelineData outputs, pipeline parameters) and keeps published
pipelines, endpoints and schedules; PipelineRun / StepRun read it all through the service. This process is
forbidden its own view of the state (`DP100_STATE_HIDDEN`, as a sandbox that hides the home), so a direct state
access fails the test. The same scenarios as the in-process tests run here, and the service refuses a graph that
asks for more than a client may (files added to a snapshot, chosen run properties, a path outside its records)."""

# ruff: noqa: F811 - the in-process tests' fixtures are imported here and requested by name

from __future__ import annotations

from pathlib import Path

import pytest

import sim.cloud.pipelines
import sim.cloud.pipelines.endpoints
import sim.cloud.pipelines.graphs
import sim.cloud.pipelines.published
from sim.azureml._common.cloud import NotRouted, cloud
from sim.cloud import store
from tests.sim import test_parallel_run_v1 as parallel
from tests.sim import test_pipelines_v1 as basics
from tests.sim import test_pipelines_v1_parameters as parameters
from tests.sim import test_pipelines_v1_steps as steps
from tests.sim.test_parallel_run_v1 import batch_parts  # noqa: F401 - a fixture
from tests.sim.test_pipelines_v1 import pipeline_parts  # noqa: F401 - a fixture
from tests.sim.test_pipelines_v1_parameters import parts  # noqa: F401 - a fixture
from tests.sim.test_pipelines_v1_steps import diabetes  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("sim_active")  # tests/sim/conftest.py: the simulator's hooks


@pytest.fixture
def hidden(process_mode, monkeypatch):
    """Process mode, and this process cannot open the state itself (as a kernel whose sandbox hides the home)."""
    from sim.service import launcher

    launcher.ensure_running()  # first: the service, started from here, would inherit the variable below
    monkeypatch.setenv(store.STATE_HIDDEN_ENV, "1")
    with pytest.raises(store.StateNotHere):
        store.require_state_here("the check that the state is hidden")
    return process_mode


def test_steps_run_in_data_order_and_pass_data(hidden, pipeline_parts):
    basics.test_steps_run_in_data_order_and_pass_data(pipeline_parts)


def test_unchanged_steps_are_reused_unless_outputs_are_regenerated(hidden, pipeline_parts):
    basics.test_unchanged_steps_are_reused_unless_outputs_are_regenerated(pipeline_parts)


def test_a_failed_step_fails_the_pipeline(hidden, pipeline_parts):
    basics.test_a_failed_step_fails_the_pipeline_and_the_next_step_never_starts(pipeline_parts)


def test_canceling_a_pipeline_run_cancels_its_running_step(hidden, pipeline_parts):
    basics.test_canceling_a_pipeline_run_cancels_its_running_step_and_stops_its_job(pipeline_parts)


def test_published_endpoint_starts_a_run_only_with_a_token(hidden, pipeline_parts):
    basics.test_published_endpoint_starts_a_run_only_with_a_token(pipeline_parts)


def test_parallel_run_scores_every_file_and_the_output_downloads(hidden, batch_parts, tmp_path):
    parallel.test_every_file_is_scored_once_and_results_appended(batch_parts, tmp_path)


def test_parameters_are_given_at_submit_and_through_rest(hidden, parts):
    parameters.test_parameter_default_is_overridden_at_submit_and_counts_for_reuse(parts)
    parameters.test_published_pipeline_takes_parameters_from_python_and_rest(parts)


def test_a_datapath_parameter_gives_the_step_its_folder(hidden, parts):
    parameters.test_datapath_parameter_gives_the_step_the_folder_it_names(parts)


def test_tabular_input_is_split_into_rows(hidden, batch_parts, tmp_path):
    parallel.test_tabular_input_is_split_into_rows(batch_parts, tmp_path)


def test_a_dataset_parameter_and_endpoint_versions(hidden, parts):
    parameters.test_dataset_parameter_gives_the_script_the_runs_dataset(parts)
    parameters.test_pipeline_endpoint_runs_its_default_version_unless_told_another(parts)


def test_estimator_and_automl_steps_read_earlier_outputs(hidden, diabetes, tmp_path):
    steps.test_estimator_step_runs_the_estimators_script_on_the_previous_steps_output(diabetes)
    steps.test_automl_step_writes_the_best_model_and_metrics_for_the_next_step(diabetes, tmp_path)


def test_a_graph_asking_for_more_than_a_client_may_is_refused(hidden, pipeline_parts):
    from azureml.exceptions import ExperimentExecutionException, UserErrorException

    ws, raw, folder = pipeline_parts
    graphs = cloud(sim.cloud.pipelines.graphs)
    step = basics._pipeline(ws, raw, folder)._resolved_steps()[0]
    with pytest.raises(ExperimentExecutionException, match="names no binding"):
        graphs.submit(ws._record, "forged", [dict(step, arguments=[{"bind": 99}])])
    with pytest.raises(ExperimentExecutionException, match="not an absolute path"):
        graphs.submit(ws._record, "forged", [dict(step, source_directory="relative/folder")])
    with pytest.raises(UserErrorException, match="may not contain '..'"):
        escaping = {"output": {"id": "x", "name": "out", "datastore": None, "path": "out/../../../state", "kind": "x"}}
        graphs.submit(ws._record, "forged", [dict(step, bindings=[escaping], arguments=[])])
    # what a client sends never adds files to a snapshot: a parallel step's driver is the service's own
    published = graphs.publish(ws._record, "checked", [dict(step, kind="parallel", extra_files={"x.py": "evil"})])
    snapshot = Path(published["steps"][0]["source_directory"])  # published with its code: the driver is in it
    assert (snapshot / sim.cloud.pipelines.graphs.PARALLEL_DRIVER).read_text() == \
        sim.cloud.pipelines.graphs.PARALLEL_DRIVER_CODE
    assert not (snapshot / "x.py").exists()
    with pytest.raises(NotRouted, match="submit_steps"):  # the engine's own entry takes run properties: not offered
        cloud(sim.cloud.pipelines).submit_steps(ws._record, "forged", [step], properties={"azureml.pipelineid": "x"})
    records = cloud(sim.cloud.pipelines.published)
    with pytest.raises(ExperimentExecutionException, match="not a record kind id"):
        records.set_status(ws._record, "..", "workspace", "Active")
    with pytest.raises(ExperimentExecutionException, match="Active' or 'Disabled"):
        records.set_status(ws._record, records.KIND, published["id"], "Hacked")


def test_an_endpoint_changes_only_its_name_and_status(hidden, pipeline_parts):
    from azureml.pipeline.core import PipelineEndpoint

    ws, raw, folder = pipeline_parts
    published = basics._pipeline(ws, raw, folder).publish(name="v0")
    endpoint = PipelineEndpoint.publish(ws, "training", "trains", published)
    assert endpoint.get_pipeline().id == published.id and endpoint.get_default_version() == "0"
    with pytest.raises(Exception, match="versions"):  # a keyword the service does not take: refused, not stored
        cloud(sim.cloud.pipelines.endpoints).change(ws._record, endpoint.id, versions=[])
    endpoint.disable()
    assert PipelineEndpoint.get(ws, name="training").status == "Disabled"
