"""Set-up of the service tests: process mode for one test's DP100_HOME, and no service left when it ends."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim import service


@pytest.fixture
def process_mode(monkeypatch, dp100_home):
    """The simulated Azure answers from its own process in this test; it is stopped at the end."""
    monkeypatch.setenv("DP100_SERVICE", "process")
    monkeypatch.setenv("DP100_SERVICE_IDLE_SECONDS", "300")
    _forget_mlflow_stores()
    yield dp100_home
    service.stop()
    _forget_mlflow_stores()


def _forget_mlflow_stores() -> None:
    """Drop the stores MLflow caches per URI for the life of a process.

    An `azureml://` URI that an earlier in-process test opened would otherwise keep its in-process store here (and a
    REST store from this test would outlive the service it talks to).
    """
    from mlflow.tracking._model_registry.registry import ModelRegistryStoreRegistry
    from mlflow.tracking._tracking_service.registry import TrackingStoreRegistry

    TrackingStoreRegistry._get_store_with_resolved_uri.cache_clear()
    ModelRegistryStoreRegistry._get_store_with_resolved_uri.cache_clear()


def service_pids(home: Path) -> list[int]:
    """Pids of `python -m sim.service` processes working in `home` (the launcher starts them there)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if b"sim.service" in cmdline and cwd == str(home.resolve()) and _not_zombie(entry):
            found.append(int(entry.name))
    return found


def _not_zombie(entry: Path) -> bool:
    try:
        return (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False
