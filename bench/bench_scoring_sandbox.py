"""Benchmark of what the scoring server's sandbox adds to a deployment: Model.deploy -> Healthy + one request.

    .venv/bin/python bench/bench_scoring_sandbox.py [--repeat 3]

The same deployment as bench_deploy.py (a scikit-learn model loaded with joblib by its score.py), in two ways,
interleaved so the machine's load drifts alike for both:
- "sandboxed": DP100_SANDBOX_HIDE_HOME=1: a keeper runs the server in bubblewrap, on a Unix socket; the request
  goes through the service's scoring route (the service is started by the first sandboxed deployment);
- "plain": the policy off: the server runs as a plain process on a port of 127.0.0.1.
Prints the median and range of each and the load average before and after. Works in a temporary DP100_HOME that
it deletes afterwards, and stops the service it started.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_deploy import one_deploy, prepare  # noqa: E402 - after the path is set
from bench.bench_labs import _summary  # noqa: E402

MODES = ("sandboxed", "plain")


def _switch(mode: str) -> None:
    if mode == "sandboxed":
        os.environ["DP100_SANDBOX_HIDE_HOME"] = "1"
    else:
        os.environ["DP100_SANDBOX_HIDE_HOME"] = "0"


def _load() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg()) + f" ({os.cpu_count()} cores)"


def bench(repeat: int) -> dict[str, list[float]]:
    """Seconds from Model.deploy to the first scored answer, per mode (one warm-up round of each not counted)."""
    times: dict[str, list[float]] = {mode: [] for mode in MODES}
    ws, model, config = prepare(Path.cwd())
    for index in range(repeat + 1):
        for mode in MODES:
            _switch(mode)
            with contextlib.redirect_stdout(io.StringIO()):
                seconds = one_deploy(ws, model, config, index * len(MODES) + MODES.index(mode))
            if index:
                times[mode].append(seconds)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(_load())
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DP100_HOME"] = str(Path(tmp) / "home")
        os.chdir(tmp)
        try:
            times = bench(args.repeat)
        finally:
            from sim import service

            service.stop()
    for mode in MODES:
        print(_summary(f"Model.deploy -> Healthy + 1 request, {mode}", times[mode]))
    print(_load())


if __name__ == "__main__":
    main()
