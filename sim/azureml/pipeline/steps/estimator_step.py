"""``azureml.pipeline.steps.estimator_step``: EstimatorStep (deprecated in the SDK: use PythonScriptStep or
CommandStep), an Estimator's training script run as a step of a pipeline."""

from __future__ import annotations

import logging

from sim import messages
from sim.azureml.pipeline.steps.python_script_step import PythonScriptStep

module_logger = logging.getLogger("azureml.pipeline.steps.estimator_step")


class EstimatorStep(PythonScriptStep):
    """DEPRECATED in the SDK. Run an Estimator's entry script as a pipeline step: its source directory, script and
    environment, on ``compute_target``, with ``estimator_entry_script_arguments`` (after the estimator's own
    ``script_params``) as its command line; the estimator's ``inputs`` and the step's ``inputs`` / ``outputs``
    are bound as a PythonScriptStep binds them.
    """

    def __init__(self, name=None, estimator=None, estimator_entry_script_arguments=None,
                 runconfig_pipeline_params=None, inputs=None, outputs=None, compute_target=None, allow_reuse=True,
                 version=None):
        """Describe the step (``estimator``, ``estimator_entry_script_arguments`` and ``compute_target`` are
        required, as in the SDK)."""
        module_logger.warning("'EstimatorStep' is deprecated. Please use 'CommandStep' or 'PythonScriptStep' with a "
                              "ScriptRunConfig's environment instead.")
        _require(estimator, estimator_entry_script_arguments, compute_target)
        config = estimator._script_run_config
        super().__init__(config.script, name=name, arguments=[*config.arguments, *estimator_entry_script_arguments],
                         compute_target=compute_target, runconfig=config.run_config,
                         runconfig_pipeline_params=runconfig_pipeline_params,
                         inputs=[*getattr(config, "_inputs", []), *(inputs or [])], outputs=outputs,
                         source_directory=config.source_directory, allow_reuse=allow_reuse, version=version)
        self._estimator = estimator

    def __repr__(self):
        return f"EstimatorStep(name={self.name!r}, script_name={self._script!r})"


def _require(estimator, arguments, compute_target) -> None:
    """The SDK's required arguments, each refused with what to give."""
    if estimator is None or not hasattr(estimator, "_script_run_config"):
        raise ValueError(messages.ESTIMATOR_STEP_NEEDS_ESTIMATOR.format(type_name=type(estimator).__name__))
    if not isinstance(arguments, list):
        raise ValueError(messages.ESTIMATOR_STEP_NEEDS_ARGUMENTS)
    if compute_target is None:
        raise ValueError(messages.ESTIMATOR_STEP_NEEDS_COMPUTE)


__all__ = ["EstimatorStep"]
