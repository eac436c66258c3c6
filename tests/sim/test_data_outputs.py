"""OutputFileDatasetConfig: a run writes files to a datastore folder; a later run reads them as an input."""

from __future__ import annotations

import pytest

from tests.sim._data_helpers import new_workspace, write_diabetes_files

PREP = """
import argparse, os
import pandas as pd
from azureml.core import Run
parser = argparse.ArgumentParser()
parser.add_argument('--input-data', type=str)
parser.add_argument('--prepped-data', type=str)
args = parser.parse_args()
run = Run.get_context()
frame = run.input_datasets['raw_data'].to_pandas_dataframe()
frame = frame[frame.Age > 30]
os.makedirs(args.prepped_data, exist_ok=True)
frame.to_csv(os.path.join(args.prepped_data, 'data.csv'), index=False)
run.log('kept', len(frame))
run.complete()
"""

TRAIN = """
import argparse, os
import pandas as pd
from azureml.core import Run
parser = argparse.ArgumentParser()
parser.add_argument('--training-data', type=str)
args = parser.parse_args()
run = Run.get_context()
frame = pd.read_csv(os.path.join(args.training_data, 'data.csv'))
run.log('rows', len(frame))
run.complete()
"""


pytestmark = pytest.mark.usefixtures("sim_active")


def _run(ws, folder, script, arguments):
    from azureml.core import Environment, Experiment, ScriptRunConfig

    folder.mkdir(exist_ok=True)
    (folder / "step.py").write_text(script)
    config = ScriptRunConfig(source_directory=str(folder), script="step.py", arguments=arguments,
                             environment=Environment("env"))
    run = Experiment(ws, "outputs-test").submit(config)
    run.wait_for_completion()
    assert run.get_status() == "Completed", run.get_details_with_logs()
    return run


def test_output_of_one_run_is_input_of_the_next(tmp_path):
    from azureml.core import Dataset
    from azureml.data import OutputFileDatasetConfig

    ws = new_workspace("outputs-ws")
    ws.get_default_datastore().upload_files(files=write_diabetes_files(tmp_path), target_path="diabetes-data/",
                                            show_progress=False)
    raw = Dataset.Tabular.from_delimited_files(path=(ws.get_default_datastore(), "diabetes-data/*.csv"))
    prepped = OutputFileDatasetConfig("prepped_data")
    first = _run(ws, tmp_path / "prep", PREP, ["--input-data", raw.as_named_input("raw_data"),
                                               "--prepped-data", prepped])
    second = _run(ws, tmp_path / "train", TRAIN, ["--training-data", prepped.as_input()])
    kept = first.get_metrics()["kept"]
    assert second.get_metrics()["rows"] == kept > 0
    written = Dataset.File.from_files(path=(ws.get_default_datastore(), f"dataset/{prepped._unique}/prepped_data/"))
    assert written.to_path() == ["/data.csv"]


def test_destination_and_errors(tmp_path):
    from azureml.data import OutputFileDatasetConfig
    from azureml.exceptions import UserErrorException

    ws = new_workspace("outputs-ws2")
    store = ws.get_default_datastore()
    out = OutputFileDatasetConfig(name="scores", destination=(store, "results/{output-name}"))
    spec = out._materialize(tmp_path)
    assert spec["argument"].endswith("results/scores") and spec["input"]["mode"] == "output"
    assert out.as_upload().mode == "upload" and out.as_mount().mode == "mount"
    assert out.as_input().name == "scores"
    with pytest.raises(UserErrorException, match="destination must be a"):
        OutputFileDatasetConfig(destination="results/")
    with pytest.raises(UserErrorException, match="workspace is unknown"):
        OutputFileDatasetConfig("x")._materialize(tmp_path)
    with pytest.raises(UserErrorException, match="Invalid input name"):
        OutputFileDatasetConfig("bad name")
    with pytest.raises(UserErrorException, match="not simulated"):
        out.register_on_complete("scores")
