"""A workspace's container registry, as in Azure: none when the workspace is new (unless one is given), created by
the first image build (a remote run or a deployment whose environment needs one), the same one afterwards."""

from __future__ import annotations

import pytest

SUB = "00000000-0000-0000-0000-000000000000"
GIVEN = f"/subscriptions/{SUB}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/sharedacr"

pytestmark = pytest.mark.usefixtures("sim_active")


@pytest.fixture()
def ws(tmp_path, monkeypatch):
    from azureml.core import Workspace

    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "train.py").write_text("print('trained')\n")
    return Workspace.create(name="acr-workspace", subscription_id=SUB, resource_group="rg-acr",
                            create_resource_group=True, location="eastus", show_output=False)


def _cluster(ws):
    from azureml.core.compute import AmlCompute, ComputeTarget

    config = AmlCompute.provisioning_configuration(vm_size="STANDARD_DS11_V2", max_nodes=1)
    cluster = ComputeTarget.create(ws, "acr-cluster", config)
    cluster.wait_for_completion()
    return cluster


def _submit(ws, environment, target):
    from azureml.core import Experiment, ScriptRunConfig

    config = ScriptRunConfig(source_directory="src", script="train.py", environment=environment, compute_target=target)
    run = Experiment(ws, "acr").submit(config)
    run.wait_for_completion()
    return run


def _custom_environment():
    from azureml.core import Environment
    from azureml.core.conda_dependencies import CondaDependencies

    env = Environment("acr-env")
    env.python.conda_dependencies = CondaDependencies.create(pip_packages=["scikit-learn"])
    return env


def test_a_new_workspace_has_no_registry_and_one_given_is_kept(ws):
    from azureml.core import Workspace

    assert "containerRegistry" not in ws.get_details()
    attached = Workspace.create(name="acr-given", subscription_id=SUB, resource_group="rg-acr", location="eastus",
                                container_registry=GIVEN, show_output=False)
    assert attached.get_details()["containerRegistry"] == GIVEN


def test_local_runs_and_curated_environments_build_no_image(ws):
    from azureml.core import Environment

    _submit(ws, _custom_environment(), "local")
    _submit(ws, Environment.get(ws, "AzureML-sklearn-0.24-ubuntu18.04-py37-cpu"), _cluster(ws))
    assert "containerRegistry" not in ws.get_details()


def test_the_first_remote_run_with_a_custom_environment_creates_the_registry_once(ws):
    cluster = _cluster(ws)
    _submit(ws, _custom_environment(), cluster)
    registry = ws.get_details()["containerRegistry"]  # the object made before the build sees it
    assert "/providers/Microsoft.ContainerRegistry/registries/" in registry
    assert registry.startswith(f"/subscriptions/{SUB}/resourceGroups/rg-acr/")
    _submit(ws, _custom_environment(), cluster)
    ws.update(description="kept")  # an update does not lose it either
    assert ws.get_details()["containerRegistry"] == registry


@pytest.mark.parametrize(("definition", "builds"), [
    (None, True),  # no environment: Azure makes one
    ({"name": "AzureML-sklearn-1.5", "python": {"userManagedDependencies": False}}, False),  # pre-built
    ({"name": "img", "python": {"userManagedDependencies": True}, "docker": {"baseImage": "x:1"}}, False),
    ({"name": "conda", "python": {"userManagedDependencies": False}, "docker": {"baseImage": "x:1"}}, True),
    ({"name": "ctx", "python": {"userManagedDependencies": True}, "build": {"path": "docker"}}, True),
    ({"name": "file", "python": {"userManagedDependencies": True}, "docker": {"baseDockerfile": "FROM x"}}, True),
])
def test_which_environments_need_an_image_build(definition, builds):
    from sim.cloud.environments import needs_image_build

    assert needs_image_build(definition) is builds
