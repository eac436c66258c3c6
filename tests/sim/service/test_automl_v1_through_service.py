"""SDK v1 AutoML in process mode: `experiment.submit(AutoMLConfig)` sends the settings and a data reference to the
service, which runs the trials; the AutoMLRun reads them through the service, and `get_output()` gets the fitted
model the service's trial saved. This process is then forbidden its own view of the state (`DP100_STATE_HIDDEN`,
as in a sandbox that hides the home), so any direct state access would fail the test. Last, the MLflow tracking
URI a lab kernel is started with (which lab 21's trials are read through) in that same situation."""

from __future__ import annotations

import pickle

import pytest

import sim.cloud.automl.engine
import sim.cloud.automl.submitting
from sim.azureml._common.cloud import NotRouted, cloud
from sim.cloud import store
from sim.service import calls
from tests.sim._data_helpers import diabetes_frame

SUB = "00000000-0000-0000-0000-000000000000"
EXPERIMENT = "automl-through-service"

pytestmark = pytest.mark.usefixtures("sim_active")  # tests/sim/conftest.py: the simulator's hooks


def _workspace_with_data(tmp_path):
    """A workspace (which starts the service) with the diabetes rows registered as a tabular dataset."""
    from azureml.core import Dataset, Workspace

    ws = Workspace.create("mlw-automl", subscription_id=SUB, resource_group="rg-automl", create_resource_group=True,
                          location="eastus")
    folder = tmp_path / "data"  # under DP100_HOME's parent, not a sandbox's private /tmp: the service reads it
    folder.mkdir()
    diabetes_frame(300, seed=7).to_csv(folder / "diabetes.csv", index=False)
    store_ = ws.get_default_datastore()
    store_.upload_files(files=[str(folder / "diabetes.csv")], target_path="diabetes/", overwrite=True,
                        show_progress=False)
    return ws, Dataset.Tabular.from_delimited_files(path=(store_, "diabetes/*.csv"))


def _config(training, validation, **overrides):
    from azureml.train.automl import AutoMLConfig

    settings = {"task": "classification", "primary_metric": "AUC_weighted", "label_column_name": "Diabetic",
                "iterations": 3, "max_concurrent_iterations": 2, "compute_target": "local",
                "allowed_models": ["LogisticRegression", "DecisionTree"], "enable_stack_ensemble": False,
                "model_explainability": False, "training_data": training, "validation_data": validation}
    return AutoMLConfig(**{**settings, **overrides})


def _hide_state(monkeypatch):
    """From here on this process cannot open the state itself (as a kernel whose sandbox hides the home)."""
    monkeypatch.setenv(store.STATE_HIDDEN_ENV, "1")
    with pytest.raises(store.StateNotHere):
        store.require_state_here("the check that the state is hidden")


def test_an_automl_run_is_run_by_the_service_and_read_through_it(process_mode, tmp_path, monkeypatch, capsys):
    from azureml.core import Experiment, Run
    from azureml.train.automl.run import AutoMLRun

    ws, tabular = _workspace_with_data(tmp_path)
    train_ds, test_ds = tabular.random_split(percentage=0.7, seed=123)
    validation_frame = test_ds.to_pandas_dataframe()  # a DataFrame here: it travels as Parquet bytes
    _hide_state(monkeypatch)
    run = Experiment(ws, EXPERIMENT).submit(_config(train_ds, validation_frame))
    assert isinstance(run, AutoMLRun) and run.id.startswith("AutoML_")
    run.wait_for_completion(show_output=True)
    printed = capsys.readouterr().out
    assert "Class balancing detection" in printed and "ITER" in printed and f"Run {run.id}: Completed" in printed
    assert run.get_status() == "Completed"

    children = list(run.get_children())
    scores = {c.id: c.get_metrics()["AUC_weighted"] for c in children if c.get_status() == "Completed"}
    assert len(children) == 3 and len(scores) >= 2
    best_run, model = run.get_output()
    assert scores[best_run.id] == max(scores.values())
    assert run.get_best_child().id == best_run.id
    assert "datatransformer" in model.named_steps  # the trial's fitted Pipeline, unpickled here
    predictions = model.predict(validation_frame.drop(columns=["Diabetic"]))
    assert len(predictions) == len(validation_frame) and set(predictions) <= {0, 1}
    first, first_model = run.get_output(iteration=0)
    assert first.id == f"{run.id}_0" and hasattr(first_model, "predict")

    rails = {f["name"]: f["result"] for f in run.get_guardrails(to_console=False)["faults"]}
    assert rails["Class balancing detection"] in ("Passed", "Alerted")
    table = run.summary()
    assert set(table["Algorithm"]) >= {"LogisticRegression", "DecisionTree"}
    assert run.cancel_iteration(1) is True and Run(run.experiment, f"{run.id}_1").get_status() == "Completed"
    registered = run.register_model(model_name="automl-through-service")
    assert registered.run_id == best_run.id and run.model_id == "automl-through-service"


