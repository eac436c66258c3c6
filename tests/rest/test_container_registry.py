"""SDK v2 sees a workspace's container registry as Azure shows it: None for a new workspace (begin_create's
template asks for none unless one is given), then the registry the first job with a custom environment built."""

from __future__ import annotations

import time

from tests.rest.conftest import RG, SUB, WS

GIVEN = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ContainerRegistry/registries/sharedacr"


def _wait_done(ml_client, name, timeout=60):
    deadline = time.monotonic() + timeout
    while ml_client.jobs.get(name).status not in ("Completed", "Failed", "Canceled"):
        assert time.monotonic() < deadline, f"job {name} did not end"
        time.sleep(0.1)
    return ml_client.jobs.get(name)


def _job(ml_client, folder, environment):
    from azure.ai.ml import command

    folder = folder / "src"  # never tmp_path itself: it holds DP100_HOME, whose live SQLite files the upload would read
    folder.mkdir(exist_ok=True)
    (folder / "hello.py").write_text("print('hello')\n")
    job = ml_client.create_or_update(command(code=str(folder), command="python hello.py", environment=environment,
                                             experiment_name="acr"))
    return _wait_done(ml_client, job.name)


def test_a_workspace_created_by_begin_create_has_no_registry(ml_client):
    from azure.ai.ml.entities import Workspace

    created = ml_client.workspaces.begin_create(Workspace(name="mlw-acr", location="eastus")).result()
    assert created.container_registry is None
    assert ml_client.workspaces.get("mlw-acr").container_registry is None


def test_a_registry_given_to_begin_create_is_the_workspaces(ml_client):
    from azure.ai.ml.entities import Workspace

    ml_client.workspaces.begin_create(Workspace(name="mlw-acr", location="eastus", container_registry=GIVEN)).result()
    assert ml_client.workspaces.get("mlw-acr").container_registry.lower() == GIVEN.lower()


def test_the_first_job_in_a_custom_environment_creates_the_registry(ml_client, tmp_path):
    from azure.ai.ml.entities import Environment

    assert ml_client.workspaces.get(WS).container_registry is None
    assert _job(ml_client, tmp_path, "AzureML-sklearn-1.5@latest").status == "Completed"
    assert ml_client.workspaces.get(WS).container_registry is None  # a curated image is pre-built
    conda = tmp_path / "conda.yml"
    conda.write_text("name: acr\ndependencies:\n  - python=3.11\n  - pandas\n")
    ml_client.environments.create_or_update(Environment(name="acr-env", image="mcr.microsoft.com/azureml/"
                                                        "openmpi4.1.0-ubuntu20.04", conda_file=str(conda)))
    assert _job(ml_client, tmp_path, "acr-env:1").status == "Completed"
    registry = ml_client.workspaces.get(WS).container_registry
    assert registry.startswith(f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ContainerRegistry/")
