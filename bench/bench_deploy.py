"""Benchmark: Model.deploy of a registered scikit-learn model to a Healthy ACI service, plus one scored request.

Target (issue 3): under 5 s median. Each repetition deploys the lab 09 style diabetes classifier with a
scoring script that loads it with joblib (so the scoring server imports numpy and scikit-learn, as a real
one does), waits for Healthy, posts one request with `requests`, then deletes the service (not timed).

Usage:
    .venv/bin/python bench/bench_deploy.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCORE = '''
import json
import joblib
import numpy as np
from azureml.core.model import Model


def init():
    global model
    model = joblib.load(Model.get_model_path("bench_model"))


def run(raw_data):
    return model.predict(np.array(json.loads(raw_data)["data"])).tolist()
'''
PATIENT = [[2, 180, 74, 24, 21, 23.9091702, 1.488172308, 22]]


def prepare(folder: Path):
    """A workspace with a registered decision tree and the scoring script; returns (ws, model, config)."""
    import joblib
    from sklearn.tree import DecisionTreeClassifier

    import sim
    from labs import data

    sim.activate()
    from azureml.core import Model, Workspace
    from azureml.core.model import InferenceConfig

    frame = data.frame()
    model = DecisionTreeClassifier(random_state=0).fit(frame[data.FEATURES].values, frame[data.LABEL].values)
    joblib.dump(model, folder / "bench_model.pkl")
    (folder / "service").mkdir()
    (folder / "service" / "score.py").write_text(SCORE)
    ws = Workspace.create(name="bench-deploy", subscription_id="00000000-0000-0000-0000-0000000000be",
                          resource_group="bench-rg", location="eastus", create_resource_group=True,
                          show_output=False)
    registered = Model.register(ws, "bench_model.pkl", "bench_model")
    return ws, registered, InferenceConfig(entry_script="score.py", source_directory="service")


def one_deploy(ws, model, inference_config, index: int) -> float:
    """Seconds from Model.deploy to the first scored answer of a Healthy service."""
    import requests
    from azureml.core import Model
    from azureml.core.webservice import AciWebservice

    name = f"bench-svc-{index}"
    start = time.perf_counter()
    service = Model.deploy(ws, name, [model], inference_config, AciWebservice.deploy_configuration())
    service.wait_for_deployment()
    answer = requests.post(service.scoring_uri, json.dumps({"data": PATIENT}),
                           headers={"Content-Type": "application/json"}, timeout=30).json()
    elapsed = time.perf_counter() - start
    assert service.state == "Healthy" and len(answer) == 1, (service.state, answer)
    service.delete()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["DP100_HOME"] = str(folder / "home")
        os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
        os.environ.setdefault("DO_NOT_TRACK", "true")
        os.chdir(folder)
        ws, model, inference_config = prepare(folder)
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()):
            times = [one_deploy(ws, model, inference_config, i) for i in range(args.repeat)]
    median = statistics.median(times)
    print(f"Model.deploy -> Healthy + 1 request: median {median:.2f} s, min {min(times):.2f} s, "
          f"max {max(times):.2f} s, stdev {statistics.pstdev(times):.2f} s over {len(times)} runs "
          f"(target < 5 s: {'met' if median < 5 else 'NOT met'})")


if __name__ == "__main__":
    main()
