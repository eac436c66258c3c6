"""The SDK v1 face reaches `sim.cloud` state only through the service in process mode, and stays so.

Two guards: a static scan of every module of `sim/azureml` (`routing_scan`: no state-touching `sim.cloud` function
used directly, and every call through a routed view names a function the service offers), and a broad v1 script run
in another process in process mode with the state hidden from it (`DP100_STATE_HIDDEN=1`, as in a sandboxed lab
kernel), where any direct state access raises `StateNotHere` and any call the service does not offer `NotRouted`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.sim.service import routing_scan

SUB = "00000000-0000-0000-0000-000000000000"

# Calls through a routed view that the service refuses on purpose (NotRouted with a sentence in process mode);
# each runs only where this process itself builds a job's folder (in process, or in the job's own process).
REFUSED_ON_PURPOSE = {
    # Takes a callback that fills the job's folder here: process mode sends `submit_with_inputs` instead.
    ("sim/azureml/core/script_run_config.py", "sim.cloud.runs.jobs.submit"),
    # Puts a DataReference or an output folder in a job's folder here: process mode sends the placement request.
    ("sim/azureml/data/data_reference.py", "sim.cloud.runs.datarefs.place"),
    ("sim/azureml/data/output_dataset_config.py", "sim.cloud.runs.datarefs.place"),
    # In process only: a sweep whose children build their dataset inputs here is driven by this process.
    ("sim/azureml/train/hyperdrive/_sweep.py", "sim.cloud.sweeps.hyperdrive.start_sweep"),
}


def _outstanding(findings):
    return [f for f in findings if (f.path, f.target) not in REFUSED_ON_PURPOSE]


def test_no_module_of_the_v1_face_reaches_cloud_state_around_the_service():
    outstanding = _outstanding(routing_scan.scan())
    assert outstanding == [], "\n".join(map(str, outstanding))


def test_the_known_exceptions_are_still_needed():
    """A refusal that no longer has findings is dropped from the list (it only shrinks)."""
    findings = routing_scan.scan()
    unused = REFUSED_ON_PURPOSE - {(f.path, f.target) for f in findings}
    assert unused == set(), f"no longer refused, drop from REFUSED_ON_PURPOSE: {unused}"


def test_every_pure_name_is_real():
    missing = [name for name in routing_scan.PURE if routing_scan._resolve(name) is None]
    assert missing == []


def test_the_scan_catches_a_direct_call_and_a_call_the_service_does_not_offer(tmp_path):
    module = tmp_path / "bypass.py"
    module.write_text(textwrap.dedent("""
        import sim.cloud.compute
        from sim.azureml._common.cloud import cloud
        from sim.cloud.runs import lifecycle
        from sim.cloud.runs.state import list_for

        _compute = cloud(sim.cloud.compute)

        class _LazyCompute:
            def __getattr__(self, name):
                return getattr(cloud(sim.cloud.compute), name)

        _lazy = _LazyCompute()

        def forge(record, run_id):
            lifecycle.move(record, run_id, "Completed")
            _compute.set_quota_limit(record, "standardDSv2Family", 10)
            _lazy.set_provisioning_delay(1.0)
            _compute.get(record, "cpu-cluster")  # offered: fine
            return list_for(record)
    """))
    found = {(f.target, f.why.split(",")[0]) for f in routing_scan.scan_file(module)}
    assert found == {("sim.cloud.runs.lifecycle.move", "used directly"),
                     ("sim.cloud.runs.state.list_for", "used directly"),
                     ("sim.cloud.compute.set_quota_limit", "called through the service"),
                     ("sim.cloud.compute.set_provisioning_delay", "called through the service")}, found


BROAD_SCRIPT = """
import os, sys, json
from pathlib import Path
import sim
sim.activate()
from azureml.core import Dataset, Environment, Experiment, Model, Run, ScriptRunConfig, Workspace
from azureml.core.model import InferenceConfig
from azureml.train.estimator import Estimator
import sim.cloud.workspaces
from sim.cloud.store import StateNotHere

try:  # the guard is live: this process cannot open the state itself
    sim.cloud.workspaces.get("{sub}", "rg-broad", "mlw-broad")
    sys.exit("the state was visible")
except StateNotHere:
    pass
ws = Workspace.get("mlw-broad", subscription_id="{sub}", resource_group="rg-broad")
ws.get_default_keyvault().set_secret("token", "s3cret")
run = Experiment(ws, "broad").start_logging()
run.log("accuracy", 0.9)
run.display_name = "renamed"
run.description = "a broad run"
run.tag("kind", "broad")
children = run.create_children(count=2)
assert [c.get_status() for c in children] == ["Running", "Running"]
active = {{r.id for r in Run.get_active_runs(ws)}}
assert {{run.id, *(c.id for c in children)}} <= active, active
for child in children:
    child.complete()
assert run.start() is None and run.get_status() == "Running"
assert (run.display_name, run.description, run.get_tags()["kind"]) == ("renamed", "a broad run", "broad")
assert run.get_secret("token") == "s3cret"
run.complete()

