"""SDK v1 pipeline step kinds beyond PythonScriptStep: EstimatorStep (an Estimator's script as a step) and
AutoMLStep (an AutoML run as a step, with its best model and metrics as TrainingOutput outputs a later step
reads), AutoMLStepRun, and RunDetails listing a pipeline run's steps."""

from __future__ import annotations

import json
import pickle

import pytest

from tests.sim._data_helpers import new_workspace, write_diabetes_files
from tests.sim.test_data_outputs import PREP, TRAIN

pytestmark = pytest.mark.usefixtures("sim_active")

USE_MODEL = """
import argparse, pickle
import pandas as pd
from azureml.core import Run
parser = argparse.ArgumentParser()
parser.add_argument('--model', type=str)
args = parser.parse_args()
run = Run.get_context()
with open(args.model, 'rb') as f:
    model = pickle.load(f)
frame = run.input_datasets['patients'].to_pandas_dataframe()
run.log('predicted', len(model.predict(frame.drop(columns=['Diabetic']))))
run.complete()
"""


@pytest.fixture
def diabetes(tmp_path):
    """A workspace with the diabetes data as a registered tabular dataset, and a folder of step scripts."""
    from azureml.core import Dataset

    ws = new_workspace("pipeline-steps-ws")
    store = ws.get_default_datastore()
    store.upload_files(files=write_diabetes_files(tmp_path), target_path="diabetes-data/", show_progress=False)
    data = Dataset.Tabular.from_delimited_files(path=(store, "diabetes-data/*.csv"))
    data = data.register(workspace=ws, name="diabetes dataset")
    folder = tmp_path / "steps"
    folder.mkdir()
    for name, text in (("prep.py", PREP), ("train.py", TRAIN), ("use_model.py", USE_MODEL)):
        (folder / name).write_text(text)
    return ws, data, folder


def test_estimator_step_runs_the_estimators_script_on_the_previous_steps_output(diabetes):
    from azureml.core import Experiment
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import EstimatorStep, PythonScriptStep
    from azureml.train.estimator import Estimator

    ws, data, folder = diabetes
    prepped = OutputFileDatasetConfig("prepped")
    prep = PythonScriptStep(name="Prepare", source_directory=str(folder), script_name="prep.py",
                            arguments=["--input-data", data.as_named_input("raw_data"), "--prepped-data", prepped])
    estimator = Estimator(source_directory=str(folder), entry_script="train.py", compute_target="local")
    train = EstimatorStep(name="Train (estimator)", estimator=estimator, compute_target="local",
                          estimator_entry_script_arguments=["--training-data", prepped.as_input()])
    run = Experiment(ws, "estimator-step").submit(Pipeline(ws, steps=[prep, train]))
    assert run.wait_for_completion(show_output=False) == "Completed"
    steps = {s.display_name: s for s in run.get_steps()}
    assert steps["Train (estimator)"].get_metrics()["rows"] == steps["Prepare"].get_metrics()["kept"] > 0
    with pytest.raises(ValueError, match="estimator_entry_script_arguments"):
        EstimatorStep(name="no arguments", estimator=estimator, compute_target="local")


def test_automl_step_writes_the_best_model_and_metrics_for_the_next_step(diabetes, tmp_path):
    from azureml.core import Experiment
    from azureml.pipeline.core import Pipeline, PipelineData, TrainingOutput
    from azureml.pipeline.steps import AutoMLStep, AutoMLStepRun, PythonScriptStep
    from azureml.train.automl import AutoMLConfig

    ws, data, folder = diabetes
    config = AutoMLConfig(task="classification", training_data=data, label_column_name="Diabetic",
                          primary_metric="AUC_weighted", iterations=2, n_cross_validations=2,
                          compute_target="local", model_explainability=False)
    store = ws.get_default_datastore()
    metrics_data = PipelineData("metrics_data", datastore=store, pipeline_output_name="metrics_output",
                                training_output=TrainingOutput(type="Metrics"))
    model_data = PipelineData("model_data", datastore=store, pipeline_output_name="best_model_output",
                              training_output=TrainingOutput(type="Model"))
    automl = AutoMLStep(name="automl_module", automl_config=config, outputs=[metrics_data, model_data])
    use = PythonScriptStep(name="Use model", source_directory=str(folder), script_name="use_model.py",
                           arguments=["--model", model_data], inputs=[model_data, data.as_named_input("patients")])
    pipeline = Pipeline(ws, steps=[use, automl])
    run = Experiment(ws, "automl-step").submit(pipeline)
    assert run.wait_for_completion(show_output=False) == "Completed"
    (step,) = run.find_step_run("automl_module")
    assert run.find_step_run("Use model")[0].get_metrics()["predicted"] == 450  # it loaded the best model
    automl_run = AutoMLStepRun(step_run=step)
    best_run, fitted = automl_run.get_output()
    trials = {r.id for r in automl_run.get_children()}
    assert len(trials) == 2 and best_run.id in trials and best_run.parent.id == step.id
    metrics_file = run.get_pipeline_output("metrics_output").download(str(tmp_path / "out"))
    by_trial = json.loads(open(metrics_file).read())
    assert set(by_trial) == trials
    assert max(m["AUC_weighted"][0] for m in by_trial.values()) == best_run.get_metrics()["AUC_weighted"]
    default_model = automl_run.get_default_model_output().get_port_data_reference()
    model_file = default_model.download(str(tmp_path / "default"))
    with open(model_file, "rb") as f:
        assert type(pickle.load(f)) is type(fitted)
    again = Experiment(ws, "automl-step").submit(pipeline)  # unchanged: both steps are reused
    assert again.wait_for_completion(show_output=False) == "Completed"
    (reused,) = again.find_step_run("automl_module")
    assert reused._is_reused and AutoMLStepRun(reused).get_output()[0].id == best_run.id


