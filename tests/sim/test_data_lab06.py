"""Lab 06 (Work with Data), written the way a learner writes it: same calls, same order, own code."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import sim
from tests.sim._data_helpers import new_workspace, write_diabetes_files


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    """One DP100_HOME for the whole lab (overrides the per-test one): the steps build on each other."""
    home = tmp_path_factory.mktemp("lab06home")
    mp = pytest.MonkeyPatch()
    mp.setenv("DP100_HOME", str(home))
    yield home
    mp.undo()


@pytest.fixture(scope="module")
def lab(dp100_home, tmp_path_factory):
    """The notebook's first cells: connect, look at datastores, upload the two CSV files."""
    sim.activate()
    folder = tmp_path_factory.mktemp("lab06")
    old = os.getcwd()
    os.chdir(folder)
    write_diabetes_files(folder)
    ws = new_workspace("lab06-ws")
    default_ds = ws.get_default_datastore()
    default_ds.upload_files(files=["./data/diabetes.csv", "./data/diabetes2.csv"], target_path="diabetes-data/",
                            overwrite=True, show_progress=True)
    yield {"ws": ws, "folder": folder}
    os.chdir(old)
    sim.deactivate()


def test_datastores_list_with_default(lab):
    ws = lab["ws"]
    default_ds = ws.get_default_datastore()
    flags = {name: name == default_ds.name for name in ws.datastores}
    assert flags == {"workspaceblobstore": True, "workspacefilestore": False}


def test_upload_puts_files_in_the_datastore(lab, capsys):
    ds = lab["ws"].get_default_datastore()
    ref = ds.upload_files(files=["./data/diabetes.csv"], target_path="diabetes-data/", overwrite=False,
                          show_progress=True)
    out = capsys.readouterr().out
    assert "Target already exists. Skipping upload for diabetes-data/diabetes.csv" in out
    assert ref.path_on_datastore == "diabetes-data/"
    assert str(ref) == "$AZUREML_DATAREFERENCE_workspaceblobstore"


def test_tabular_dataset_take_20(lab):
    from azureml.core import Dataset

    default_ds = lab["ws"].get_default_datastore()
    tab_data_set = Dataset.Tabular.from_delimited_files(path=(default_ds, "diabetes-data/*.csv"))
    frame = tab_data_set.take(20).to_pandas_dataframe()
    assert frame.shape == (20, 10)
    assert len(tab_data_set.to_pandas_dataframe()) == 450  # both files


def test_file_dataset_paths(lab):
    from azureml.core import Dataset

    default_ds = lab["ws"].get_default_datastore()
    file_data_set = Dataset.File.from_files(path=(default_ds, "diabetes-data/*.csv"))
    assert list(file_data_set.to_path()) == ["/diabetes.csv", "/diabetes2.csv"]


def _register_both(ws):
    from azureml.core import Dataset

    default_ds = ws.get_default_datastore()
    tab = Dataset.Tabular.from_delimited_files(path=(default_ds, "diabetes-data/*.csv"))
    files = Dataset.File.from_files(path=(default_ds, "diabetes-data/*.csv"))
    tab = tab.register(workspace=ws, name="diabetes dataset", description="diabetes data",
                       tags={"format": "CSV"}, create_new_version=True)
    files = files.register(workspace=ws, name="diabetes file dataset", description="diabetes files",
                           tags={"format": "CSV"}, create_new_version=True)
    return tab, files


def test_register_and_list_datasets(lab):
    from azureml.core import Dataset

    ws = lab["ws"]
    tab, files = _register_both(ws)
    assert (tab.name, tab.version, tab.description, tab.tags) == ("diabetes dataset", 1, "diabetes data",
                                                                  {"format": "CSV"})
    seen = {}
    for dataset_name in list(ws.datasets.keys()):
        dataset = Dataset.get_by_name(ws, dataset_name)
        seen[dataset.name] = dataset.version
    assert seen == {"diabetes dataset": 1, "diabetes file dataset": 1}


