"""The simulated `mltable` in process mode: a table loaded from a data URI is read by the service, so a kernel that
cannot see the storage (its home hidden) still reads it, and the service reads no file outside the table's folder."""

from __future__ import annotations

import json

import pytest

from sim.cloud import workspaces

SUB = "00000000-0000-0000-0000-000000000000"
RG = "rg-dp100"
WS = "mlw-dp100"
CSV = "PatientID,Age,Diabetic\n1,21,0\n2,35,1\n3,50,1\n4,62,0\n"
MLTABLE = "paths:\n  - file: ./{csv}\ntransformations:\n  - read_delimited:\n      delimiter: ','\n"

pytestmark = pytest.mark.usefixtures("sim_active")  # tests/sim/conftest.py: the simulator's hooks


@pytest.fixture
def ml_client(process_mode, tmp_path, monkeypatch):
    """An MLClient for a fresh workspace in process mode, in a folder with data/ (an MLTable) and config.json."""
    from azure.ai.ml import MLClient
    from azure.identity import DefaultAzureCredential

    workspaces.create(SUB, RG, WS, location="eastus")
    data = tmp_path / "data"
    data.mkdir()
    (data / "diabetes.csv").write_text(CSV)
    (data / "MLTable").write_text(MLTABLE.format(csv="diabetes.csv"))
    (tmp_path / "config.json").write_text(json.dumps({"subscription_id": SUB, "resource_group": RG,
                                                      "workspace_name": WS}))
    monkeypatch.chdir(tmp_path)
    return MLClient(DefaultAzureCredential(), SUB, RG, WS)


def _state_hidden(monkeypatch) -> None:
    """From here on, any direct read of the simulated Azure's files raises StateNotHere (as in a sandboxed kernel).

    The service is started first: it would otherwise inherit the variable."""
    from sim import service
    from sim.cloud.store import STATE_HIDDEN_ENV

    service.ensure_running()
    monkeypatch.setenv(STATE_HIDDEN_ENV, "1")


def test_a_table_asset_loads_and_transforms_through_the_service(ml_client, monkeypatch):
    import mltable
    from azure.ai.ml.entities import Data

    asset = ml_client.data.create_or_update(Data(path="data/", type="mltable", name="diabetes-table"))
    _state_hidden(monkeypatch)
    table = mltable.load(f"azureml:/{asset.id}")
    assert table.paths == [{"file": "./diabetes.csv"}]
    assert table.to_pandas_dataframe()["Age"].tolist() == [21, 35, 50, 62]
    assert table.skip(1).take(2).keep_columns("PatientID").to_pandas_dataframe()["PatientID"].tolist() == [2, 3]
    assert len(mltable.load("azureml:diabetes-table:1").to_pandas_dataframe()) == 4  # short form: config.json


def test_the_service_reads_no_file_outside_the_tables_folder(ml_client, monkeypatch, tmp_path):
    import mltable
    from azure.ai.ml.entities import Data

    secret = tmp_path / "secret.csv"  # stands for any file the service can see and the learner may not
    secret.write_text("key,value\nsecret,s3cret\n")
    (tmp_path / "data" / "MLTable").write_text(MLTABLE.format(csv="x.csv").replace("./x.csv", str(secret)))
    asset = ml_client.data.create_or_update(Data(path="data/", type="mltable", name="escaping-table"))
    _state_hidden(monkeypatch)
    with pytest.raises(mltable.UserErrorException, match="outside its folder"):
        mltable.load(f"azureml:/{asset.id}").to_pandas_dataframe()


def test_a_uri_naming_nothing_is_said_in_the_mltable_error(ml_client, monkeypatch):
    import mltable

    _state_hidden(monkeypatch)
    with pytest.raises(mltable.UserErrorException):
        mltable.load("azureml:no-such-table:1")
