"""Shared test set-up: every test gets its own DP100_HOME, and nothing reaches the internet."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

from sim import _owner

# MLflow 3.x phones home after the first logging call unless told not to.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")
os.environ.setdefault("MPLBACKEND", "Agg")
_scratch: list[str] = []  # folders this run makes outside pytest's tmp_path; removed when it ends


def _scratch_folder(prefix: str) -> str:
    folder = tempfile.mkdtemp(prefix=prefix)
    _scratch.append(folder)
    return folder


atexit.register(lambda: [shutil.rmtree(folder, ignore_errors=True) for folder in _scratch])
# Anything that runs while pytest collects (before the per-test home below) must not touch ~/.dp100.
os.environ["DP100_HOME"] = _scratch_folder("dp100-pytest-")
os.environ.setdefault("DP100_CONTENT_CACHE", "off")
# Scoring servers started by the run (from this process, its kernels and scripts) stop when pytest ends.
_owner.claim()
# Every process of the run (kernels, submitted scripts) copies one pre-migrated MLflow store instead of
# running MLflow's migrations again in each fresh DP100_HOME.
if "DP100_MLFLOW_TEMPLATE_DIR" not in os.environ:
    os.environ["DP100_MLFLOW_TEMPLATE_DIR"] = _scratch_folder("dp100-mlflow-template-")


@pytest.fixture(autouse=True)
def dp100_home(tmp_path, monkeypatch):
    """Point all local state at a fresh temporary folder for each test (its service, if any, stops after it)."""
    home = tmp_path / "dp100home"
    monkeypatch.setenv("DP100_HOME", str(home))
    monkeypatch.delenv("DP100_DATABASE_URL", raising=False)
    yield home
    if (home / "service" / "service.json").exists():  # a simulated Azure service started for this home
        from sim.service import launcher

        launcher.stop()
    from sim.cloud import store

    store.dispose_under(home)  # its engines would hold three descriptors each for the rest of the worker's run