store = ws.get_default_datastore()
store.upload_files(files=["data/a.csv", "data/b.csv"], target_path="broad/", overwrite=True, show_progress=False)
table = Dataset.Tabular.from_delimited_files(path=(store, "broad/a.csv")).register(ws, "broad-table")
assert list(table.to_pandas_dataframe()["x"]) == [1, 2]
files = Dataset.File.from_files(path=(store, "broad/"))
assert sorted(os.path.basename(p) for p in files.download(target_path="copy")) == ["a.csv", "b.csv"]
with files.mount() as mounted:
    assert sorted(os.listdir(mounted.mount_point)) == ["a.csv", "b.csv"]

estimator = Estimator(source_directory="src", entry_script="count.py", compute_target="local",
                      inputs=[files.as_named_input("folder").as_download()])
job = Experiment(ws, "broad-jobs").submit(estimator)
job.wait_for_completion(raise_on_error=True)
assert job.get_metrics()["files"] == 2, job.get_metrics()
script = ScriptRunConfig(source_directory="src", script="count.py", arguments=[table.as_named_input("table")])
Experiment(ws, "broad-jobs").submit(script).wait_for_completion(raise_on_error=True)

Path("factor").write_text("2.0")
model = Model.register(ws, model_path="factor", model_name="factor")
requests = Dataset.Tabular.register_pandas_dataframe(
    __import__("pandas").DataFrame({{"request": [json.dumps({{"data": [1, 2]}})] * 3}}),
    (store, "broad-requests"), "broad-requests", show_progress=False)
profile = Model.profile(ws, "broad-profile", [model], InferenceConfig(entry_script="score.py", source_directory="src"),
                        requests)
profile.wait_for_completion()
assert profile.get_details()["state"] == "Succeeded", profile.get_details()
env = Environment("broad-env")
env.python.conda_dependencies.add_pip_package("scikit-learn")
env.register(ws)
assert Environment.get(ws, "broad-env").name == "broad-env"
print("broad script done")
"""

COUNT_SCRIPT = """
import os
from azureml.core import Run

run = Run.get_context()
found = run.input_datasets["folder"] if "folder" in run.input_datasets else None
if found is not None:  # an Estimator's input: a folder placed by the service, outside the argv
    run.log("files", len([n for n in os.listdir(found) if n.endswith(".csv")]))
else:  # a tabular dataset given as the argument
    assert run.input_datasets["table"].to_pandas_dataframe().shape == (2, 2)
"""

SCORE_SCRIPT = """
import json
from azureml.core.model import Model


def init():
    global factor
    factor = float(open(Model.get_model_path("factor")).read())


def run(raw_data):
    return [factor * v for v in json.loads(raw_data)["data"]]
"""


@pytest.mark.usefixtures("sim_active")
def test_a_broad_v1_script_runs_with_the_state_hidden_in_process_mode(process_mode, tmp_path):
    from azureml.core import Workspace

    Workspace.create("mlw-broad", subscription_id=SUB, resource_group="rg-broad", create_resource_group=True,
                     location="eastus")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x,y\n1,a\n2,b\n")
    (tmp_path / "data" / "b.csv").write_text("x,y\n3,c\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "count.py").write_text(COUNT_SCRIPT)
    (tmp_path / "src" / "score.py").write_text(SCORE_SCRIPT)
    env = dict(os.environ, DP100_SERVICE="process", DP100_STATE_HIDDEN="1")
    done = subprocess.run([sys.executable, "-c", BROAD_SCRIPT.format(sub=SUB)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "broad script done" in done.stdout, done.stderr[-4000:]
    assert Path(tmp_path / "copy" / "a.csv").read_text() == "x,y\n1,a\n2,b\n"


@pytest.mark.usefixtures("sim_active")
def test_an_input_the_service_cannot_place_is_refused_by_name_before_any_run(process_mode, tmp_path, monkeypatch):
    from azureml.core import Dataset, Experiment, Workspace
    from azureml.data.dataset_consumption_config import DatasetConsumptionConfig
    from azureml.pipeline.core import PipelineParameter
    from azureml.train.estimator import Estimator

    from sim.azureml._common.cloud import NotRouted

    ws = Workspace.create("mlw-refused", subscription_id=SUB, resource_group="rg-refused",
                          create_resource_group=True, location="eastus")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("print('never run')\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n1\n")
    ws.get_default_datastore().upload("data", target_path="raw", show_progress=False)
    files = Dataset.File.from_files((ws.get_default_datastore(), "raw/"))
    # A dataset pipeline parameter belongs to a pipeline run: a plain script run has no value to give it.
    consumed = DatasetConsumptionConfig("raw", PipelineParameter("raw_data", default_value=files))
    estimator = Estimator(source_directory="src", entry_script="train.py", compute_target="local", inputs=[consumed])
    with pytest.raises(NotRouted, match="a PipelineParameter as a submitted script's input is not available when the "
                                        "simulated Azure runs as its own service"):
        Experiment(ws, "refused").submit(estimator)
    assert list(Experiment(ws, "refused").get_runs()) == []
