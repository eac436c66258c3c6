"""Pipeline jobs through the real azure-ai-ml: components in a @pipeline, data passed between nodes, reuse,
failure stopping the nodes after, cancel, and the checks made before a pipeline exists."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from azure.core.exceptions import HttpResponseError

from sim import studio_v2
from sim.cloud import data_uris, pipelines
from sim.cloud.pipelines import _nodes
from sim.cloud.runs import state

TERMINAL = ("Completed", "Failed", "Canceled")
PREP = """
import argparse, pathlib
p = argparse.ArgumentParser(); p.add_argument("--raw"); p.add_argument("--factor"); p.add_argument("--out")
a = p.parse_args()
rows = pathlib.Path(a.raw).read_text().split()
pathlib.Path(a.out, "clean.txt").write_text(" ".join(str(int(r) * int(a.factor)) for r in rows))
print("prepared", len(rows), "rows")
"""
TRAIN = """
import argparse, pathlib, sys
p = argparse.ArgumentParser(); p.add_argument("--data"); p.add_argument("--model")
a = p.parse_args()
values = [int(v) for v in pathlib.Path(a.data, "clean.txt").read_text().split()]
if sum(values) < 0:
    sys.exit("negative data")
pathlib.Path(a.model, "model.txt").write_text(f"mean={sum(values) / len(values)}")
"""
COMPONENT = """
$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json
name: {name}
version: 1
type: command
inputs:
{inputs}
outputs:
  {output}:
    type: uri_folder
code: ./src
environment: azureml:AzureML-sklearn-1.5@latest
command: >-
  {command}
