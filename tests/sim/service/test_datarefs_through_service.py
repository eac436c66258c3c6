"""DataReferences and OutputFileDatasetConfigs given to a script run, in process and through the service.

The service puts them in place (`sim.cloud.runs.datarefs`): a mount links the datastore's files into the job's
folder, a download copies them, an upload hands over the datastore folder, an output folder is made on its datastore
and read by a later run with `as_input()`. The same script must see the same thing in every mode: in process, through
the service, and through the service with the job's code in its sandbox (the home hidden). The service refuses, with
a sentence, what would make it write or read outside the job's folder or the datastore.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sim import service as sim_service

SUB = "00000000-0000-0000-0000-000000000000"
pytestmark = pytest.mark.usefixtures("sim_active")

# Prints what each argument shows the script (files below it, relative, with their text), writes into the upload
# folder and the output folder, and logs counts.
SEE = """
import argparse, json, os
from azureml.core import Run
parser = argparse.ArgumentParser()
for name in ("mounted", "downloaded", "single", "uploads", "out"):
    parser.add_argument("--" + name)
args = parser.parse_args()

def seen(path):
    if os.path.isfile(path):
        return {os.path.basename(path): open(path).read()}
    found = {}
    for folder, _, names in os.walk(path):
        for name in names:
            full = os.path.join(folder, name)
            found[os.path.relpath(full, path)] = open(full).read()
    return found

view = {name: seen(getattr(args, name)) for name in ("mounted", "downloaded", "single")}
with open(os.path.join(args.uploads, "from-run.txt"), "w") as handle:
    handle.write("uploaded")
with open(os.path.join(args.out, "rows.csv"), "w") as handle:
    handle.write("x\\n1\\n2\\n")
