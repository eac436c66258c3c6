"""Environments through the real azure-ai-ml: the curated catalogue, custom environments, versions, labels."""

from __future__ import annotations

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

CONDA = ("name: basic-env-cpu\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - scikit-learn\n"
         "  - pandas\n")
IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04"


def _custom(name="docker-image-plus-conda-example", conda_file=None, **kwargs):
    from azure.ai.ml.entities import Environment

    return Environment(name=name, image=IMAGE, conda_file=conda_file, **kwargs)


def test_curated_environments_are_listed_with_the_workspaces_own(ml_client):
    ml_client.environments.create_or_update(_custom("docker-image-example"))
    names = [e.name for e in ml_client.environments.list()]
    assert {"AzureML-sklearn-1.5", "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu",
            "AzureML-sklearn-0.24-ubuntu18.04-py37-cpu", "docker-image-example"} <= set(names)


def test_a_curated_environment_has_its_version_history_and_latest_label(ml_client):
    env = ml_client.environments.get("AzureML-sklearn-1.0-ubuntu20.04-py38-cpu", version=44)
    assert (env.version, env.tags["Scikit-learn"]) == ("44", "1.0") and "Scikit-learn" in env.description
    latest = ml_client.environments.get("AzureML-sklearn-1.5", label="latest")
    versions = [e.version for e in ml_client.environments.list(name="AzureML-sklearn-1.5")]
    assert latest.version == max(versions, key=int) and "scikit-learn" in str(latest.conda_file)


def test_a_curated_environment_comes_from_the_azureml_registry_too(workspace):
    from azure.ai.ml import MLClient
    from azure.identity import DefaultAzureCredential

    registry = MLClient(DefaultAzureCredential(), registry_name="azureml")
    env = registry.environments.get("AzureML-sklearn-1.5", label="latest")
    assert env.id == f"azureml://registries/azureml/environments/AzureML-sklearn-1.5/versions/{env.version}"


def test_custom_environments_get_versions_and_keep_their_conda_file(ml_client, tmp_path):
    conda = tmp_path / "conda-env.yml"
    conda.write_text(CONDA)
    first = ml_client.environments.create_or_update(_custom(conda_file=str(conda), description="image and conda"))
    assert (first.version, first.image, first.description) == ("1", IMAGE, "image and conda")
    assert first.conda_file["dependencies"] == ["python=3.11", "scikit-learn", "pandas"]
    again = ml_client.environments.create_or_update(_custom(conda_file=str(conda), description="image and conda"))
    assert again.version == "1"  # the same definition keeps its version
    changed = ml_client.environments.create_or_update(_custom(conda_file=str(conda), description="changed"))
    assert changed.version == "2"
    assert ml_client.environments.get("docker-image-plus-conda-example", label="latest").version == "2"
    assert ml_client.environments.get("docker-image-plus-conda-example", version="1").description == "image and conda"


def test_a_version_cannot_change_once_created(ml_client):
    ml_client.environments.create_or_update(_custom(version="3", description="first"))
    with pytest.raises(HttpResponseError) as caught:
        ml_client.environments.create_or_update(_custom(version="3", description="second"))
    assert caught.value.status_code == 409


def test_archive_hides_an_environment_and_restore_brings_it_back(ml_client):
    ml_client.environments.create_or_update(_custom("old-env"))
    ml_client.environments.archive("old-env")
    assert "old-env" not in [e.name for e in ml_client.environments.list()]
    ml_client.environments.restore("old-env")
    assert "old-env" in [e.name for e in ml_client.environments.list()]


def test_missing_environments_and_versions_are_resource_not_found_errors(ml_client):
    with pytest.raises(ResourceNotFoundError):
        ml_client.environments.get("no-such-env", version="1")
    with pytest.raises(ResourceNotFoundError):
        ml_client.environments.get("AzureML-sklearn-1.5", version="9999")


def test_curated_names_are_reserved(ml_client):
    with pytest.raises(HttpResponseError) as caught:
        ml_client.environments.create_or_update(_custom("AzureML-my-own", version="1"))
    assert caught.value.status_code == 400


def test_v1_and_v2_see_one_catalogue(ml_client, workspace, tmp_path):
    from sim.cloud import environments

    conda = tmp_path / "conda-env.yml"
    conda.write_text(CONDA)
    ml_client.environments.create_or_update(_custom(conda_file=str(conda)))
    seen_by_v1 = environments.get(workspace, "docker-image-plus-conda-example")
    assert seen_by_v1["docker"]["baseImage"] == IMAGE
    assert "pandas" in seen_by_v1["python"]["condaDependencies"]["dependencies"]
    assert environments.get(workspace, "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu", version="44")["version"] == "44"
    environments.register(workspace, {"name": "from-v1", "python": {}, "docker": {"baseImage": IMAGE}})
    assert ml_client.environments.get("from-v1", version="1").image == IMAGE


def test_what_an_environment_lets_a_job_import(ml_client):
    from sim.cloud.environments import curated, packages

    sklearn = packages.importable_modules(curated.definition("AzureML-sklearn-1.5"))
    assert {"sklearn", "pandas", "numpy", "mlflow", "matplotlib"} <= set(sklearn)
    conda = {"python": {"condaDependencies": {"dependencies": ["python=3.11", "scikit-learn==1.5.1",
                                                               {"pip": ["mlflow-skinny"]}]}}}
    assert {"sklearn", "numpy", "scipy", "mlflow", "yaml"} <= set(packages.importable_modules(conda))
    assert packages.importable_modules({"python": {"condaDependencies": None}}) == []
