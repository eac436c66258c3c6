"""Simulated ``azureml.pipeline.core``: Pipeline, PipelineData, PipelineParameter, PipelineRun, StepRun,
StepRunOutput, PublishedPipeline, PipelineEndpoint, Schedule, ScheduleRecurrence and TrainingOutput. The other
names of the real package (PipelineDraft, Module, ...) are known, and using one says plainly that it is not
simulated yet."""

from __future__ import annotations

from sim.azureml.pipeline.core.builder import PipelineData
from sim.azureml.pipeline.core.graph import PipelineParameter, PublishedPipeline, TrainingOutput
from sim.azureml.pipeline.core.pipeline import Pipeline
from sim.azureml.pipeline.core.pipeline_endpoint import PipelineEndpoint
from sim.azureml.pipeline.core.run import PipelineRun, PortDataReference, StepRun, StepRunOutput
from sim.azureml.pipeline.core.schedule import Schedule, ScheduleRecurrence

__all__ = ["Pipeline", "PipelineData", "PipelineEndpoint", "PipelineParameter", "PipelineRun", "PortDataReference",
           "StepRun", "StepRunOutput", "PublishedPipeline", "Schedule", "ScheduleRecurrence", "TrainingOutput"]
_NOT_YET = ("PipelineDraft", "PipelineDataset", "PipelineStep", "StepSequence", "Module", "ModuleVersion",
            "ModuleVersionDescriptor", "InputPortBinding", "OutputPortBinding", "TimeZone")


def __getattr__(name):
    if name in _NOT_YET:
        from sim.azureml._common.not_simulated import not_simulated

        not_simulated(f"azureml.pipeline.core.{name}")
    raise AttributeError(f"module 'azureml.pipeline.core' has no attribute {name!r}")
