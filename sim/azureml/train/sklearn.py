"""Simulated `azureml.train.sklearn` (SDK v1, deprecated): the scikit-learn estimator, over ScriptRunConfig."""

from __future__ import annotations

import logging

from sim.azureml.train.estimator._estimator import Estimator

module_logger = logging.getLogger("azureml.train.sklearn")


class SKLearn(Estimator):
    """DEPRECATED in the SDK: an Estimator whose environment has scikit-learn (use ScriptRunConfig).

    Takes the Estimator's arguments (source_directory, compute_target, entry_script, script_params,
    conda_packages, pip_packages, environment_definition, inputs ...); single node only, as the real one.
    """

    _framework_name = "scikit-learn"
    _default_pip_packages = ("scikit-learn",)

    def __init__(self, source_directory, *, compute_target=None, vm_size=None, vm_priority=None, entry_script=None,
                 script_params=None, use_docker=True, custom_docker_image=None, image_registry_details=None,
                 user_managed=False, conda_packages=None, pip_packages=None, conda_dependencies_file_path=None,
                 pip_requirements_file_path=None, conda_dependencies_file=None, pip_requirements_file=None,
                 environment_variables=None, environment_definition=None, inputs=None, shm_size=None,
                 resume_from=None, max_run_duration_seconds=None, framework_version=None,
                 _enable_optimized_mode=False, _disable_validation=True, _show_lint_warnings=False,
                 _show_package_warnings=False):
        super().__init__(source_directory, compute_target=compute_target, vm_size=vm_size, vm_priority=vm_priority,
                         entry_script=entry_script, script_params=script_params, use_docker=use_docker,
                         custom_docker_image=custom_docker_image, image_registry_details=image_registry_details,
                         user_managed=user_managed, conda_packages=conda_packages, pip_packages=pip_packages,
                         conda_dependencies_file_path=conda_dependencies_file_path,
                         pip_requirements_file_path=pip_requirements_file_path,
                         conda_dependencies_file=conda_dependencies_file, pip_requirements_file=pip_requirements_file,
                         environment_variables=environment_variables,
                         environment_definition=environment_definition, inputs=inputs, shm_size=shm_size,
                         resume_from=resume_from, max_run_duration_seconds=max_run_duration_seconds,
                         framework_version=framework_version)

    def _warn_deprecated(self) -> None:
        module_logger.warning("'SKLearn' estimator is deprecated. Please use 'ScriptRunConfig' from "
                              "'azureml.core.script_run_config' with your own defined environment or the "
                              "AzureML-Tutorial curated environment.")


__all__ = ["SKLearn"]
