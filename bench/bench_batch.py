"""Benchmark of batch inference over 100 small files; prints medians and spreads.

    .venv/bin/python bench/bench_batch.py [--repeats 3]

1. SDK v2: a batch endpoint with an MLflow model deployed with no script (2 instances x 2 processes, 10 files a
   mini-batch), from `batch_endpoints.invoke` to the batch job Completed. Target (issue 11): at most 10 s.
2. SDK v1: the same files through a ParallelRunStep in a one-step pipeline, from `Experiment.submit` to the
   pipeline Completed (the same parallel driver). Target: at most 10 s.
The first run of each warms the job host and is not counted. It works in a temporary DP100_HOME.
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
FILES, TARGET_S = 100, 10.0
SCORE_V1 = "def init():\n    pass\n\ndef run(mini_batch):\n    return [f'{p}: 1' for p in mini_batch]\n"


def _summary(label: str, seconds: list[float]) -> str:
    spread = f"min {min(seconds):.2f} s, max {max(seconds):.2f} s, n={len(seconds)}"
    return f"{label}: median {statistics.median(seconds):.2f} s ({spread}); target <= {TARGET_S:.0f} s"


def _files(folder: Path) -> Path:
    """100 one-patient CSV files of the lab data's features, and an MLflow model trained on the data."""
    import mlflow
    from sklearn.linear_model import LogisticRegression

    from labs import data

    frame = data.frame()
    features = frame[data.FEATURES].astype(float)
    model = LogisticRegression(max_iter=500).fit(features, frame[data.LABEL])
    mlflow.sklearn.save_model(model, folder / "model", signature=mlflow.models.infer_signature(features))
    batch = folder / "batch-data"
    batch.mkdir()
    for n in range(FILES):
        frame[data.FEATURES].iloc[[n]].to_csv(batch / f"{n:03d}.csv", index=False)
    return batch


def bench_v2(folder: Path, batch: Path, repeats: int) -> list[float]:
    """Seconds from invoke to Completed for a batch endpoint's MLflow deployment."""
    from azure.ai.ml import Input, MLClient
    from azure.ai.ml.entities import AmlCompute, BatchEndpoint, Model, ModelBatchDeployment
    from azure.identity import DefaultAzureCredential

    ml_client = MLClient(DefaultAzureCredential(), SUB, RG, WS)
    ml_client.compute.begin_create_or_update(AmlCompute(name="cpu", size="STANDARD_DS11_V2", max_instances=2)).result()
    model = ml_client.models.create_or_update(Model(name="bench", path=str(folder / "model"), type="mlflow_model"))
    ml_client.batch_endpoints.begin_create_or_update(BatchEndpoint(name="bench-batch")).result()
    ml_client.batch_deployments.begin_create_or_update(ModelBatchDeployment(
        name="bench-deployment", endpoint_name="bench-batch", model=model, compute="cpu", instance_count=2,
        max_concurrency_per_instance=2, mini_batch_size=10)).result()

    def once() -> float:
        started = time.perf_counter()
        job = ml_client.batch_endpoints.invoke(endpoint_name="bench-batch",
                                               input=Input(type="uri_folder", path=str(batch)))
        while (status := ml_client.jobs.get(job.name).status) not in ("Completed", "Failed", "Canceled"):
            time.sleep(0.05)
        if status != "Completed":
            raise SystemExit(f"batch job {job.name} ended {status}")
        return time.perf_counter() - started

    once()
    return [once() for _ in range(repeats)]


def bench_v1(folder: Path, batch: Path, repeats: int) -> list[float]:
    """Seconds from Experiment.submit to Completed for a one-step ParallelRunStep pipeline."""
    from azureml.core import Dataset, Environment, Experiment, Workspace
    from azureml.data import OutputFileDatasetConfig
    from azureml.pipeline.core import Pipeline
    from azureml.pipeline.steps import ParallelRunConfig, ParallelRunStep

    ws = Workspace.get(WS, subscription_id=SUB, resource_group=RG)
    store = ws.get_default_datastore()
    store.upload(src_dir=str(batch), target_path="batch-data", show_progress=False)
    files = Dataset.File.from_files(path=(store, "batch-data/"))
    (folder / "scripts").mkdir()
    (folder / "scripts" / "score.py").write_text(SCORE_V1)
    config = ParallelRunConfig(source_directory=str(folder / "scripts"), entry_script="score.py",
                               mini_batch_size="10", error_threshold=-1, output_action="append_row",
                               environment=Environment("bench"), compute_target="cpu", node_count=2,
                               process_count_per_node=2)
    step = ParallelRunStep(name="bench-score", parallel_run_config=config, inputs=[files.as_named_input("files")],
                           output=OutputFileDatasetConfig(name="scores"), allow_reuse=False)
    pipeline = Pipeline(workspace=ws, steps=[step])

    def once() -> float:
        started = time.perf_counter()
        status = Experiment(ws, "bench-batch").submit(pipeline).wait_for_completion(show_output=False)
        if status != "Completed":
            raise SystemExit(f"ParallelRunStep pipeline ended {status}")
        return time.perf_counter() - started

    once()
    return [once() for _ in range(repeats)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    os.environ["DP100_HOME"] = str(home / "home")
    try:
        import sim

        sim.activate()
        from sim.cloud import workspaces

        workspaces.create(SUB, RG, WS, location="eastus")
        batch = _files(home)
        print(_summary(f"SDK v2 batch endpoint, {FILES} files", bench_v2(home, batch, args.repeats)))
        print(_summary(f"SDK v1 ParallelRunStep, {FILES} files", bench_v1(home, batch, args.repeats)))
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