def test_what_the_service_refuses_is_said_in_a_sentence(process_mode, tmp_path, monkeypatch):
    from azureml.core import Experiment
    from azureml.exceptions import ExperimentExecutionException, UserErrorException

    ws, tabular = _workspace_with_data(tmp_path)
    _hide_state(monkeypatch)
    with pytest.raises(ExperimentExecutionException, match="The target column 'Outcome' is not in the training"):
        Experiment(ws, EXPERIMENT).submit(_config(tabular, None, label_column_name="Outcome"))
    mixed = tabular.to_pandas_dataframe().astype({"PatientID": object})
    mixed.loc[0, "PatientID"] = "first"  # one text value in a column of numbers: Parquet cannot hold it
    with pytest.raises(UserErrorException, match="cannot be sent to the AutoML service"):
        Experiment(ws, EXPERIMENT).submit(_config(mixed, None))
    submitting = cloud(sim.cloud.automl.submitting)
    with pytest.raises(ExperimentExecutionException, match="must be a TabularDataset or a pandas DataFrame"):
        submitting.submit_definition(ws._record, EXPERIMENT, {"task": "classification", "label_column": "y"},
                                     {"pickle": pickle.dumps([1, 2])}, run_id="AutoML_pickled")
    with pytest.raises(ExperimentExecutionException, match="arrived as bytes that are not a Parquet table"):
        submitting.submit_definition(ws._record, EXPERIMENT, {"task": "classification", "label_column": "y"},
                                     {"parquet": b"not parquet"}, run_id="AutoML_garbage")
    with pytest.raises(ExperimentExecutionException, match="must start with 'AutoML_'"):
        submitting.submit_definition(ws._record, EXPERIMENT, {"task": "classification", "label_column": "y"},
                                     {"tabular": tabular._definition}, run_id="HD_not_automl")


def test_the_engine_s_own_submit_and_run_moves_are_not_offered(process_mode):
    assert "submit" not in calls.ALLOWED["sim.cloud.automl.engine"]  # DataFrames and a free definition
    with pytest.raises(NotRouted, match=r"sim\.cloud\.automl\.engine\.submit is not available when"):
        cloud(sim.cloud.automl.engine).submit(None, "x", {}, None, run_id="AutoML_x")


def test_a_lab_kernel_that_cannot_read_the_state_gets_its_mlflow_tracking_uri_from_the_service(
        process_mode, tmp_path, monkeypatch):
    from labs._launcher import workspace_tracking_uri

    ws, _ = _workspace_with_data(tmp_path)
    (tmp_path / "config.json").write_text(
        f'{{"subscription_id": "{SUB}", "resource_group": "rg-automl", "workspace_name": "mlw-automl"}}')
    _hide_state(monkeypatch)  # a kernel whose sandbox hides the home: the record comes from the service
    assert workspace_tracking_uri(str(tmp_path)) == ws.get_mlflow_tracking_uri()
    assert workspace_tracking_uri(str(tmp_path / "no-config-here")) is None
