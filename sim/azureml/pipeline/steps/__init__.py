"""Simulated ``azureml.pipeline.steps``: PythonScriptStep, ParallelRunStep and ParallelRunConfig, EstimatorStep,
AutoMLStep and AutoMLStepRun.

The other step kinds of the real package are named, and importing one says plainly that it is not simulated
yet."""

from __future__ import annotations

from sim.azureml.pipeline.steps.estimator_step import EstimatorStep
from sim.azureml.pipeline.steps.parallel_run_step import ParallelRunConfig, ParallelRunStep
from sim.azureml.pipeline.steps.python_script_step import PythonScriptStep

__all__ = ["AutoMLStep", "AutoMLStepRun", "EstimatorStep", "ParallelRunConfig", "ParallelRunStep",
           "PythonScriptStep"]
_NOT_YET = ("HyperDriveStep",
            "HyperDriveStepRun", "CommandStep", "DataTransferStep", "DatabricksStep", "MpiStep", "ModuleStep",
            "AdlaStep", "AzureBatchStep", "KustoStep", "RScriptStep", "SynapseSparkStep")


def __getattr__(name):
    if name in ("AutoMLStep", "AutoMLStepRun"):  # imported when asked for: AutoML brings scikit-learn
        from sim.azureml.pipeline.steps import automl_step

        return getattr(automl_step, name)
    if name in _NOT_YET:
        from sim.azureml._common.not_simulated import not_simulated

        not_simulated(f"azureml.pipeline.steps.{name}")
    raise AttributeError(f"module 'azureml.pipeline.steps' has no attribute {name!r}")
