"""Benchmark: `Workspace.create` with its MLflow store, and `Workspace.from_config`.

Target (issue 3): `Workspace.create` (with its migrated MLflow store) under 1 s median. The first
create under a fresh DP100_HOME also builds the template MLflow store (MLflow's migrations); it is
reported on its own line, as are `Workspace.from_config` and `ComputeTarget.create` for context.

Usage:
    .venv/bin/python bench/bench_workspace.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")

SUB = "00000000-0000-0000-0000-000000000000"


def _figures(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    spread = f"min {ms[0]:.1f} / max {ms[-1]:.1f}"
    stdev = f" / stdev {statistics.stdev(ms):.1f}" if len(ms) > 1 else ""
    return f"{label:<40} median {statistics.median(ms):8.1f} ms   ({spread}{stdev}, n={len(ms)})"


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="How many workspaces to create.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["DP100_HOME"] = home
        import sim

        sim.activate()
        from azureml.core import Workspace
        from azureml.core.compute import AmlCompute, ComputeTarget

        def create(i):
            return lambda: Workspace.create(name=f"bench-ws-{i}", subscription_id=SUB, resource_group="bench-rg",
                                            location="eastus", show_output=False)

        cold, ws = _timed(create(0))
        creates = [_timed(create(i))[0] for i in range(1, args.repeat + 1)]
        ws.write_config(path=home)
        os.chdir(home)
        loads = [_timed(Workspace.from_config)[0] for _ in range(args.repeat)]
        config = AmlCompute.provisioning_configuration(vm_size="STANDARD_DS11_V2", max_nodes=1)
        computes = [_timed(lambda i=i: ComputeTarget.create(ws, f"cluster-{i}", config))[0]
                    for i in range(args.repeat)]
        os.chdir(ROOT)
    print(f"first Workspace.create (builds the MLflow template store): {cold * 1000:.0f} ms")
    print(_figures("Workspace.create", creates))
    print(_figures("Workspace.from_config", loads))
    print(_figures("ComputeTarget.create (AmlCompute)", computes))
    verdict = "OK" if statistics.median(creates) < 1.0 else "SLOWER THAN TARGET"
    print(f"target: Workspace.create median under 1000 ms -> {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
