"""Benchmark of the simulated interpret-community TabularExplainer on the diabetes shape; prints the figures.

    .venv/bin/python bench/bench_explain.py [--rows 700 7000] [--repeats 3]

A decision tree on synthetic data with mslearn-dp100's 8 diabetes features (exact Shapley values: 256 coalitions
against 25 background rows for each explained row), then explain_global over N rows and explain_local for 2 rows,
as notebook 14 does (its cell 8 explains the 7,000 training rows; its training script the 3,000 test rows).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _model(rows: int):
    from sklearn.tree import DecisionTreeClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(rows, 8))
    y = ((X[:, 1] + 0.5 * X[:, 7] + rng.normal(scale=0.5, size=rows)) > 0).astype(int)
    return DecisionTreeClassifier(random_state=0).fit(X, y), X


def _seconds(method, data) -> float:
    start = time.perf_counter()
    method(data)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[700, 7000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from sim.interpret._tabular import TabularExplainer

    for rows in args.rows:
        model, X = _model(rows)
        explainer = TabularExplainer(model, X, classes=["no", "yes"])
        global_s = [_seconds(explainer.explain_global, X) for _ in range(args.repeats)]
        local_s = [_seconds(explainer.explain_local, X[:2]) for _ in range(args.repeats)]
        print(f"explain_global over {rows} rows: median {statistics.median(global_s):.2f} s "
              f"(min {min(global_s):.2f}, max {max(global_s):.2f}); explain_local of 2 rows: median "
              f"{statistics.median(local_s) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
