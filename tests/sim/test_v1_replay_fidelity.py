"""SDK v1 behaviours that replaying more of Microsoft's v1 notebooks reached (issue 15's fidelity list)."""

from __future__ import annotations

import os
import time

import pytest

import sim
from tests.sim._runs_helpers import module_home, new_workspace

# The documented order of Run.get_status() values for a submitted run.
DOCUMENTED_ORDER = ["NotStarted", "Starting", "Preparing", "Queued", "Running", "Finalizing", "Completed"]


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    # Named as the autouse per-test home of tests/conftest.py, so this module keeps one home throughout.
    with module_home(tmp_path_factory, "v1replay") as (home, _work):
        yield home


@pytest.fixture(scope="module")
def ws(dp100_home):
    sim.activate()
    return new_workspace("v1-replay-ws")


@pytest.fixture(scope="module")
def experiment(ws):
    from azureml.core import Experiment

    return Experiment(ws, "replay-fidelity")


def _script(folder: str, name: str, body: str) -> str:
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w") as handle:
        handle.write(body)
    return folder


def _statuses_until_done(run, timeout=90) -> list[str]:
    """Every distinct status seen while polling the run until it ends."""
    seen, deadline = [], time.monotonic() + timeout
    while True:
        status = run.get_status()
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in ("Completed", "Failed", "Canceled"):
            return seen
        assert time.monotonic() < deadline, f"the run stayed {status}"
        time.sleep(0.02)


# ---- item 7: PrimaryMetricGoal from azureml.train.hyperdrive.run ---------------------------------------
def test_primary_metric_goal_imports_from_the_run_module(ws):
    from azureml.train.hyperdrive import PrimaryMetricGoal as from_root
    from azureml.train.hyperdrive.run import PrimaryMetricGoal

    assert PrimaryMetricGoal is from_root
    assert {PrimaryMetricGoal.MAXIMIZE.name, PrimaryMetricGoal.MINIMIZE.name} == {"MAXIMIZE", "MINIMIZE"}