def test_automl_step_trains_on_what_an_earlier_step_wrote(diabetes):
    from azureml.core import Experiment
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import AutoMLStep, PythonScriptStep
    from azureml.train.automl import AutoMLConfig

    from sim.cloud.automl import engine

    ws, data, folder = diabetes
    prepped = OutputFileDatasetConfig("prepped")
    prep = PythonScriptStep(name="Prepare", source_directory=str(folder), script_name="prep.py",
                            arguments=["--input-data", data.as_named_input("raw_data"), "--prepped-data", prepped])
    config = AutoMLConfig(task="classification", training_data=prepped.read_delimited_files(),
                          label_column_name="Diabetic", iterations=1, compute_target="local",
                          model_explainability=False)
    automl = AutoMLStep(name="AutoML on prepped", automl_config=config, enable_default_metrics_output=False)
    run = Experiment(ws, "automl-step-prepped").submit(Pipeline(ws, steps=[automl, prep]))  # data decides order
    assert run.wait_for_completion(show_output=False) == "Completed"
    steps = {s.display_name: s for s in run.get_steps()}
    training, _ = engine.load_data(ws._record, steps["AutoML on prepped"].id)
    assert len(training) == steps["Prepare"].get_metrics()["kept"] and (training.Age > 30).all()


def test_automl_step_refuses_data_it_cannot_read(diabetes):
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import AutoMLStep
    from azureml.train.automl import AutoMLConfig

    ws, data, folder = diabetes
    config = AutoMLConfig(task="classification", training_data=data.to_pandas_dataframe(),
                          label_column_name="Diabetic", iterations=1)
    with pytest.raises(ValueError, match="AutoMLStep reads its training_data from a TabularDataset"):
        Pipeline(ws, steps=[AutoMLStep(name="automl", automl_config=config)]).validate()
    with pytest.raises(ValueError, match="needs an AutoMLConfig"):
        AutoMLStep(name="automl", automl_config={"task": "classification"})


def test_run_details_lists_a_pipeline_runs_steps(diabetes, capsys):
    from azureml.core import Experiment
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import PythonScriptStep
    from azureml.widgets import RunDetails

    ws, data, folder = diabetes
    prepped = OutputFileDatasetConfig("prepped")
    prep = PythonScriptStep(name="Prepare", source_directory=str(folder), script_name="prep.py",
                            arguments=["--input-data", data.as_named_input("raw_data"), "--prepped-data", prepped])
    train = PythonScriptStep(name="Train", source_directory=str(folder), script_name="train.py",
                             arguments=["--training-data", prepped.as_input()])
    pipeline = Pipeline(ws, steps=[prep, train])
    Experiment(ws, "details").submit(pipeline).wait_for_completion(show_output=False)
    again = Experiment(ws, "details").submit(pipeline)
    again.wait_for_completion(show_output=False)
    facts = RunDetails(again).get_widget_data()
    assert [(c["name"], c["status"], c["reused"]) for c in facts["children"]] == [
        ("Prepare", "Completed", True), ("Train", "Completed", True)]
    RunDetails(again).show()
    shown = capsys.readouterr().out
    assert "Steps:" in shown and "Prepare: Completed (reused)" in shown
