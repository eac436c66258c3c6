"""Simulated `azureml.core.environment`: `Environment`, `PythonSection`, `DockerSection`.

An environment describes the Python packages and container a job needs. Here it is recorded (and
versioned when registered) but never built: submitted scripts run in the project's own interpreter.
"""

from __future__ import annotations

import copy
import json
import os

import sim.cloud.environments
from sim.azureml._common.service_errors import v1_service
from sim.azureml.core.conda_dependencies import CondaDependencies

cloud_environments = v1_service(sim.cloud.environments)

DEFAULT_CPU_IMAGE = "azureml/openmpi4.1.0-ubuntu20.04:latest"
DEFAULT_GPU_IMAGE = "azureml/openmpi4.1.0-cuda11.1-cudnn8-ubuntu20.04:latest"


class PythonSection:
    """The Python side of an environment: who manages packages, which interpreter, which packages."""

    def __init__(self, **kwargs):
        self.user_managed_dependencies = kwargs.get("user_managed_dependencies", False)
        self.interpreter_path = kwargs.get("interpreter_path", "python")
        self.conda_dependencies = kwargs.get("conda_dependencies") or CondaDependencies()
        self.base_conda_environment = None
        self._conda_dependencies_file = None

    @property
    def conda_dependencies_file(self):
        """DEPRECATED in the SDK: the path of a conda file (None: the packages are in conda_dependencies)."""
        return self._conda_dependencies_file

    @conda_dependencies_file.setter
    def conda_dependencies_file(self, value):
        self._conda_dependencies_file = value


def _setting(key: str, doc: str):
    """A DockerSection property stored in its settings dict (the real class exposes them as properties)."""
    def get(self):
        return self._settings[key]

    def put(self, value):
        self._settings[key] = value

    return property(get, put, doc=doc)


class DockerSection:
    """The container side of an environment: base image or Dockerfile, GPU support, arguments (recorded)."""

    enabled = _setting("enabled", "Run in a Docker container (DEPRECATED in the SDK: use DockerConfiguration).")
    base_image = _setting("base_image", "The base image the environment builds on.")
    base_dockerfile = _setting("base_dockerfile", "A Dockerfile to build the base image from, instead.")
    shared_volumes = _setting("shared_volumes", "Share the host's volumes with the container.")
    shm_size = _setting("shm_size", "The container's shared memory size.")
    arguments = _setting("arguments", "Extra `docker run` arguments.")
    gpu_support = _setting("gpu_support", "DEPRECATED in the SDK: GPU support is detected from the image.")
    build_context = _setting("build_context", "A Docker build context (not simulated).")

    def __init__(self, **kwargs):
        self._settings = {"enabled": kwargs.get("enabled", False),
                          "base_image": kwargs.get("base_image", DEFAULT_CPU_IMAGE),
                          "base_dockerfile": kwargs.get("base_dockerfile"),
                          "shared_volumes": kwargs.get("shared_volumes", True),
                          "shm_size": kwargs.get("shm_size", "2g"),
                          "arguments": list(kwargs.get("arguments") or []),
                          "gpu_support": kwargs.get("gpu_support", False), "build_context": None}
        self.base_image_registry = kwargs.get("base_image_registry") or {}
        self.platform = None


