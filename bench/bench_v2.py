"""Benchmark of SDK v2 against the simulated service; prints medians and spreads.

    .venv/bin/python bench/bench_v2.py [--repeats 5]

1. `import azure.ai.ml` + `MLClient.from_config` + the first call (`workspaces.get`), in a fresh interpreter
   with the simulator active, as a lab's first cell does. Target: median at most 3 s.
2. A trivial command job (`python -c "print(1)"`) from `create_or_update` to Completed. Target: at most 3 s.
3. A managed online deployment of an MLflow model, from `begin_create_or_update` to the first answer of
   `online_endpoints.invoke`. Target: at most 5 s.
It works in a temporary DP100_HOME and deletes it afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SUB, RG, WS = "00000000-0000-0000-0000-000000000000", "rg-bench", "mlw-bench"
FIRST_CELL = """
import time
started = time.perf_counter()
import sim; sim.activate()
from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential
ml_client = MLClient.from_config(credential=DefaultAzureCredential())
ml_client.workspaces.get(ml_client.workspace_name)
print(time.perf_counter() - started)
"""


def _summary(label: str, seconds: list[float], target: float) -> str:
    spread = f"min {min(seconds):.2f} s, max {max(seconds):.2f} s, n={len(seconds)}"
    return f"{label}: median {statistics.median(seconds):.2f} s ({spread}); target <= {target:.0f} s"


def bench_first_call(folder: Path, repeats: int) -> list[float]:
    """Seconds from a fresh interpreter's first import to the answer of the first SDK call."""
    (folder / "config.json").write_text(json.dumps({"subscription_id": SUB, "resource_group": RG,
                                                    "workspace_name": WS}))
    times = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", FIRST_CELL], cwd=folder, capture_output=True, text=True,
                             check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return times


def _ml_client():
    from azure.ai.ml import MLClient
    from azure.identity import DefaultAzureCredential

    return MLClient(DefaultAzureCredential(), SUB, RG, WS)


def bench_trivial_job(repeats: int) -> list[float]:
    """Seconds from submitting a one-line command job to seeing it Completed."""
    from azure.ai.ml import command

    ml_client, times = _ml_client(), []
    for _ in range(repeats):
        job = command(command='python -c "print(1)"', environment="AzureML-sklearn-1.5@latest",
                      compute="serverless", experiment_name="bench")
        started = time.perf_counter()
        name = ml_client.create_or_update(job).name
        while ml_client.jobs.get(name).status not in ("Completed", "Failed", "Canceled"):
            time.sleep(0.05)
        times.append(time.perf_counter() - started)
        assert ml_client.jobs.get(name).status == "Completed", name
    return times


def _mlflow_model(folder: Path) -> Path:
    import mlflow.sklearn
    import pandas as pd
    from mlflow.models import infer_signature
    from sklearn.linear_model import LogisticRegression

    X = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0], "b": [1.0, 0.0, 1.0, 0.0]})
    model = LogisticRegression().fit(X, [0, 0, 1, 1])
    path = folder / "model"
    mlflow.sklearn.save_model(model, path, signature=infer_signature(X, model.predict(X)))
    (folder / "request.json").write_text(json.dumps({"input_data": {"columns": ["a", "b"], "index": [0],
                                                                    "data": [[3, 0]]}}))
    return path


def bench_online_deployment(folder: Path, repeats: int) -> list[float]:
    """Seconds from creating a blue deployment of an MLflow model to the endpoint's first answer."""
    from azure.ai.ml.constants import AssetTypes
    from azure.ai.ml.entities import ManagedOnlineDeployment, ManagedOnlineEndpoint, Model

    ml_client, model_path, times = _ml_client(), _mlflow_model(folder), []
    for index in range(repeats):
        name = f"bench-endpoint-{index}"
        ml_client.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name=name, auth_mode="key")).result()
        started = time.perf_counter()
        deployment = ManagedOnlineDeployment(name="blue", endpoint_name=name, instance_type="Standard_DS3_v2",
                                             instance_count=1,
                                             model=Model(path=str(model_path), type=AssetTypes.MLFLOW_MODEL))
        ml_client.online_deployments.begin_create_or_update(deployment).result()
        answer = ml_client.online_endpoints.invoke(endpoint_name=name, deployment_name="blue",
                                                   request_file=str(folder / "request.json"))
        times.append(time.perf_counter() - started)
        assert json.loads(answer) == [1], answer
        ml_client.online_endpoints.begin_delete(name=name).result()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="dp100-bench-v2-"))
    os.environ["DP100_HOME"] = str(home)
    try:
        import sim
        from sim.cloud import workspaces

        sim.activate()
        workspaces.create(SUB, RG, WS, location="eastus")
        print(_summary("import + MLClient.from_config + first call", bench_first_call(home, args.repeats), 3))
        print(_summary("trivial command job, submit to Completed", bench_trivial_job(args.repeats), 3))
        print(_summary("online deployment to first answer", bench_online_deployment(home, args.repeats), 5))
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