"""


@pytest.fixture
def components(ml_client, tmp_path, monkeypatch):
    """Command components (prepare, train, sleep) loaded from YAML as lab code loads them, and a cluster."""
    from azure.ai.ml import load_component

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "prep.py").write_text(PREP)
    (tmp_path / "src" / "train.py").write_text(TRAIN)
    (tmp_path / "src" / "sleep.py").write_text("import time\ntime.sleep(30)\n")
    (tmp_path / "raw.txt").write_text("1 2 3")
    specs = {
        "prep": COMPONENT.format(name="prep", output="clean", inputs="  raw:\n    type: uri_file\n  factor:\n"
                                 "    type: integer\n    default: 1",
                                 command="python prep.py --raw ${{inputs.raw}} --factor ${{inputs.factor}} "
                                         "--out ${{outputs.clean}}"),
        "train": COMPONENT.format(name="train", output="model", inputs="  data:\n    type: uri_folder",
                                  command="python train.py --data ${{inputs.data}} --model ${{outputs.model}}"),
        "sleep": COMPONENT.format(name="sleep", output="nothing", inputs="  data:\n    type: uri_folder",
                                  command="python sleep.py"),
    }
    monkeypatch.chdir(tmp_path)
    from azure.ai.ml.entities import AmlCompute

    ml_client.compute.begin_create_or_update(AmlCompute(name="cpu-cluster", size="STANDARD_DS11_V2",
                                                        max_instances=2)).result()
    loaded = {}
    for name, text in specs.items():
        (tmp_path / f"{name}.yml").write_text(text)
        loaded[name] = load_component(source=f"./{name}.yml")
    return loaded


def _pipeline(components, second="train", factor=None, force_rerun=False):
    from azure.ai.ml import Input
    from azure.ai.ml.dsl import pipeline

    @pipeline()
    def prepare_and_train(raw):
        prep = components["prep"](raw=raw) if factor is None else components["prep"](raw=raw, factor=factor)
        train = components[second](data=prep.outputs.clean)
        return {"prepared": prep.outputs.clean, "trained": next(iter(train.outputs.values()))}

    job = prepare_and_train(Input(type="uri_file", path=str(Path("raw.txt").resolve())))
    job.settings.force_rerun = force_rerun
    job.settings.default_compute = "cpu-cluster"
    return job


def _run(ml_client, job, timeout=120):
    submitted = ml_client.jobs.create_or_update(job, experiment_name="pipelines")
    deadline = time.monotonic() + timeout
    while (current := ml_client.jobs.get(submitted.name)).status not in TERMINAL:
        assert time.monotonic() < deadline, f"pipeline still {current.status} after {timeout} s"
        time.sleep(0.3)
    return current


def _nodes_of(workspace, name):
    return {row["properties"][_nodes.NODE]: row for row in pipelines.steps(workspace, name)}


def test_nodes_run_in_order_and_pass_data(ml_client, workspace, components):
    job = _run(ml_client, _pipeline(components, factor=10))
    assert job.status == "Completed" and job.type == "pipeline"
    model = data_uris.local_path(workspace, job.outputs["trained"].path) / "model.txt"
    assert model.read_text() == "mean=20.0"  # train read what prep wrote: 10, 20, 30
    nodes = _nodes_of(workspace, job.name)
    assert set(nodes) == {"prep", "train"}
    assert all(row["parent_run_id"] == job.name and row["status"] == "Completed" for row in nodes.values())
    assert nodes["prep"]["ended"] <= nodes["train"]["started"]
    assert state.get(workspace, job.name)["run_type"] == pipelines.RUN_TYPE


def test_unchanged_nodes_are_reused_and_a_changed_input_reruns(ml_client, workspace, components):
    first = _run(ml_client, _pipeline(components))
    second = _run(ml_client, _pipeline(components))
    again = _nodes_of(workspace, second.name)
    assert again["prep"]["properties"][_nodes.IS_REUSED] == "true"
    assert again["prep"]["properties"][_nodes.REUSED_RUN] == _nodes_of(workspace, first.name)["prep"]["run_id"]
    assert again["train"]["properties"][_nodes.REUSED_PIPELINE] == first.name
    graph = studio_v2.pipeline_view(workspace, second.name)  # what the Studio's run page shows
    assert [(n["node"], n["status"], n["reused_from"]) for n in graph["nodes"]] == [
        ("prep", "Completed", again["prep"]["properties"][_nodes.REUSED_RUN]),
        ("train", "Completed", again["train"]["properties"][_nodes.REUSED_RUN])]
    changed = _nodes_of(workspace, _run(ml_client, _pipeline(components, factor=2)).name)
    assert _nodes.IS_REUSED not in changed["prep"]["properties"]
    assert _nodes.IS_REUSED not in changed["train"]["properties"]  # its input changed with prep's rerun


def test_force_rerun_runs_every_node(ml_client, workspace, components):
    _run(ml_client, _pipeline(components))
    forced = _nodes_of(workspace, _run(ml_client, _pipeline(components, force_rerun=True)).name)
    assert not any(_nodes.IS_REUSED in row["properties"] for row in forced.values())
    assert not any(_nodes.FINGERPRINT in row["properties"] for row in forced.values())


def test_a_failed_node_fails_the_pipeline(ml_client, workspace, components):
    job = _run(ml_client, _pipeline(components, factor=-1))  # prep succeeds; train refuses negative data
    nodes = _nodes_of(workspace, job.name)
    assert job.status == "Failed"
    assert nodes["prep"]["status"] == "Completed" and nodes["train"]["status"] == "Failed"
    assert "'train'" in state.get(workspace, job.name)["error"]["error"]["message"]


def test_downstream_node_does_not_start_after_a_failure(ml_client, workspace, components, tmp_path):
    (tmp_path / "src" / "prep.py").write_text("import sys\nsys.exit('bad raw data')\n")
    job = _run(ml_client, _pipeline(components))
    nodes = _nodes_of(workspace, job.name)
    assert job.status == "Failed"
    assert nodes["prep"]["status"] == "Failed" and "train" not in nodes
    assert "prep" in state.get(workspace, job.name)["error"]["error"]["message"]


def test_cancel_stops_the_running_node(ml_client, workspace, components):
    from azure.ai.ml import Input
    from azure.ai.ml.dsl import pipeline

    @pipeline()
    def just_sleep(folder):
        components["sleep"](data=folder)

    job = just_sleep(Input(type="uri_folder", path=str(Path("src").resolve())))
    job.settings.default_compute = "cpu-cluster"
    submitted = ml_client.jobs.create_or_update(job, experiment_name="pipelines")
    deadline = time.monotonic() + 60
    while "sleep" not in _nodes_of(workspace, submitted.name):
        assert time.monotonic() < deadline, "the sleep node never started"
        time.sleep(0.3)
    ml_client.jobs.begin_cancel(submitted.name).result()
    assert ml_client.jobs.get(submitted.name).status == "Canceled"
    sleeper = _nodes_of(workspace, submitted.name)["sleep"]["run_id"]
    deadline = time.monotonic() + 30
    while state.get(workspace, sleeper)["status"] != "Canceled":
        assert time.monotonic() < deadline, "the running node was not canceled"
        time.sleep(0.3)


def test_an_unknown_default_compute_is_refused_before_the_pipeline_exists(ml_client, workspace, components):
    job = _pipeline(components)
    job.settings.default_compute = "no-such-cluster"
    with pytest.raises(HttpResponseError) as raised:
        ml_client.jobs.create_or_update(job, experiment_name="pipelines")
    assert "no-such-cluster" in str(raised.value)
    assert not [row for row in state.list_for(workspace) if row["run_type"] == pipelines.RUN_TYPE]
