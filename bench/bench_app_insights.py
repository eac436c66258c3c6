"""Benchmark: what Application Insights' request records cost a v1 web service, and reading them back.

Deploys the same small scoring script twice (an ACI service without and one with `enable_app_insights=True`),
sends `--requests` scoring requests to each, one after another (after a warm-up request), and prints
the per-request latency of both (median, p10, p90, max). Then it reads the records back as the Studio does
(`sim.studio_insights.service_insights`) and prints how long that takes for that many records. It works in a
temporary DP100_HOME and deletes both services afterwards.

Usage:
    .venv/bin/python bench/bench_app_insights.py [--requests 500]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")

SCORE = '''
import json


def init():
    pass


def run(raw_data):
    return {"doubled": [2 * v for v in json.loads(raw_data)["data"]]}
'''
BODY = json.dumps({"data": [1, 2, 3, 4, 5, 6, 7, 8]})


def spread(samples_ms: list[float]) -> str:
    """Median, 10th and 90th percentiles and max of samples in milliseconds, as one line."""
    deciles = statistics.quantiles(samples_ms, n=10)
    return (f"median {statistics.median(samples_ms):6.2f} ms   p10 {deciles[0]:6.2f}   p90 {deciles[-1]:6.2f}   "
            f"max {max(samples_ms):7.2f}   (n={len(samples_ms)})")


def deploy(ws, model, name: str, app_insights: bool):
    """A Healthy ACI service of the benchmark's script."""
    from azureml.core import Model
    from azureml.core.model import InferenceConfig
    from azureml.core.webservice import AciWebservice

    with contextlib.redirect_stdout(io.StringIO()):
        service = Model.deploy(ws, name, [model], InferenceConfig(entry_script="score.py", source_directory="svc"),
                               AciWebservice.deploy_configuration(enable_app_insights=app_insights))
        service.wait_for_deployment()
    assert service.state == "Healthy", service.get_logs()
    return service


def latencies(uri: str, count: int) -> list[float]:
    """Milliseconds of each of `count` scoring requests sent one after another, after one warm-up request."""
    import requests

    with requests.Session() as session:
        session.post(uri, BODY, timeout=30).raise_for_status()
        samples = []
        for _ in range(count):
            start = time.perf_counter()
            session.post(uri, BODY, timeout=30).raise_for_status()
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DP100_HOME"] = str(Path(tmp) / "home")
        os.chdir(tmp)
        import sim

        sim.activate()
        from azureml.core import Model, Workspace

        from sim import studio_insights

        Path("svc").mkdir()
        Path("svc/score.py").write_text(SCORE)
        Path("factor").write_text("1")
        with contextlib.redirect_stdout(io.StringIO()):
            ws = Workspace.create(name="bench-insights", subscription_id="00000000-0000-0000-0000-0000000000ab",
                                  resource_group="bench-rg", location="eastus", create_resource_group=True)
            model = Model.register(ws, "factor", "factor")
        plain, recorded = deploy(ws, model, "plain", False), deploy(ws, model, "recorded", True)
        try:
            print(f"without app insights: {spread(latencies(plain.scoring_uri, args.requests))}")
            print(f"with app insights:    {spread(latencies(recorded.scoring_uri, args.requests))}")
            start = time.perf_counter()
            view = studio_insights.service_insights(ws._record, "recorded")
            print(f"Studio view of {view['totals']['requests']} records: {(time.perf_counter() - start) * 1000:.1f} ms")
        finally:
            plain.delete()
            recorded.delete()


if __name__ == "__main__":
    main()
