"""Simulated ``azureml.pipeline.core``: Pipeline, PipelineData, PipelineRun, StepRun, PublishedPipeline,
Schedule and ScheduleRecurrence. The other names of the real package (PipelineParameter, PipelineEndpoint,
PipelineDraft, ...) are known, and using one says plainly that it is not simulated yet."""

from __future__ import annotations

from sim.azureml.pipeline.core.builder import PipelineData
from sim.azureml.pipeline.core.graph import PublishedPipeline
from sim.azureml.pipeline.core.pipeline import Pipeline
from sim.azureml.pipeline.core.run import PipelineRun, PortDataReference, StepRun
from sim.azureml.pipeline.core.schedule import Schedule, ScheduleRecurrence

__all__ = ["Pipeline", "PipelineData", "PipelineRun", "PortDataReference", "StepRun", "PublishedPipeline",
           "Schedule", "ScheduleRecurrence"]
_NOT_YET = ("PipelineParameter", "PipelineEndpoint", "PipelineDraft", "PipelineDataset", "PipelineStep",
            "StepSequence", "TrainingOutput", "StepRunOutput", "Module", "ModuleVersion",
            "ModuleVersionDescriptor", "InputPortBinding", "OutputPortBinding", "TimeZone")


def __getattr__(name):
    if name in _NOT_YET:
        from sim.azureml._common.not_simulated import not_simulated

        not_simulated(f"azureml.pipeline.core.{name}")
    raise AttributeError(f"module 'azureml.pipeline.core' has no attribute {name!r}")
