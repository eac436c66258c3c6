"""InferenceConfig (public as `azureml.core.model.InferenceConfig`): what a web service runs.

Validation follows the real SDK: the entry script must exist (relative to source_directory when one is
given), be a `.py` file importable as a module, and parse; an Environment excludes runtime/conda_file.
Packages named by an environment or conda file are recorded, not installed: the service runs in the
project's own interpreter.
"""

from __future__ import annotations

import ast
import keyword
import os
import warnings
from pathlib import Path

from sim import messages
from sim.azureml.exceptions import UserErrorException, WebserviceException

SUPPORTED_RUNTIMES = ("spark-py", "python", "python-slim")


def _join(source_directory, path):
    if path and source_directory:
        return os.path.join(source_directory, path).replace(os.sep, "/")
    return path


def _must_exist(path, what: str, extra: str = "") -> None:
    if not path or not os.path.exists(os.path.normpath(path)):
        raise WebserviceException(messages.INFERENCE_PATH_MISSING.format(what=what, path=path, extra=extra))


class InferenceConfig:
    """The entry script, its source folder and its environment, for `Model.deploy`.

    Args:
        entry_script: the scoring script (with init() and run()), relative to source_directory if given.
        runtime: 'python' (deprecated in the SDK in favour of environment).
        conda_file: a conda YAML file (deprecated in favour of environment).
        extra_docker_file_steps, enable_gpu, base_image, base_image_registry, cuda_version: accepted and
            recorded (no container is built).
        source_directory: a folder copied into the service; the script's working folder.
        description: free text.
        environment: an azureml.core.Environment (not together with runtime/conda_file).

    Raises:
        WebserviceException: a missing or invalid entry script, source folder or file.
        UserErrorException: an entry script with a syntax error.
    """

    def __init__(self, entry_script, runtime=None, conda_file=None, extra_docker_file_steps=None,
                 source_directory=None, enable_gpu=None, description=None, base_image=None,
                 base_image_registry=None, cuda_version=None, environment=None):
        self.entry_script = entry_script
        self.runtime = runtime
        self.conda_file = conda_file
        self.extra_docker_file_steps = extra_docker_file_steps
        self.source_directory = source_directory
        self.enable_gpu = enable_gpu
        self.cuda_version = cuda_version
        self.description = description
        self.base_image = base_image
        self.base_image_registry = base_image_registry
        self.environment = environment
        self.validate_configuration()

    def __repr__(self):
        return (f"{self.__class__.__name__}(entry_script={self.entry_script}, runtime={self.runtime}, "
                f"conda_file={self.conda_file}, extra_docker_file_steps={self.extra_docker_file_steps}, "
                f"source_directory={self.source_directory}, enable_gpu={self.enable_gpu}, "
                f"base_image={self.base_image}, base_image_registry={self.base_image_registry})")

    def validate_configuration(self):
        """Check the configuration; raise the SDK's exception for the first problem found."""
        for value, name in ((self.runtime, "runtime"), (self.conda_file, "conda_file")):
            if value:
                warnings.warn(f"{name} parameter has been deprecated and will be removed in a future release. "
                              "Please migrate to using Environments.", DeprecationWarning, stacklevel=3)
        if not self.entry_script:
            raise WebserviceException(messages.INFERENCE_ENTRY_SCRIPT_REQUIRED)
        if self.environment is not None and (self.runtime or self.conda_file or self.extra_docker_file_steps
                                             or self.enable_gpu or self.cuda_version or self.base_image):
            raise WebserviceException(messages.INFERENCE_ENVIRONMENT_AND_PARTS)
        if self.source_directory:
            self.source_directory = os.path.realpath(self.source_directory)
            _must_exist(self.source_directory, "source directory")
        _must_exist(self._entry_script_path(), "entry_script",
                    "entry_script should be path relative to current working directory")
        name, extension = os.path.splitext(os.path.basename(self.entry_script))
        if extension != ".py":
            raise WebserviceException(messages.INFERENCE_ENTRY_SCRIPT_NOT_PY)
        if not name.isidentifier() or keyword.iskeyword(name):
            raise WebserviceException(messages.INFERENCE_ENTRY_SCRIPT_NAME.format(name=name))
        if self.runtime and self.runtime.lower() not in SUPPORTED_RUNTIMES:
            raise WebserviceException(messages.INFERENCE_RUNTIME_INVALID)
        if self.conda_file:
            _must_exist(_join(self.source_directory, self.conda_file), "Conda file")
        self.validation_script_content()

    def validation_script_content(self):
        """Check that the entry script parses as Python."""
        path = self._entry_script_path()
        try:
            with open(path) as script:
                ast.parse(script.read(), path)
        except SyntaxError as exc:
            raise UserErrorException(messages.INFERENCE_ENTRY_SCRIPT_SYNTAX.format(error=exc)) from exc

    def _entry_script_path(self) -> str:
        return _join(self.source_directory, self.entry_script)

    def _environment_record(self) -> dict:
        """What the service records about its environment (recorded, never installed)."""
        env = self.environment
        if env is not None:
            return {"name": getattr(env, "name", None), "version": getattr(env, "version", None),
                    "environment_variables": dict(getattr(env, "environment_variables", None) or {})}
        conda = _join(self.source_directory, self.conda_file) if self.conda_file else None
        spec = Path(conda).read_text() if conda else None
        return {"name": None, "runtime": self.runtime, "conda_file": conda, "conda_specification": spec,
                "environment_variables": {}}

    def build_create_payload(self, workspace, name, model_ids):
        """Not simulated: image creation payloads."""
        raise WebserviceException(messages.NOT_SIMULATED.format(member="InferenceConfig.build_create_payload"))

    def build_profile_payload(self, profile_name, input_data=None, workspace=None, models=None, dataset_id=None,
                              container_resource_requirements=None, description=None):
        """Not simulated: model profiling payloads."""
        raise WebserviceException(messages.NOT_SIMULATED.format(member="InferenceConfig.build_profile_payload"))
