"""Benchmark of MLflow's artifacts through the service (`sim.service.mlflow_artifacts`); prints the figures.

    .venv/bin/python bench/bench_mlflow_artifacts.py [--calls 100] [--mb 1 20]

- What naming `azureml://` URIs costs a request: MLflow's `runs/get` answered by the service's application in this
  process, `--calls` times with the answer's host paths turned into `azureml://` URIs and `--calls` times with the
  answer passed as MLflow made it; median, 10th/90th percentile and max of each.
- Files: `MlflowClient.log_artifact` then `download_artifacts` of one file of each `--mb` size, through the service
  process (DP100_SERVICE=process: what a sandboxed kernel or job does) and with MLflow writing the workspace's folder
  itself (inprocess), in MB/s.
It works in a temporary DP100_HOME, stops its service and deletes the folder afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_service import spread, timed  # noqa: E402 - after the path is set

SUB, RG, WS = "00000000-0000-0000-0000-000000000000", "rg-bench", "mlw-artifacts"


def rewrite_cost(record, calls: int) -> dict[str, list[float]]:
    """`runs/get` latency in this process, with and without the answer's URIs rewritten."""
    from mlflow.tracking import MlflowClient

    from sim.service import channel, mlflow_api

    client = MlflowClient(record.mlflow_uri)
    run_id = client.create_run(client.create_experiment("rewrite")).info.run_id
    url = (f"https://eastus.api.azureml.ms/mlflow/v1.0{record.arm_id}/api/2.0/mlflow/runs/get?run_id={run_id}")
    os.environ["DP100_SERVICE"] = "inprocess"
    results = {"azureml:// URIs": timed(lambda: channel.send("GET", url, {}, b""), calls)}
    original = mlflow_api._answer_to_public
    mlflow_api._answer_to_public = lambda environ, start_response, space: mlflow_api.consumed(
        mlflow_api._flask_app()(environ, start_response))
    try:
        results["as MLflow made it"] = timed(lambda: channel.send("GET", url, {}, b""), calls)
    finally:
        mlflow_api._answer_to_public = original
    return results


def file_rates(record, sizes_mb: list[int], folder: Path) -> dict[str, list[str]]:
    """log_artifact and download_artifacts rates per mode and file size."""
    from mlflow.tracking import MlflowClient
    from mlflow.tracking._tracking_service.registry import TrackingStoreRegistry

    from sim.cloud.command_jobs.artifacts import tracking_uri

    lines = {}
    for mode in ("inprocess", "process"):
        os.environ["DP100_SERVICE"] = mode
        TrackingStoreRegistry._get_store_with_resolved_uri.cache_clear()  # MLflow keeps one store per URI
        client = MlflowClient(tracking_uri=tracking_uri(record))
        run = client.create_run(client.create_experiment(f"files-{mode}"))
        run_id, scheme = run.info.run_id, run.info.artifact_uri.split(":", 1)[0]
        mode = f"{mode} ({scheme}:)"
        lines[mode] = [_one_file(client, run_id, mb, folder / mode) for mb in sizes_mb]
    return lines


def _one_file(client, run_id: str, mb: int, folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"data-{mb}mb.bin"
    source.write_bytes(os.urandom(mb * 1024 * 1024))
    started = time.perf_counter()
    client.log_artifact(run_id, str(source), "data")
    up = time.perf_counter() - started
    started = time.perf_counter()
    back = client.download_artifacts(run_id, f"data/{source.name}", str(folder / "back"))
    down = time.perf_counter() - started
    if Path(back).read_bytes() != source.read_bytes():
        raise SystemExit(f"{source.name} came back different: the figures would mean nothing")
    return f"{mb:4d} MB: log_artifact {mb / up:8.1f} MB/s ({up * 1000:7.1f} ms)   " \
           f"download {mb / down:8.1f} MB/s ({down * 1000:7.1f} ms)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--mb", type=int, nargs="+", default=[1, 20])
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="dp100-bench-artifacts-"))
    os.environ["DP100_HOME"] = str(home)
    try:
        from sim.cloud import workspaces

        record = workspaces.create(SUB, RG, WS, location="eastus")
        for name, samples in rewrite_cost(record, args.calls).items():
            print(f"runs/get, {name:<18} {spread(samples)}")
        for mode, lines in file_rates(record, args.mb, home / "files").items():
            for line in lines:
                print(f"{mode:<21} {line}")
    finally:
        from sim.service import launcher

        os.environ["DP100_SERVICE"] = "process"
        launcher.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
