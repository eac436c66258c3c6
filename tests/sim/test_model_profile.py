"""Model.profile (SDK v1): the model's scoring server really answers the dataset's requests and is measured."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from sim.cloud.services._profiling import percentile, recommend
from tests.sim._models_helpers import SCALER_SCRIPT, LabFolder, register_factor, servers_still_running


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    folder = LabFolder(tmp_path_factory, "profiling")
    folder.write("scaler/score.py", SCALER_SCRIPT)
    folder.model = register_factor(folder.ws, 2.0)
    yield folder
    folder.close()


@pytest.fixture(autouse=True)
def dp100_home(lab):
    return lab.home


def _dataset(lab, name, rows, columns=("request",)):
    from azureml.core import Dataset

    frame = pd.DataFrame({column: rows for column in columns})
    return Dataset.Tabular.register_pandas_dataframe(frame, (lab.ws.get_default_datastore(), name), name,
                                                     show_progress=False)


def _profile(lab, name, dataset, source="scaler", **kwargs):
    from azureml.core import Model
    from azureml.core.model import InferenceConfig

    config = InferenceConfig(entry_script="score.py", source_directory=source)
    return Model.profile(lab.ws, name, [lab.model], config, dataset, **kwargs)


def test_profile_measures_the_scoring_server_and_recommends_resources(lab):
    from azureml.core.profile import ModelProfile
    from azureml.exceptions import UserErrorException

    rows = [json.dumps({"data": list(range(n))}) for n in range(1, 21)]
    profile = _profile(lab, "scaler-profile", _dataset(lab, "scaler-requests", rows), cpu=1, memory_in_gb=2,
                       description="twenty requests")
    profile.wait_for_completion(show_output=False)
    details = profile.get_details()
    assert details["state"] == "Succeeded" and details["name"] == "scaler-profile"
    # The rows are replayed for a second after a first checking pass, so there are many more queries than rows.
    assert details["totalQueries"] == details["successQueries"] >= 20 and details["successRate"] == 100.0
    assert details["requestedCpu"] == 1 and details["requestedMemoryInGB"] == 2
    assert 0 < details["latencyPercentile50InMs"] <= details["latencyPercentile90InMs"] \
        <= details["latencyPercentile95InMs"] <= details["latencyPercentile99InMs"]
    # The server is a Python interpreter with pandas and the simulator loaded: tens of MB at least.
    assert 0.01 < details["maxUtilizedMemoryInGB"] < 4
    assert details["recommendedMemoryInGB"] >= details["maxUtilizedMemoryInGB"] * 1.25 - 1e-9
    assert details["recommendedCpu"] >= 0.1 and details["maxUtilizedCpu"] >= 0
    assert "errorLogsUri" not in details and "inputDatasetId" not in details
    again = ModelProfile(lab.ws, "scaler-profile")  # the constructor reads the stored record
    assert again.recommended_memory == details["recommendedMemoryInGB"] and again.description == "twenty requests"
    with pytest.raises(UserErrorException, match="created via the appropriate method in the Model class"):
        again.wait_for_completion()  # as in the SDK, only the object Model.profile returned can wait
    assert servers_still_running(lab.home, "scaler-profile") == []


SKLEARN_SCRIPT = """
import json

import joblib
from azureml.core.model import Model


def init():
    global model
    model = joblib.load(Model.get_model_path("iris-like"))


def run(raw_data):
    return model.predict(json.loads(raw_data)["data"]).tolist()