def test_registering_again_keeps_version_1(lab):
    from azureml.core import Dataset

    ws = lab["ws"]
    _register_both(ws)
    _register_both(ws)
    assert Dataset.get_by_name(ws, "diabetes dataset", version=1).version == 1
    assert ws.datasets["diabetes dataset"].version == 1


SCRIPT_TAB = """
import argparse
from azureml.core import Run
parser = argparse.ArgumentParser()
parser.add_argument('--regularization', type=float, dest='reg_rate', default=0.01)
parser.add_argument('--input-data', type=str, dest='training_dataset_id')
args = parser.parse_args()
run = Run.get_context()
diabetes = run.input_datasets['training_data'].to_pandas_dataframe()
run.log('rows', len(diabetes))
run.log('id_matches', int(args.training_dataset_id == run.input_datasets['training_data'].id))
run.complete()
"""

SCRIPT_FILES = """
import argparse, glob
import pandas as pd
from azureml.core import Run
parser = argparse.ArgumentParser()
parser.add_argument('--regularization', type=float, dest='reg_rate', default=0.01)
parser.add_argument('--input-data', type=str, dest='dataset_folder')
args = parser.parse_args()
run = Run.get_context()
data_path = run.input_datasets['training_files']
all_files = glob.glob(data_path + "/*.csv")
diabetes = pd.concat((pd.read_csv(f) for f in all_files), sort=False)
run.log('rows', len(diabetes))
run.log('same_folder', int(data_path == args.dataset_folder))
run.complete()
"""


def _submit(ws, folder, script_text, dataset_input):
    from azureml.core import Environment, Experiment, ScriptRunConfig

    folder.mkdir(exist_ok=True)
    (folder / "diabetes_training.py").write_text(script_text)
    env = Environment("experiment_env")
    config = ScriptRunConfig(source_directory=str(folder), script="diabetes_training.py",
                             arguments=["--regularization", 0.1, "--input-data", dataset_input], environment=env)
    run = Experiment(workspace=ws, name="mslearn-train-diabetes").submit(config=config)
    run.wait_for_completion()
    return run


def test_script_reads_tabular_named_input(lab):
    ws = lab["ws"]
    _register_both(ws)
    diabetes_ds = ws.datasets.get("diabetes dataset")
    run = _submit(ws, lab["folder"] / "diabetes_training_from_tab_dataset", SCRIPT_TAB,
                  diabetes_ds.as_named_input("training_data"))
    assert run.get_status() == "Completed", run.get_details_with_logs()
    assert run.get_metrics() == {"rows": 450, "id_matches": 1}


def test_script_reads_file_dataset_download(lab):
    ws = lab["ws"]
    _register_both(ws)
    diabetes_ds = ws.datasets.get("diabetes file dataset")
    run = _submit(ws, lab["folder"] / "diabetes_training_from_file_dataset", SCRIPT_FILES,
                  diabetes_ds.as_named_input("training_files").as_download())
    assert run.get_status() == "Completed", run.get_details_with_logs()
    assert run.get_metrics() == {"rows": 450, "same_folder": 1}


def test_input_spec_rebuilds_in_another_process(lab, tmp_path):
    """The hook SIM-RUNS uses, checked on its own: a fresh interpreter rebuilds the dataset."""
    import json

    ws = lab["ws"]
    _register_both(ws)
    spec = ws.datasets["diabetes dataset"].as_named_input("training_data")._materialize(tmp_path)
    code = ("import json, sys, sim; sim.activate()\n"
            "from azureml.data import _input_from_spec\n"
            "ds = _input_from_spec(json.loads(sys.argv[1]))\n"
            "print(type(ds).__name__, ds.name, ds.version, len(ds.to_pandas_dataframe()))\n")
    env = dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true")
    out = subprocess.run([sys.executable, "-c", code, json.dumps(spec["input"])], capture_output=True, text=True,
                         env=env, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))), check=True)
    assert out.stdout.split() == ["TabularDataset", "diabetes", "dataset", "1", "450"]
    assert spec["argument"] == ws.datasets["diabetes dataset"].id