# ---- item 8: azureml.telemetry.set_diagnostics_collection ----------------------------------------------
def test_set_diagnostics_collection_prints_and_sends_nothing(ws, capsys, monkeypatch):
    import socket

    from azureml.telemetry import get_diagnostics_collection_info, set_diagnostics_collection

    def no_network(*args, **kwargs):
        raise AssertionError("set_diagnostics_collection tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    set_diagnostics_collection(send_diagnostics=True)
    assert capsys.readouterr().out == "Turning diagnostics collection on. \n"
    assert get_diagnostics_collection_info() == {"send_diagnostics": True}
    set_diagnostics_collection(send_diagnostics=False)
    assert capsys.readouterr().out == "Turning diagnostics collection off. \n"


# ---- item 9: Workspace._workspace_id -------------------------------------------------------------------
def test_workspace_id_is_the_workspace_guid(ws):
    import uuid

    assert ws._workspace_id == ws.get_details()["workspaceid"]
    uuid.UUID(ws._workspace_id)


# ---- item 10: run statuses in the documented order -----------------------------------------------------
def test_a_queued_job_goes_through_the_documented_states_in_order(ws, experiment, tmp_path, monkeypatch):
    from azureml.core import ScriptRunConfig
    from azureml.core.compute import AmlCompute, ComputeTarget

    monkeypatch.setenv("DP100_SIM_RUN_DELAY", "1")  # long enough to see Preparing
    cluster = ComputeTarget.create(ws, "one-node-order", AmlCompute.provisioning_configuration(
        vm_size="STANDARD_DS11_V2", max_nodes=1))
    cluster.wait_for_completion()
    gate = tmp_path / "release"
    folder = _script("gated", "gated.py", "import os, sys, time\n"
                     "while not os.path.exists(sys.argv[1]):\n    time.sleep(0.05)\n")
    first = experiment.submit(ScriptRunConfig(folder, "gated.py", arguments=[str(gate)], compute_target=cluster))
    deadline = time.monotonic() + 60
    while first.get_status() != "Running":  # the first holds the only node before the second asks for it
        assert time.monotonic() < deadline, f"the first run stayed {first.get_status()}"
        time.sleep(0.02)
    second_gate = tmp_path / "release-second"  # held Running until seen so (a loaded machine polls slowly)
    second = experiment.submit(ScriptRunConfig(folder, "gated.py", arguments=[str(second_gate)],
                                               compute_target=cluster))
    seen = []
    for awaited, release in (("Queued", gate), ("Running", second_gate)):  # Queued: it waits for the first's node
        while awaited not in seen:
            status = second.get_status()
            seen.append(status) if not seen or seen[-1] != status else None
            assert time.monotonic() < deadline + 60, f"second run seen {seen}"
            time.sleep(0.02)
        release.write_text("go")
    seen += _statuses_until_done(second)
    seen = [s for i, s in enumerate(seen) if i == 0 or seen[i - 1] != s]
    assert seen == sorted(seen, key=DOCUMENTED_ORDER.index), seen
    assert {"Preparing", "Queued", "Running", "Completed"} <= set(seen)
    assert first.wait_for_completion()["status"] == "Completed"


# ---- item 11: errors name the real SDK's modules and classes -------------------------------------------
def test_a_missing_name_is_reported_from_the_azureml_module(ws):
    with pytest.raises(ImportError, match=r"cannot import name 'NoSuchClass' from 'azureml\.core'") as caught:
        from azureml.core import NoSuchClass  # noqa: F401
    assert "sim.azureml" not in str(caught.value)
    with pytest.raises(ImportError, match=r"from 'azureml\.core\.webservice'"):
        from azureml.core.webservice import NoSuchService  # noqa: F401


def test_the_module_gets_its_own_name_back_when_the_simulator_is_deactivated(ws):
    import azureml.core

    import sim.azureml.core

    assert azureml.core is sim.azureml.core and azureml.core.__name__ == "azureml.core"
    sim.deactivate()
    try:
        assert sim.azureml.core.__name__ == "sim.azureml.core"
    finally:
        sim.activate()


def test_aks_provisioning_names_aks_compute(ws):
    from azureml.core.compute import AksCompute
    from azureml.exceptions import UserErrorException

    with pytest.raises(UserErrorException, match=r"AksCompute\.provisioning_configuration .*not simulated"):
        AksCompute.provisioning_configuration(vm_size="Standard_D3_v2", agent_count=3)
    with pytest.raises(UserErrorException, match=r"AksCompute\.attach_configuration"):
        AksCompute.attach_configuration(resource_group="rg", cluster_name="aks")


# ---- item 1: the deprecated Estimator and SKLearn, over ScriptRunConfig ---------------------------------
TRAIN_SCRIPT = """import argparse, os
from azureml.core import Run
parser = argparse.ArgumentParser()
parser.add_argument('--reg', type=float)
parser.add_argument('--data', type=str)
args = parser.parse_args()
run = Run.get_context()
run.log('reg', args.reg)
run.log('rows', sum(1 for _ in open(os.path.join(args.data, 'diabetes.csv'))) - 1)
run.log('named', ','.join(sorted(run.input_datasets)))
"""


def _diabetes_folder_dataset(ws):
    from azureml.core import Dataset

    datastore = ws.get_default_datastore()
    datastore.upload_files(["data/diabetes.csv"], target_path="estimator-data/", overwrite=True,
                           show_progress=False)
    return Dataset.File.from_files(path=(datastore, "estimator-data/"))


def test_sklearn_estimator_submits_a_script_run_with_its_params_and_warns(ws, experiment, caplog):
    from azureml.core.script_run import ScriptRun
    from azureml.train.sklearn import SKLearn

    folder = _script("estimator-files", "train.py", TRAIN_SCRIPT)
    data = _diabetes_folder_dataset(ws).as_named_input("diabetes")
    with caplog.at_level("WARNING", logger="azureml.train.sklearn"):
        estimator = SKLearn(source_directory=folder, entry_script="train.py", compute_target="local",
                            script_params={"--reg": 0.05, "--data": data.as_mount()}, pip_packages=["joblib"])
    assert ("'SKLearn' estimator is deprecated. Please use 'ScriptRunConfig' from 'azureml.core.script_run_config' "
            "with your own defined environment or the AzureML-Tutorial curated environment.") in caplog.text
    assert {"scikit-learn", "joblib"} <= set(estimator.conda_dependencies.pip_packages)
    run = experiment.submit(estimator)
    assert isinstance(run, ScriptRun)
    assert run.wait_for_completion()["status"] == "Completed"
    assert run.get_metrics() == {"reg": 0.05, "rows": 300, "named": "diabetes"}
    assert run.get_details()["runDefinition"]["arguments"][:2] == ["--reg", "0.05"]


def test_estimator_with_an_environment_and_inputs_outside_the_arguments(ws, experiment, caplog):
    from azureml.core import Environment
    from azureml.train.estimator import Estimator

    script = ("from azureml.core import Run\nrun = Run.get_context()\n"
              "run.log('inputs', ','.join(sorted(run.input_datasets)))\n")
    folder = _script("estimator-inputs", "inputs.py", script)
    with caplog.at_level("WARNING", logger="azureml.train.estimator._estimator"):
        estimator = Estimator(source_directory=folder, entry_script="inputs.py",
                              environment_definition=Environment("my-env"),
                              inputs=[_diabetes_folder_dataset(ws).as_named_input("training").as_download()])
    assert "'Estimator' is deprecated. Please use 'ScriptRunConfig'" in caplog.text
    assert estimator.run_config.environment.name == "my-env"
    run = experiment.submit(estimator)
    assert run.wait_for_completion()["status"] == "Completed"
    assert run.get_metrics() == {"inputs": "training"}


def test_estimator_bad_input_is_refused_clearly(ws):
    from azureml.exceptions import UserErrorException
    from azureml.train.estimator import Estimator

    with pytest.raises(UserErrorException, match="entry_script"):
        Estimator(source_directory=".")
    with pytest.raises(UserErrorException, match="multi-node"):
        Estimator(source_directory=".", entry_script="train.py", node_count=2)


def test_hyperdrive_sweeps_an_estimator(ws):
    from azureml.train.hyperdrive import GridParameterSampling, HyperDriveConfig, PrimaryMetricGoal, choice
    from azureml.train.sklearn import SKLearn

    folder = _script("estimator-files", "train.py", TRAIN_SCRIPT)
    estimator = SKLearn(source_directory=folder, entry_script="train.py", script_params={"--data": "."})
    config = HyperDriveConfig(estimator=estimator, hyperparameter_sampling=GridParameterSampling(
        {"--reg": choice(0.01, 0.1)}), primary_metric_name="reg", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE,
        max_total_runs=2)
    assert config.estimator is estimator and config.run_config is estimator._script_run_config


# ---- item 3: start_logging tracks ./outputs by default ---------------------------------------------------
def test_start_logging_uploads_outputs_by_default_and_registers_from_there(ws, experiment):
    import joblib
    from sklearn.linear_model import LogisticRegression

    os.makedirs("outputs", exist_ok=True)
    run = experiment.start_logging()
    model = LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
    joblib.dump(value=model, filename="outputs/model.pkl")
    run.complete()
    assert "outputs/model.pkl" in run.get_file_names()
    registered = run.register_model(model_name="interactive-model", model_path="outputs/model.pkl")
    assert registered.name == "interactive-model" and registered.version >= 1


def test_start_logging_outputs_false_tracks_nothing(ws, experiment):
    os.makedirs("outputs", exist_ok=True)
    with open("outputs/untracked.txt", "w") as handle:
        handle.write("kept local")
    run = experiment.start_logging(outputs=False)
    run.complete()
    assert "outputs/untracked.txt" not in run.get_file_names()


# ---- item 4: a single-file FileDataset is handed over as the file ---------------------------------------
READ_ARG = """import os, sys
from azureml.core import Run
run = Run.get_context()
path = sys.argv[1]
run.log('is_file', os.path.isfile(path))
run.log('name', os.path.basename(path))
run.log('same_as_input', run.input_datasets['data'] == path)
"""


@pytest.mark.parametrize("mode", ["as_mount", "as_download"])
def test_a_one_file_dataset_gives_the_script_the_file_path(ws, experiment, mode):
    from azureml.core import Dataset, ScriptRunConfig

    datastore = ws.get_default_datastore()
    datastore.upload_files(["data/diabetes.csv"], target_path="one-file/", overwrite=True, show_progress=False)
    one_file = Dataset.File.from_files(path=(datastore, "one-file/diabetes.csv"))
    folder = _script("read-arg", "read.py", READ_ARG)
    argument = getattr(one_file.as_named_input("data"), mode)()
    run = experiment.submit(ScriptRunConfig(folder, "read.py", arguments=[argument]))
    assert run.wait_for_completion()["status"] == "Completed"
    assert run.get_metrics() == {"is_file": True, "name": "diabetes.csv", "same_as_input": True}


def test_a_folder_or_a_transformed_one_file_dataset_still_gives_the_folder(ws, experiment):
    from azureml.core import Dataset, ScriptRunConfig

    datastore = ws.get_default_datastore()
    datastore.upload_files(["data/diabetes.csv"], target_path="one-file/", overwrite=True, show_progress=False)
    folder = _script("read-arg", "read.py", READ_ARG)
    for dataset in (Dataset.File.from_files(path=(datastore, "one-file/")),
                    Dataset.File.from_files(path=(datastore, "one-file/diabetes.csv")).skip(0)):
        run = experiment.submit(ScriptRunConfig(folder, "read.py",
                                                arguments=[dataset.as_named_input("data").as_mount()]))
        assert run.wait_for_completion()["status"] == "Completed"
        assert run.get_metrics()["is_file"] is False