"""


def test_a_scikit_learn_model_is_measured_bigger_than_a_plain_script(lab):
    import joblib
    from azureml.core import Model
    from azureml.core.model import InferenceConfig
    from sklearn.linear_model import LogisticRegression

    rows = [[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]]
    joblib.dump(LogisticRegression().fit(rows, [0, 0, 1, 1]), lab.work / "iris-like.pkl")
    model = Model.register(lab.ws, model_path="iris-like.pkl", model_name="iris-like")
    lab.write("sk/score.py", SKLEARN_SCRIPT)
    requests = [json.dumps({"data": [row]}) for row in rows]
    sklearn_profile = Model.profile(lab.ws, "sk-profile", [model], InferenceConfig("score.py", source_directory="sk"),
                                    _dataset(lab, "sk-requests", requests))
    plain = _profile(lab, "plain-profile", _dataset(lab, "plain-requests", ['{"data": [1, 2]}']))
    sklearn_details, plain_details = sklearn_profile.get_details(), plain.get_details()
    assert sklearn_details["state"] == plain_details["state"] == "Succeeded"
    # numpy, scipy and scikit-learn loaded in the server: its peak resident memory really is larger.
    assert sklearn_details["maxUtilizedMemoryInGB"] > plain_details["maxUtilizedMemoryInGB"] + 0.02
    assert sklearn_details["recommendedMemoryInGB"] >= plain_details["recommendedMemoryInGB"]


def test_rows_that_are_not_json_fail_with_the_scripts_error_in_the_logs(lab):
    profile = _profile(lab, "bad-rows", _dataset(lab, "bad-rows", ["not json at all", '{"data": [1]}']))
    with pytest.warns(UserWarning, match="1 of 2 sample requests were refused"):
        profile.wait_for_completion()
    details = profile.get_details()
    assert details["state"] == "Failed" and "JSONDecodeError" in details["error"]["message"]
    assert set(details) <= {"name", "description", "state", "requestedCpu", "requestedMemoryInGB", "error",
                            "errorLogsUri", "createdTime"}
    assert details["requestedCpu"] == 3.5 and details["requestedMemoryInGB"] == 15.0  # the largest test instance
    logs = details["errorLogsUri"].removeprefix("file://")
    assert "JSONDecodeError" in open(logs).read()
    assert servers_still_running(lab.home, "bad-rows") == []


def test_a_failing_init_fails_the_profile_with_its_traceback(lab):
    lab.write("broken/score.py", "def init():\n    raise ValueError('model file is corrupt')\n\n"
                                 "def run(raw):\n    return raw\n")
    profile = _profile(lab, "broken-init", _dataset(lab, "one-row", ['{"data": [1]}']), source="broken")
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        profile.wait_for_completion()
    details = profile.get_details()
    assert details["state"] == "Failed" and "model file is corrupt" in details["error"]["message"]
    assert "ValueError: model file is corrupt" in open(details["errorLogsUri"].removeprefix("file://")).read()


@pytest.mark.parametrize(("rows", "columns", "message"), [
    (['{"data": [1]}'], ("a", "b"), "Number of columns != 1"),
    ([1, 2], ("request",), "datatype other than string"),
])
def test_datasets_profiling_cannot_use_are_refused_before_anything_runs(lab, rows, columns, message):
    from azureml.exceptions import UserErrorException

    dataset = _dataset(lab, f"wrong-{len(columns)}-{type(rows[0]).__name__}", rows, columns)
    with pytest.raises(UserErrorException, match=message):
        _profile(lab, "wrong-dataset", dataset)


def test_arguments_are_validated_as_the_sdk_does(lab):
    from azureml.core.profile import ModelProfile
    from azureml.exceptions import UserErrorException, WebserviceException

    dataset = _dataset(lab, "valid-one", ['{"data": [1]}'])
    with pytest.raises(UserErrorException, match="profile_name cannot be None or empty"):
        _profile(lab, "", dataset)
    with pytest.raises(UserErrorException, match="profile_name '../escape' is not valid"):
        _profile(lab, "../escape", dataset)
    with pytest.raises(UserErrorException, match="cpu value is between 0.1 and 3.5. Provided: 4"):
        _profile(lab, "too-many-cpus", dataset, cpu=4)
    with pytest.raises(UserErrorException, match="Dataset not provided"):
        _profile(lab, "no-dataset", None)
    with pytest.raises(WebserviceException, match="not found in provided workspace"):
        ModelProfile(lab.ws, "never-profiled")


def test_percentiles_and_recommendations():
    assert percentile([10.0, 20.0, 30.0, 40.0], 50) == 25.0
    assert percentile([5.0], 99) == 5.0
    assert recommend(0.0, 0.1) == 0.1          # never below the smallest container
    assert recommend(0.33, 0.1) == 0.5         # 0.33 * 1.25 = 0.4125, rounded up to a tenth