run = Run.get_context()
run.log("mounted_files", len(view["mounted"]))
run.log("input_datasets", len(run.input_datasets))
print("VIEW " + json.dumps(view, sort_keys=True))
"""

READ = """
import argparse, os
from azureml.core import Run
parser = argparse.ArgumentParser()
parser.add_argument("--prepped")
args = parser.parse_args()
Run.get_context().log("rows", len(open(os.path.join(args.prepped, "rows.csv")).read().split()) - 1)
"""

FILES = {"raw/a.csv": "a,b\n1,2\n", "raw/sub/b.csv": "a,b\n3,4\n", "notes.txt": "one file\n"}


@pytest.fixture(params=["inprocess", "process", "process-sandboxed"])
def mode(request, monkeypatch, dp100_home):
    """The simulated Azure in this process, as its own process, or as its own process running jobs sandboxed."""
    from tests.sim.service.conftest import _forget_mlflow_stores

    if request.param == "process-sandboxed":
        from labs.sandbox import detect

        monkeypatch.setenv("DP100_SANDBOX_HIDE_HOME", "1")
        found, why = detect.bubblewrap()
        assert found is not None, why
    monkeypatch.setenv("DP100_SERVICE", "inprocess" if request.param == "inprocess" else "process")
    monkeypatch.setenv("DP100_SERVICE_IDLE_SECONDS", "300")
    _forget_mlflow_stores()
    yield request.param
    sim_service.stop()
    _forget_mlflow_stores()


def _workspace(tmp_path):
    from azureml.core import Workspace

    ws = Workspace.create("mlw-refs", subscription_id=SUB, resource_group="rg-refs", create_resource_group=True,
                          location="eastus")
    local = tmp_path / "local"
    for name, text in FILES.items():
        (local / name).parent.mkdir(parents=True, exist_ok=True)
        (local / name).write_text(text)
    ws.get_default_datastore().upload(str(local), target_path="", show_progress=False)
    return ws


def _submit(ws, folder: Path, script: str, arguments, wait=True):
    from azureml.core import Experiment, ScriptRunConfig

    folder.mkdir(exist_ok=True)
    (folder / "step.py").write_text(script)
    run = Experiment(ws, "refs").submit(ScriptRunConfig(source_directory=str(folder), script="step.py",
                                                        arguments=arguments))
    if wait:
        run.wait_for_completion()
        assert run.get_status() == "Completed", run.get_details_with_logs()
    return run


def _view(run) -> dict:
    log = "".join(run.get_details_with_logs()["logFiles"].values())
    return json.loads(next(line[5:] for line in log.splitlines() if line.startswith("VIEW ")))


def test_a_script_run_sees_references_and_writes_outputs_alike_in_every_mode(mode, tmp_path):
    from azureml.data import OutputFileDatasetConfig
    from azureml.data.data_reference import DataReference

    ws = _workspace(tmp_path)
    store = ws.get_default_datastore()
    raw = DataReference(store, "raw_data", path_on_datastore="raw")
    prepped = OutputFileDatasetConfig("prepped", destination=(store, "prepped/{output-name}"))
    first = _submit(ws, tmp_path / "see", SEE, [
        "--mounted", raw.as_mount(), "--downloaded", raw.path("sub", "sub_data").as_download(path_on_compute="in/dl"),
        "--single", DataReference(store, "notes", path_on_datastore="notes.txt").as_download(),
        "--uploads", DataReference(store, "uploads", path_on_datastore="uploaded").as_upload(), "--out", prepped])
    assert _view(first) == {"mounted": {"a.csv": FILES["raw/a.csv"], "sub/b.csv": FILES["raw/sub/b.csv"]},
                            "downloaded": {"b.csv": FILES["raw/sub/b.csv"]}, "single": {"notes.txt": "one file\n"}}
    assert first.get_metrics() == {"mounted_files": 2, "input_datasets": 0}  # references are not dataset inputs
    second = _submit(ws, tmp_path / "read", READ, ["--prepped", prepped.as_input()])
    assert second.get_metrics()["rows"] == 2
    written = _datastore_files(ws)
    assert "uploaded/from-run.txt" in written and "prepped/prepped/rows.csv" in written, written


def _datastore_files(ws) -> list[str]:
    """Every file of the default datastore, as the service lists it."""
    import sim.cloud.datastores
    from sim.azureml._common.cloud import cloud

    return cloud(sim.cloud.datastores).list_files(ws._record, ws.get_default_datastore().name)


def test_an_estimator_takes_a_data_reference_in_its_inputs_in_process_mode(mode, tmp_path):
    from azureml.core import Experiment
    from azureml.data.data_reference import DataReference
    from azureml.train.estimator import Estimator

    ws = _workspace(tmp_path)
    (tmp_path / "est").mkdir()
    (tmp_path / "est" / "train.py").write_text(
        "import os\nfrom azureml.core import Run\n"
        "Run.get_context().log('found', int(os.path.isfile('azureml_datarefs/raw_data/a.csv')))\n")
    reference = DataReference(ws.get_default_datastore(), "raw_data", path_on_datastore="raw", mode="download")
    run = Experiment(ws, "est").submit(Estimator(source_directory=str(tmp_path / "est"), entry_script="train.py",
                                                 compute_target="local", inputs=[reference]))
    run.wait_for_completion()
    assert run.get_status() == "Completed" and run.get_metrics()["found"] == 1, run.get_details_with_logs()


@pytest.mark.parametrize("mode", ["inprocess", "process"], indirect=True)
def test_the_service_refuses_a_place_outside_the_job_or_the_datastore(mode, tmp_path):
    from azureml.data import OutputFileDatasetConfig
    from azureml.data.data_reference import DataReference
    from azureml.exceptions import AzureMLException

    from sim.cloud import datastores

    ws = _workspace(tmp_path)
    store = ws.get_default_datastore()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not for the run")
    os.symlink(outside / "secret.txt", datastores.content_root(ws._record, store.name) / "leak.txt")
    (tmp_path / "linked").mkdir()
    os.symlink(outside, tmp_path / "linked" / "azureml_datarefs")  # a link in the source folder, then the snapshot
    cases = [
        ("leads outside the run's working folder", tmp_path / "abs", [
            DataReference(store, "raw_data", path_on_datastore="raw").as_download(path_on_compute=str(outside))]),
        ("leads outside the run's working folder", tmp_path / "up", [
            DataReference(store, "raw_data", path_on_datastore="raw").as_download(path_on_compute="../../x")]),
        ("leads outside the run's working folder", tmp_path / "linked", [
            DataReference(store, "raw_data", path_on_datastore="raw").as_mount()]),
        ("is one folder name", tmp_path / "named", [DataReference(store, "../up", path_on_datastore="raw")]),
        ("is a link that leads outside the datastore", tmp_path / "leak", [
            DataReference(store, "leak", path_on_datastore="leak.txt").as_download()]),
        ("it may not contain '..'", tmp_path / "dots", [
            OutputFileDatasetConfig("o", destination=(store, "out/../../../escaped"))]),
    ]
    for expected, folder, arguments in cases:
        with pytest.raises(AzureMLException, match=expected):
            _submit(ws, folder, "print('never')\n", arguments, wait=False)
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]  # nothing was written there
    assert not (tmp_path / "escaped").exists()


@pytest.mark.parametrize("mode", ["inprocess"], indirect=True)
def test_requests_a_caller_forges_are_refused_by_the_service(mode, tmp_path):
    from sim.cloud.errors import CloudError
    from sim.cloud.runs import jobs

    ws = _workspace(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "step.py").write_text("print('never')\n")
    spec = {"source_directory": str(tmp_path / "src"), "script": "step.py", "target": "local"}
    reference = {"placement": "data_reference", "name": "raw", "datastore": "workspaceblobstore", "path": "raw",
                 "mode": "mount", "path_on_compute": None}
    forged = [
        ("The DataReference mode 'hardlink' is not one a run takes", dict(reference, mode="hardlink")),
        ("The OutputFileDatasetConfig mode 'download' is not one a run takes",
         {"placement": "output", "name": "o", "datastore": None, "path": "o", "mode": "download"}),
        ("Unknown kind of run input 'state_file'", dict(reference, placement="state_file")),
        ("is one folder name", dict(reference, name="")),
        ("Could not find datastore: no-such-store", dict(reference, datastore="no-such-store")),
    ]
    for expected, request in forged:
        with pytest.raises(CloudError, match=expected):
            jobs.submit_with_inputs(ws._record, "forged", spec, [{"input": request}])


SWEEP_TRIAL = """
import argparse, os
from azureml.core import Run
parser = argparse.ArgumentParser()
parser.add_argument("--data")
parser.add_argument("--quality", type=float)
args = parser.parse_args()
found = sum(len(names) for _, _, names in os.walk(args.data))
Run.get_context().log("accuracy", found * args.quality)
"""


@pytest.mark.parametrize("mode", ["process"], indirect=True)
def test_each_trial_of_a_sweep_gets_its_data_reference_through_the_service(mode, tmp_path):
    from azureml.core import Experiment, ScriptRunConfig
    from azureml.data.data_reference import DataReference
    from azureml.train.hyperdrive import GridParameterSampling, HyperDriveConfig, PrimaryMetricGoal, choice

    ws = _workspace(tmp_path)
    (tmp_path / "sweep").mkdir()
    (tmp_path / "sweep" / "trial.py").write_text(SWEEP_TRIAL)
    raw = DataReference(ws.get_default_datastore(), "raw_data", path_on_datastore="raw").as_download()
    script = ScriptRunConfig(str(tmp_path / "sweep"), "trial.py", arguments=["--data", raw])
    sweep = Experiment(ws, "refs-sweep").submit(HyperDriveConfig(
        run_config=script, hyperparameter_sampling=GridParameterSampling({"--quality": choice(0.5, 1.0)}),
        primary_metric_name="accuracy", primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=2,
        max_concurrent_runs=2))
    assert sweep.wait_for_completion()["status"] == "Completed"
    assert sorted(child.get_metrics()["accuracy"] for child in sweep.get_children()) == [1.0, 2.0]
