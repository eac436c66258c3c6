"""Environments and conda dependencies: built, changed, serialized, registered with versions, listed."""

from __future__ import annotations

import pytest
import yaml

import sim
from tests.sim._runs_helpers import module_home, new_workspace


@pytest.fixture(scope="module")
def dp100_home(tmp_path_factory):
    with module_home(tmp_path_factory, "runsenv") as (home, _work):
        yield home


@pytest.fixture(scope="module")
def ws(dp100_home):
    sim.activate()
    return new_workspace("runs-env-ws")


def test_conda_dependencies_create_and_change(dp100_home):
    sim.activate()
    from azureml.core.conda_dependencies import CondaDependencies

    deps = CondaDependencies.create(conda_packages=["scikit-learn", "pandas"], pip_packages=["azureml-defaults"],
                                    python_version="3.8")
    deps.add_pip_package("joblib==1.2.0")
    deps.add_pip_package("joblib==1.3.0")  # same package: replaced, not duplicated
    deps.add_conda_package("numpy")
    spec = yaml.safe_load(deps.serialize_to_string())
    assert spec["dependencies"][0] == "python=3.8"
    assert {"scikit-learn", "pandas", "numpy"} <= set(deps.conda_packages)
    assert deps.pip_packages == ["azureml-defaults", "joblib==1.3.0"]
    assert {"pip": ["azureml-defaults", "joblib==1.3.0"]} in spec["dependencies"]
    assert deps.get_python_version() == "3.8"
    deps.remove_pip_package("joblib")
    assert deps.pip_packages == ["azureml-defaults"]


def test_environment_from_files_records_packages(dp100_home, tmp_path):
    sim.activate()
    from azureml.core import Environment
    from azureml.exceptions import UserErrorException

    (tmp_path / "requirements.txt").write_text("# training\nscikit-learn==1.5.0\npandas\n")
    env = Environment.from_pip_requirements("pip-env", str(tmp_path / "requirements.txt"))
    assert env.python.conda_dependencies.pip_packages == ["scikit-learn==1.5.0", "pandas"]
    assert env.python.user_managed_dependencies is False
    (tmp_path / "broken.yml").write_text("dependencies: [unclosed\n")
    with pytest.raises(UserErrorException, match="not valid"):
        Environment.from_conda_specification("broken", str(tmp_path / "broken.yml"))
    with pytest.raises(UserErrorException, match="no such file"):
        Environment.from_conda_specification("missing", str(tmp_path / "missing.yml"))
    with pytest.raises(UserErrorException, match="needs a name"):
        Environment("")


def test_register_versions_docker_settings_and_get(ws):
    from azureml.core import Environment
    from azureml.core.conda_dependencies import CondaDependencies
    from azureml.exceptions import UserErrorException

    env = Environment("training-env")
    env.python.conda_dependencies = CondaDependencies.create(pip_packages=["scikit-learn"])
    env.docker.base_image = "azureml/openmpi4.1.0-ubuntu20.04"
    env.environment_variables = {"MODE": "train"}
    assert env.register(workspace=ws).version == "1"
    env.python.user_managed_dependencies = True
    assert env.register(workspace=ws).version == "2"
    latest = Environment.get(ws, "training-env")
    assert latest.version == "2" and latest.python.user_managed_dependencies is True
    assert latest.docker.base_image == "azureml/openmpi4.1.0-ubuntu20.04"
    assert latest.environment_variables == {"MODE": "train"}
    first = Environment.get(ws, "training-env", version="1")
    assert first.python.user_managed_dependencies is False
    with pytest.raises(UserErrorException, match="has no version '9'"):
        Environment.get(ws, "training-env", version="9")
    with pytest.raises(UserErrorException, match="is not registered"):
        Environment.get(ws, "no-such-env")
    assert ws.environments["training-env"].version == "2"


def test_curated_environments_are_listed_and_read_only(ws):
    from azureml.core import Environment
    from azureml.exceptions import UserErrorException

    envs = Environment.list(ws)
    for name in ("AzureML-Minimal", "AzureML-Tutorial", "AzureML-sklearn-0.24-ubuntu18.04-py37-cpu"):
        assert name in envs
    sklearn_env = Environment.get(ws, "AzureML-sklearn-0.24-ubuntu18.04-py37-cpu")
    assert "scikit-learn==0.24.1" in sklearn_env.python.conda_dependencies.pip_packages
    with pytest.raises(UserErrorException, match="curated"):
        sklearn_env.register(ws)
    mine = sklearn_env.clone("my-sklearn")
    assert mine.register(ws).version == "1"


def test_save_and_load_from_directory(dp100_home, tmp_path):
    sim.activate()
    from azureml.core import Environment

    env = Environment("saved-env")
    env.python.conda_dependencies.add_pip_package("lightgbm")
    env.save_to_directory(str(tmp_path / "env"))
    loaded = Environment.load_from_directory(str(tmp_path / "env"))
    assert loaded.name == "saved-env" and "lightgbm" in loaded.python.conda_dependencies.pip_packages
    assert (tmp_path / "env" / "conda_dependencies.yml").is_file()


def test_building_images_is_reported_as_not_simulated(ws):
    from azureml.core import Environment

    with pytest.raises(NotImplementedError, match="not simulated"):
        Environment("x").build(ws)
