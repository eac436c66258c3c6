"""`grading.warm_up` imports what the `mlflow` check argument needs, so the app can do it before the first Check
(in the app the first MLflow check otherwise imports MLflow while the learner waits)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = ("mlflow.tracking.client", "mlflow.store.tracking.sqlalchemy_store")
PROBE = f"""
import sys
from labs import grading
before = [m for m in {MODULES!r} if m in sys.modules]
grading.warm_up()
after = [m for m in {MODULES!r} if m in sys.modules]
print(before, after)
"""


def test_warm_up_imports_the_mlflow_client_and_store_that_checks_use():
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr[-2000:]
    before, after = out.stdout.strip().splitlines()[-1].split("] [")
    assert before == "["  # importing the grading engine alone loads neither
    assert after == ", ".join(repr(m) for m in MODULES) + "]"
