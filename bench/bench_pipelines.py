"""Benchmark of SDK v2 pipeline jobs against the simulated service; prints medians and spreads.

    .venv/bin/python bench/bench_pipelines.py [--repeats 5]

1. A three-node pipeline of trivial command components (each reads the previous node's output folder and
   writes its own), from `jobs.create_or_update` to Completed, every node really run (`force_rerun`).
   Target (issue 11): at most 5 s.
2. The same pipeline submitted again unchanged: every node reused. No target; it shows what reuse saves.
It works in a temporary DP100_HOME and deletes it afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SUB, RG, WS = "00000000-0000-0000-0000-000000000000", "rg-bench", "mlw-bench"
TARGET_S = 5.0
STEP = "import pathlib, sys\nsrc, out = sys.argv[1:3]\npathlib.Path(out, 'n.txt').write_text(str(len(list(" \
       "pathlib.Path(src).iterdir()))))\n"
COMPONENT = """
name: step
version: 1
type: command
inputs:
  data:
    type: uri_folder
outputs:
  out:
    type: uri_folder
code: ./src
environment: azureml:AzureML-sklearn-1.5@latest
command: python step.py ${{inputs.data}} ${{outputs.out}}
"""


def _summary(label: str, seconds: list[float], target: float | None) -> str:
    spread = f"min {min(seconds):.2f} s, max {max(seconds):.2f} s, n={len(seconds)}"
    goal = f"; target <= {target:.0f} s" if target else ""
    return f"{label}: median {statistics.median(seconds):.2f} s ({spread}){goal}"


def _client_and_pipeline(folder: Path):
    """An MLClient on a fresh workspace with a cluster, and a function building the three-node pipeline."""
    import sim

    sim.activate()
    from azure.ai.ml import Input, MLClient, load_component
    from azure.ai.ml.dsl import pipeline
    from azure.ai.ml.entities import AmlCompute
    from azure.identity import DefaultAzureCredential

    from sim.cloud import workspaces

    workspaces.create(SUB, RG, WS, location="eastus")
    ml_client = MLClient(DefaultAzureCredential(), SUB, RG, WS)
    ml_client.compute.begin_create_or_update(AmlCompute(name="cpu", size="STANDARD_DS11_V2", max_instances=3)).result()
    (folder / "src").mkdir()
    (folder / "src" / "step.py").write_text(STEP)
    (folder / "step.yml").write_text(COMPONENT)
    os.chdir(folder)
    step = load_component(source="./step.yml")

    @pipeline()
    def three_steps(raw):
        first = step(data=raw)
        second = step(data=first.outputs.out)
        return {"result": step(data=second.outputs.out).outputs.out}

    def build(force_rerun: bool):
        job = three_steps(Input(type="uri_folder", path=str(folder / "src")))
        job.settings.default_compute = "cpu"
        job.settings.force_rerun = force_rerun
        return job

    return ml_client, build


def _time_to_completed(ml_client, job) -> float:
    started = time.perf_counter()
    name = ml_client.jobs.create_or_update(job, experiment_name="bench-pipelines").name
    while (status := ml_client.jobs.get(name).status) not in ("Completed", "Failed", "Canceled"):
        time.sleep(0.05)
    if status != "Completed":
        raise SystemExit(f"pipeline {name} ended {status}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-pipelines-"))
    os.environ["DP100_HOME"] = str(home / "home")
    try:
        ml_client, build = _client_and_pipeline(home)
        _time_to_completed(ml_client, build(True))  # warm: the job host, the SDK's component upload
        ran = [_time_to_completed(ml_client, build(True)) for _ in range(args.repeats)]
        reused = [_time_to_completed(ml_client, build(False)) for _ in range(args.repeats)]
        print(_summary("three-node pipeline, every node run", ran, TARGET_S))
        print(_summary("the same pipeline again, every node reused", reused, None))
    finally:
        os.chdir(Path(__file__).resolve().parents[1])
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