class Environment:
    """A reproducible Python environment for runs and deployments.

    Args:
        name: the environment name.
    """

    def __init__(self, name, **kwargs):
        if not isinstance(name, str) or not name.strip():
            from sim.azureml.exceptions import UserErrorException
            from sim.messages import ENVIRONMENT_NAME_REQUIRED

            raise UserErrorException(ENVIRONMENT_NAME_REQUIRED.format(value=name))
        self.name = name
        self.version = None
        self.python = PythonSection()
        self.docker = DockerSection()
        self._environment_variables = {"EXAMPLE_ENV_VAR": "EXAMPLE_VALUE"}
        self.inferencing_stack_version = None
        self.spark = None
        self.r = None
        self.databricks = None
        self.asset_id = None

    @property
    def environment_variables(self):
        """DEPRECATED in the SDK (use RunConfiguration.environment_variables): variables for the run."""
        return self._environment_variables

    @environment_variables.setter
    def environment_variables(self, value):
        self._environment_variables = dict(value or {})

    # ---- building one ------------------------------------------------------------------------------
    @staticmethod
    def from_conda_specification(name, file_path):
        """An environment whose packages come from a conda YAML file."""
        env = Environment(name)
        env.python.conda_dependencies = CondaDependencies(conda_dependencies_file_path=file_path)
        return env

    @staticmethod
    def from_pip_requirements(name, file_path, pip_version=None):
        """An environment whose packages come from a pip requirements file."""
        requirements = _read_requirements(file_path)
        env = Environment(name)
        conda = CondaDependencies()
        if pip_version:
            conda.add_conda_package(f"pip={pip_version}")
        conda.set_pip_requirements(requirements)
        env.python.conda_dependencies = conda
        return env

    @staticmethod
    def from_existing_conda_environment(name, conda_environment_name):
        """An environment that uses an existing local conda environment (user-managed)."""
        env = Environment(name)
        env.python.user_managed_dependencies = True
        env.python.interpreter_path = f"conda://{conda_environment_name}"
        return env

    @staticmethod
    def from_docker_image(name, image, container_registry=None, conda_specification=None, pip_requirements=None):
        """An environment on a given Docker base image (optionally with a conda or pip file)."""
        env = _with_packages(Environment(name), conda_specification, pip_requirements)
        env.docker.base_image = image
        env.docker.base_image_registry = container_registry or {}
        return env

    @staticmethod
    def from_dockerfile(name, dockerfile, conda_specification=None, pip_requirements=None):
        """An environment built from a Dockerfile (its text, or a path to it)."""
        env = _with_packages(Environment(name), conda_specification, pip_requirements)
        text = dockerfile
        if isinstance(dockerfile, str) and os.path.isfile(dockerfile):
            with open(dockerfile) as handle:
                text = handle.read()
        env.docker.base_image, env.docker.base_dockerfile = None, text
        return env

    @staticmethod
    def from_docker_build_context(name, docker_build_context):
        """Not simulated: Docker build contexts are not built here."""
        _not_simulated("Environment.from_docker_build_context")

    @staticmethod
    def add_private_pip_wheel(workspace, file_path, exist_ok=False):
        """Not simulated: private wheels would need the workspace's container registry."""
        _not_simulated("Environment.add_private_pip_wheel")

    @staticmethod
    def label(workspace, name, version, labels):
        """Not simulated: environment labels."""
        _not_simulated("Environment.label")

    def clone(self, new_name):
        """A copy of this environment under a new name (unregistered)."""
        twin = copy.deepcopy(self)
        twin.name, twin.version = new_name, None
        return twin

    # ---- the workspace -----------------------------------------------------------------------------
    def register(self, workspace):
        """Register the environment in the workspace; an unchanged definition keeps its version."""
        stored = cloud_environments.register(workspace._record, self._to_definition())
        self.version = stored["version"]
        return Environment._from_definition(stored)

    @staticmethod
    def get(workspace, name, version=None, label=None):
        """A registered environment (latest version unless `version` is given) or a curated one."""
        return Environment._from_definition(cloud_environments.get(workspace._record, name, version))

    @staticmethod
    def list(workspace):
        """{name: Environment} of the workspace's registered environments and the curated ones."""
        return {name: Environment._from_definition(d)
                for name, d in sorted(cloud_environments.list_latest(workspace._record).items())}

    def save_to_directory(self, path, overwrite=False):
        """Write the definition (azureml_environment.json and conda_dependencies.yml) into a folder."""
        os.makedirs(path, exist_ok=True)
        target = os.path.join(path, "azureml_environment.json")
        if os.path.exists(target) and not overwrite:
            from sim.azureml.exceptions import UserErrorException
            from sim.messages import ENVIRONMENT_SAVE_EXISTS

            raise UserErrorException(ENVIRONMENT_SAVE_EXISTS.format(path=target))
        with open(target, "w") as handle:
            json.dump(self._to_definition(), handle, indent=4)
        self.python.conda_dependencies.save(os.path.join(path, "conda_dependencies.yml"))

    @staticmethod
    def load_from_directory(path):
        """The environment saved in a folder by `save_to_directory`."""
        with open(os.path.join(path, "azureml_environment.json")) as handle:
            return Environment._from_definition(json.load(handle))

    def build(self, workspace, image_build_compute=None):
        """Not simulated: environments are recorded, never built into images."""
        _not_simulated("Environment.build (images are not built; jobs run in the local interpreter)")

    def build_local(self, workspace, platform=None, **kwargs):
        """Not simulated: environments are recorded, never built into images."""
        _not_simulated("Environment.build_local (images are not built; jobs run in the local interpreter)")

    def get_image_details(self, workspace):
        """Not simulated: environments are recorded, never built into images."""
        _not_simulated("Environment.get_image_details")

    # ---- definitions -------------------------------------------------------------------------------
    def _to_definition(self) -> dict:
        return {
            "name": self.name, "version": self.version,
            "python": {"userManagedDependencies": bool(self.python.user_managed_dependencies),
                       "interpreterPath": self.python.interpreter_path,
                       "condaDependencies": self.python.conda_dependencies.as_dict(),
                       "baseCondaEnvironment": self.python.base_conda_environment},
            "docker": {"enabled": bool(self.docker.enabled), "baseImage": self.docker.base_image,
                       "baseDockerfile": self.docker.base_dockerfile, "sharedVolumes": self.docker.shared_volumes,
                       "shmSize": self.docker.shm_size, "arguments": list(self.docker.arguments),
                       "baseImageRegistry": self.docker.base_image_registry},
            "environmentVariables": dict(self.environment_variables or {}),
            "inferencingStackVersion": self.inferencing_stack_version,
        }

    @staticmethod
    def _from_definition(definition: dict) -> Environment:
        env = Environment(definition["name"])
        env.version = definition.get("version")
        python = definition.get("python") or {}
        env.python.user_managed_dependencies = python.get("userManagedDependencies", False)
        env.python.interpreter_path = python.get("interpreterPath", "python")
        if python.get("condaDependencies"):
            env.python.conda_dependencies = CondaDependencies(_underlying_structure=python["condaDependencies"])
        docker = definition.get("docker") or {}
        env.docker = DockerSection(enabled=docker.get("enabled", False), base_image=docker.get("baseImage"),
                                   base_dockerfile=docker.get("baseDockerfile"),
                                   shared_volumes=docker.get("sharedVolumes", True),
                                   shm_size=docker.get("shmSize", "2g"), arguments=docker.get("arguments"),
                                   base_image_registry=docker.get("baseImageRegistry"))
        env.environment_variables = dict(definition.get("environmentVariables") or {})
        env.inferencing_stack_version = definition.get("inferencingStackVersion")
        return env

    def __repr__(self):
        return json.dumps(self._to_definition(), indent=4)


def _with_packages(env, conda_specification, pip_requirements):
    if conda_specification:
        env.python.conda_dependencies = CondaDependencies(conda_dependencies_file_path=conda_specification)
    elif pip_requirements:
        env.python.conda_dependencies.set_pip_requirements(_read_requirements(pip_requirements))
    return env


def _read_requirements(file_path) -> list[str]:
    from sim.azureml.exceptions import UserErrorException
    from sim.messages import ENVIRONMENT_FILE_NOT_FOUND

    if not os.path.isfile(file_path):
        raise UserErrorException(ENVIRONMENT_FILE_NOT_FOUND.format(kind="pip requirements", path=file_path))
    with open(file_path) as handle:
        return [line.strip() for line in handle if line.strip() and not line.strip().startswith("#")]


def _not_simulated(member: str):
    from sim.azureml._common.not_simulated import not_simulated

    not_simulated(member)


__all__ = ["DockerSection", "Environment", "PythonSection"]
