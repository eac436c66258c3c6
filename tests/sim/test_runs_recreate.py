"""A workspace deleted and created again under the same name starts with no runs (no stale MLflow caches)."""

from __future__ import annotations

import pytest

from tests.sim.conftest import SUB

pytestmark = pytest.mark.usefixtures("sim_active")


def make():
    from azureml.core import Workspace

    return Workspace.create(name="ws-again", subscription_id=SUB, resource_group="rg-again",
                            create_resource_group=True, location="eastus", show_output=False)


def test_recreated_workspace_has_no_old_runs_or_models(tmp_path):
    from azureml.core import Experiment, Model

    ws = make()
    run = Experiment(ws, "exp").start_logging()
    run.log("accuracy", 0.5)
    (tmp_path / "model.pkl").write_bytes(b"model")
    run.upload_file("outputs/model.pkl", str(tmp_path / "model.pkl"))
    run.complete()
    run.register_model(model_name="m", model_path="outputs/model.pkl")
    ws.delete()

    ws = make()
    assert list(Experiment(ws, "exp").get_runs()) == []
    assert Model.list(ws) == []
