"""SDK v1 behaviours that replaying more of Microsoft's v1 notebooks reached (issue 15's fidelity list)."""

from __future__ import annotations

import os
import time

import pytest

import sim
from tests.sim._runs_helpers import module_home, new_workspace

# The documented order of Run.get_status() values for a submitted run.
DOCUMENTED_ORDER = ["NotStarted", "Starting", "Preparing", "Queued", "Running", "Finalizing", "Completed"]


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    # Named as the autouse per-test home of tests/conftest.py, so this module keeps one home throughout.
    with module_home(tmp_path_factory, "v1replay") as (home, _work):
        yield home


@pytest.fixture(scope="module")
def ws(dp100_home):
    sim.activate()
    return new_workspace("v1-replay-ws")


@pytest.fixture(scope="module")
def experiment(ws):
    from azureml.core import Experiment

    return Experiment(ws, "replay-fidelity")


def _script(folder: str, name: str, body: str) -> str:
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w") as handle:
        handle.write(body)
    return folder


def _statuses_until_done(run, timeout=90) -> list[str]:
    """Every distinct status seen while polling the run until it ends."""
    seen, deadline = [], time.monotonic() + timeout
    while True:
        status = run.get_status()
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in ("Completed", "Failed", "Canceled"):
            return seen
        assert time.monotonic() < deadline, f"the run stayed {status}"
        time.sleep(0.02)


# ---- item 7: PrimaryMetricGoal from azureml.train.hyperdrive.run ---------------------------------------
def test_primary_metric_goal_imports_from_the_run_module(ws):
    from azureml.train.hyperdrive import PrimaryMetricGoal as from_root
    from azureml.train.hyperdrive.run import PrimaryMetricGoal

    assert PrimaryMetricGoal is from_root
    assert {PrimaryMetricGoal.MAXIMIZE.name, PrimaryMetricGoal.MINIMIZE.name} == {"MAXIMIZE", "MINIMIZE"}


# ---- item 8: azureml.telemetry.set_diagnostics_collection ----------------------------------------------
def test_set_diagnostics_collection_prints_and_sends_nothing(ws, capsys, monkeypatch):
    import socket

    from azureml.telemetry import get_diagnostics_collection_info, set_diagnostics_collection

    def no_network(*args, **kwargs):
        raise AssertionError("set_diagnostics_collection tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    set_diagnostics_collection(send_diagnostics=True)
    assert capsys.readouterr().out == "Turning diagnostics collection on. \n"
    assert get_diagnostics_collection_info() == {"send_diagnostics": True}
    set_diagnostics_collection(send_diagnostics=False)
    assert capsys.readouterr().out == "Turning diagnostics collection off. \n"


# ---- item 9: Workspace._workspace_id -------------------------------------------------------------------
def test_workspace_id_is_the_workspace_guid(ws):
    import uuid

    assert ws._workspace_id == ws.get_details()["workspaceid"]
    uuid.UUID(ws._workspace_id)

