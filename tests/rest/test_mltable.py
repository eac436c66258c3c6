"""The simulated `mltable`: local MLTable folders, data assets and datastore URIs read as pandas DataFrames."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from tests.rest.conftest import RG, SUB, WS

CSV = "PatientID,Age,Diabetic\n1,21,0\n2,35,1\n3,50,1\n4,62,0\n"
MLTABLE = "paths:\n  - file: ./diabetes.csv\ntransformations:\n  - read_delimited:\n      delimiter: ','\n" \
          "      encoding: 'ascii'\n"


@pytest.fixture
def lab_folder(tmp_path, monkeypatch):
    """data/diabetes.csv + data/MLTable and a config.json naming the test workspace, as the current folder."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "diabetes.csv").write_text(CSV)
    (data / "MLTable").write_text(MLTABLE)
    (tmp_path / "config.json").write_text(json.dumps({"subscription_id": SUB, "resource_group": RG,
                                                      "workspace_name": WS}))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_local_mltable_folder_reads_as_pandas_does(lab_folder):
    import mltable

    frame = mltable.load("./data").to_pandas_dataframe()
    pd.testing.assert_frame_equal(frame, pd.read_csv(lab_folder / "data" / "diabetes.csv"))
    assert mltable.load("./data/MLTable").paths == [{"file": "./diabetes.csv"}]


def test_lab_03_loads_the_registered_mltable_asset_by_its_id(ml_client, lab_folder, monkeypatch):
    import mltable
    from azure.ai.ml.entities import Data

    ml_client.data.create_or_update(Data(path="data/", type="mltable", name="diabetes-table"))
    monkeypatch.chdir(lab_folder.parent)  # the long URI needs no config.json
    registered = ml_client.data.get(name="diabetes-table", version=1)
    frame = mltable.load(f"azureml:/{registered.id}").to_pandas_dataframe()
    assert frame["Age"].tolist() == [21, 35, 50, 62]


def test_a_uri_file_asset_uploaded_from_a_local_file_reads_back_through_mltable(ml_client, lab_folder):
    import mltable
    from azure.ai.ml.entities import Data

    asset = ml_client.data.create_or_update(Data(path="./data/diabetes.csv", type="uri_file", name="diabetes-local"))
    table = mltable.from_delimited_files(paths=[{"file": asset.path}])  # short form: the config.json workspace
    pd.testing.assert_frame_equal(table.to_pandas_dataframe(), pd.read_csv(lab_folder / "data" / "diabetes.csv"))


def test_short_forms_need_a_workspace_and_datastore_folders_load(ml_client, lab_folder, tmp_path_factory, monkeypatch):
    import mltable
    from azure.ai.ml.entities import Data

    ml_client.data.create_or_update(Data(path="data/", type="mltable", name="diabetes-table"))
    assert len(mltable.load("azureml:diabetes-table:1").to_pandas_dataframe()) == 4
    folder = ml_client.data.get("diabetes-table", version="1").path
    assert len(mltable.load(folder).to_pandas_dataframe()) == 4
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    with pytest.raises(mltable.UserErrorException, match="names no workspace"):
        mltable.load("azureml:diabetes-table:1")


def test_transformations_take_skip_keep_and_drop_columns(lab_folder):
    import mltable

    table = mltable.load("./data")
    assert table.take(2).to_pandas_dataframe()["PatientID"].tolist() == [1, 2]
    assert table.skip(3).to_pandas_dataframe()["PatientID"].tolist() == [4]
    assert list(table.keep_columns(["Age"]).to_pandas_dataframe().columns) == ["Age"]
    assert list(table.drop_columns("Age").show(1).columns) == ["PatientID", "Diabetic"]


def test_yaml_transformations_and_reader_options(lab_folder):
    import mltable

    (lab_folder / "data" / "MLTable").write_text(
        "type: mltable\npaths:\n  - pattern: ./*.csv\ntransformations:\n  - read_delimited:\n"
        "      header: no_header\n      include_path_column: true\n  - skip: 1\n  - take: 2\n"
        "  - drop_columns: [Column3]\n")
    frame = mltable.load("./data").to_pandas_dataframe()
    assert list(frame.columns) == ["Path", "Column1", "Column2"]
    assert frame["Column1"].tolist() == ["1", "2"]  # the header row was data, so the column reads as text


def test_parquet_and_json_lines_tables(lab_folder):
    import mltable

    pd.read_csv(lab_folder / "data" / "diabetes.csv").to_parquet(lab_folder / "data" / "d.parquet")
    (lab_folder / "data" / "d.jsonl").write_text('{"a": 1}\nnot json\n{"a": 2}\n')
    assert len(mltable.from_parquet_files([{"file": "./data/d.parquet"}]).to_pandas_dataframe()) == 4
    lines = mltable.from_json_lines_files([{"file": "./data/d.jsonl"}], invalid_lines="drop")
    assert lines.to_pandas_dataframe()["a"].tolist() == [1, 2]


def test_save_writes_an_mltable_file_that_loads_again(lab_folder):
    import mltable

    table = mltable.from_delimited_files([{"file": "./diabetes.csv"}]).take(1)
    table.save(lab_folder / "data")
    assert mltable.load("./data").to_pandas_dataframe()["PatientID"].tolist() == [1]
    assert "take: 1" in str(table)


def test_errors_say_what_is_wrong(lab_folder):
    import mltable

    with pytest.raises(mltable.UserErrorException, match="Not able to find MLTable file"):
        mltable.load(lab_folder)
    (lab_folder / "data" / "MLTable").write_text("paths: [{file: ./diabetes.csv}]\n")
    with pytest.raises(mltable.UserErrorException, match="no read_delimited"):
        mltable.load("./data").to_pandas_dataframe()
    with pytest.raises(NotImplementedError, match="MLTable.filter is not simulated"):
        mltable.load("./data").filter("col('Age') > 30")


def test_mltable_resolves_to_the_simulator_only_when_it_is_active():
    code = ("import sim\n"
            "try:\n    import mltable\n    print('real' if not mltable.__name__.startswith('sim') else 'sim')\n"
            "except ModuleNotFoundError:\n    print('missing')\n"
            "sim.activate()\nimport mltable\nprint(mltable.load.__module__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout.split("\n")
    assert out[0] in ("missing", "real")
    assert out[1] == "sim.mltable.mltable"
