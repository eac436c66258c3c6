"""Simulated `azureml.train.estimator.Estimator` (deprecated since SDK 1.19, still in azureml-train-core 1.61).

An estimator is a ScriptRunConfig in older clothes: `Experiment.submit(estimator)` submits the ScriptRunConfig it
builds (source_directory, entry_script, script_params as arguments, compute target, an environment made from
environment_definition or conda/pip packages, and `inputs` mounted for the script) and returns a ScriptRun.
"""

from __future__ import annotations

import logging

from sim.azureml._common.not_simulated import not_simulated
from sim.azureml.core.script_run_config import ScriptRunConfig

module_logger = logging.getLogger("azureml.train.estimator._estimator")
DEFAULT_MAX_RUN_DURATION_SECONDS = 2592000  # ScriptRunConfig's default: 30 days


class _EstimatorScriptRunConfig(ScriptRunConfig):
    """The ScriptRunConfig an estimator submits: `inputs` are materialized for the script but not passed as argv."""

    def __init__(self, *args, inputs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._inputs = list(inputs or [])

    def _has_dataset_inputs(self) -> bool:
        return bool(self._inputs) or super()._has_dataset_inputs()

    def _inputs_outside_argv(self) -> dict:
        """The inputs as the service puts them in the job's folder, off the command line (process mode)."""
        if not self._inputs:
            return {}
        self._check_inputs()
        requests = []
        for value in self._inputs:
            if not hasattr(value, "_placement_request"):  # e.g. a DataReference: said by name, never dropped
                from sim import messages as sim_messages
                from sim.service.routed import NotRouted

                raise NotRouted(sim_messages.SIM_SERVICE_NOT_ROUTED.format(
                    target=f"a {type(value).__name__} in an Estimator's inputs"))
            requests.append(value._placement_request())
        return {"inputs": requests}

    def _check_inputs(self) -> None:
        """Refuse an input that is not a dataset or data reference, before any run is created."""
        for value in self._inputs:
            if not hasattr(value, "_materialize"):
                from sim.azureml.exceptions import RunConfigurationException

                raise RunConfigurationException(
                    f"Estimator inputs must be datasets or data references (e.g. dataset.as_named_input('name')"
                    f".as_mount()); got {type(value).__name__}.")

    def _build_arguments(self, work_dir):
        argv, inputs = super()._build_arguments(work_dir)
        self._check_inputs()
        inputs.extend(value._materialize(work_dir) for value in self._inputs)
        return argv, inputs


class Estimator:
    """DEPRECATED in the SDK: a training script, its parameters, compute and packages (use ScriptRunConfig).

    Args:
        source_directory: the local folder with the training code.
        compute_target: a compute target object or name ('local' when omitted).
        entry_script: the script to run, relative to source_directory.
        script_params: a dict of command-line arguments, passed as `key value` pairs in order.
        conda_packages / pip_packages: packages of the environment built for the run.
        environment_definition: an `Environment` to use instead (then no package arguments may be given).
        inputs: datasets or data references the script reads (mounted/downloaded, not passed as arguments).
        max_run_duration_seconds: the longest the run may take.
    """

    _framework_name = None  # a framework estimator (SKLearn) names its framework here
    _default_pip_packages: tuple[str, ...] = ()

    def __init__(self, source_directory, *, compute_target=None, vm_size=None, vm_priority=None, entry_script=None,
                 script_params=None, node_count=1, process_count_per_node=1, distributed_backend=None,
                 distributed_training=None, use_gpu=False, use_docker=True, custom_docker_base_image=None,
                 custom_docker_image=None, image_registry_details=None, user_managed=False, conda_packages=None,
                 pip_packages=None, conda_dependencies_file_path=None, pip_requirements_file_path=None,
                 conda_dependencies_file=None, pip_requirements_file=None, environment_variables=None,
                 environment_definition=None, inputs=None, source_directory_data_store=None, shm_size=None,
                 resume_from=None, max_run_duration_seconds=None, framework_version=None, _disable_validation=True,
                 _show_lint_warnings=False, _show_package_warnings=False):
        self._warn_deprecated()
        _refuse_unsimulated(vm_size=vm_size, distributed_training=distributed_training or distributed_backend,
                            resume_from=resume_from, source_directory_data_store=source_directory_data_store)
        if node_count != 1:
            not_simulated("Estimator(node_count>1) (multi-node training)")
        if entry_script is None:
            from sim.azureml.exceptions import UserErrorException

            raise UserErrorException("An estimator needs entry_script: the training script, relative to "
                                     "source_directory (e.g. entry_script='train.py').")
        self.source_directory = source_directory
        self._entry_script = entry_script
        self._script_params = dict(script_params or {})
        self._framework_version = framework_version
        environment = environment_definition or self._environment(
            conda_packages, pip_packages, conda_dependencies_file_path or conda_dependencies_file,
            pip_requirements_file_path or pip_requirements_file, use_gpu, custom_docker_image
            or custom_docker_base_image, user_managed)
        if environment_variables:
            environment.environment_variables.update(environment_variables)
        self._config = _EstimatorScriptRunConfig(
            source_directory, script=entry_script, arguments=_arguments(self._script_params),
            compute_target=compute_target, environment=environment, inputs=inputs,
            max_run_duration_seconds=max_run_duration_seconds or DEFAULT_MAX_RUN_DURATION_SECONDS)

    def _warn_deprecated(self) -> None:
        module_logger.warning("'Estimator' is deprecated. Please use 'ScriptRunConfig' from "
                              "'azureml.core.script_run_config' with your own defined environment or an Azure ML "
                              "curated environment.")

    def _environment(self, conda_packages, pip_packages, conda_file, pip_file, use_gpu, docker_image, user_managed):
        """The environment the estimator builds from its package arguments (framework packages first)."""
        from sim.azureml.core.conda_dependencies import CondaDependencies
        from sim.azureml.core.environment import DEFAULT_GPU_IMAGE, Environment

        if conda_file is not None:
            environment = Environment.from_conda_specification("estimator-environment", conda_file)
        elif pip_file is not None:
            environment = Environment.from_pip_requirements("estimator-environment", pip_file)
        else:
            environment = Environment("estimator-environment")
            environment.python.conda_dependencies = CondaDependencies.create(
                conda_packages=list(conda_packages or []),
                pip_packages=[*self._default_pip_packages, *(pip_packages or [])])
        environment.python.user_managed_dependencies = bool(user_managed)
        if docker_image or use_gpu:
            environment.docker.base_image = docker_image or DEFAULT_GPU_IMAGE
        return environment

    # ---- what the SDK exposes --------------------------------------------------------------------------
    @property
    def run_config(self):
        """The RunConfiguration submitted (script, arguments, target, environment)."""
        return self._config.run_config

    @property
    def conda_dependencies(self):
        """The environment's CondaDependencies."""
        return self._config.run_config.environment.python.conda_dependencies

    @property
    def _script_run_config(self):
        # What a HyperDriveConfig(estimator=...) sweeps over: the sampled values are appended to these arguments.
        return self._config

    def _submit_to(self, experiment, tags=None, **kwargs):
        """Submit to `experiment` (called by `Experiment.submit`); returns the ScriptRun."""
        return self._config._submit_to(experiment, tags=tags, **kwargs)

    def __repr__(self):
        return (f"{type(self).__name__}(source_directory={self.source_directory!r}, "
                f"entry_script={self._entry_script!r}, script_params={self._script_params!r})")


def _arguments(script_params: dict) -> list:
    """`{'--reg': 0.1, '--data': input}` as `['--reg', 0.1, '--data', input]`, in the dict's order."""
    arguments = []
    for key, value in script_params.items():
        arguments.append(str(key))
        if value is not None and value != "":  # a key with no value is a flag
            arguments.append(value)
    return arguments


def _refuse_unsimulated(**settings) -> None:
    for name, value in settings.items():
        if value:
            not_simulated(f"Estimator({name}=...)")


__all__ = ["Estimator"]
