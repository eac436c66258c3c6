"""Simulated `azureml.core.runconfig`: `RunConfiguration` and `DockerConfiguration`.

Docker settings are recorded, not used: submitted scripts run in the project's own interpreter.
"""

from __future__ import annotations

DEFAULT_TARGET = "local"


class DockerConfiguration:
    """Whether and how a job runs in a Docker container (recorded only).

    Args:
        use_docker: run the job in a container.
        shared_volumes: share the host's volumes with the container.
        arguments: extra `docker run` arguments.
        shm_size: the container's shared memory size.
    """

    def __init__(self, use_docker=False, shared_volumes=True, arguments=None, shm_size="2g"):
        self.use_docker = use_docker
        self.shared_volumes = shared_volumes
        self.arguments = list(arguments or [])
        self.shm_size = shm_size

    def _to_dict(self) -> dict:
        return {"useDocker": self.use_docker, "sharedVolumes": self.shared_volumes, "arguments": self.arguments,
                "shmSize": self.shm_size}

    def __repr__(self):
        return f"DockerConfiguration({self._to_dict()})"


class RunConfiguration:
    """Where and how a script runs: target, environment, node count, Docker, limits.

    Args:
        script: the script to run (relative to the source folder).
        arguments: its command-line arguments.
        framework: 'Python' (the only one simulated).
        communicator: 'None' (distributed communicators are recorded only).
        conda_dependencies: a `CondaDependencies` for the run's environment.
        command: a command to run instead of a script (not simulated).
    """

    def __init__(self, script=None, arguments=None, framework=None, communicator=None, conda_dependencies=None,
                 _history_enabled=None, _path=None, _name=None, command=None):
        from sim.azureml.core.environment import Environment

        self.script = script
        self.arguments = list(arguments or [])
        self.framework = framework or "Python"
        self.communicator = communicator or "None"
        self.command = command
        self._target = DEFAULT_TARGET
        self.node_count = 1
        self.max_run_duration_seconds = None
        self.docker = None
        self._environment_variables = {}
        self.data = {}
        self.output_data = {}
        self.history = {"outputCollection": True, "snapshotProject": True}
        self.environment = Environment("default-environment")
        if conda_dependencies is not None:
            self.environment.python.conda_dependencies = conda_dependencies
        self._name = _name

    @property
    def target(self):
        """Where the script runs: 'local' or a compute target name (an object given is kept as is)."""
        return self._target

    @target.setter
    def target(self, value):
        self._target = value

    @property
    def environment_variables(self):
        """Extra environment variables for the run."""
        return self._environment_variables

    @environment_variables.setter
    def environment_variables(self, value):
        self._environment_variables = dict(value or {})

    def save(self, path=None, name=None, separate_environment_yaml=False):
        """Not simulated: saved run configurations (.azureml/*.runconfig)."""
        _not_simulated("RunConfiguration.save")

    @staticmethod
    def load(path, name=None):
        """Not simulated: saved run configurations (.azureml/*.runconfig)."""
        _not_simulated("RunConfiguration.load")

    @staticmethod
    def delete(path, name):
        """Not simulated: saved run configurations (.azureml/*.runconfig)."""
        _not_simulated("RunConfiguration.delete")

    @property
    def auto_prepare_environment(self):
        """Always True here (environments are recorded, never built)."""
        return True

    def __repr__(self):
        return (f"RunConfiguration(script={self.script!r}, target={self.target!r}, "
                f"environment={self.environment.name!r}, node_count={self.node_count})")


def _not_simulated(member: str):
    from sim.azureml._common.not_simulated import not_simulated

    not_simulated(member)


def __getattr__(name):
    # The real module re-exports these (older notebooks import them from here); loaded on first use.
    if name in ("DEFAULT_CPU_IMAGE", "DEFAULT_GPU_IMAGE"):
        from sim.azureml.core import environment

        return getattr(environment, name)
    if name == "CondaDependencies":
        from sim.azureml.core.conda_dependencies import CondaDependencies

        return CondaDependencies
    raise AttributeError(f"module 'azureml.core.runconfig' has no attribute {name!r}")


__all__ = ["DockerConfiguration", "RunConfiguration"]
