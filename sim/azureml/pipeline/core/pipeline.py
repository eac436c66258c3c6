"""``azureml.pipeline.core.pipeline``: Pipeline, the steps submitted together as one pipeline run."""

from __future__ import annotations

import sim.cloud.pipelines.graphs
from sim.azureml._common.service_errors import v1_service

_graphs = v1_service(sim.cloud.pipelines.graphs)


class Pipeline:
    """A graph of steps; the order comes from the data they pass (a step that reads another's output runs
    after it). Submit it with ``Experiment.submit(pipeline)`` or ``pipeline.submit(experiment_name)``, giving its
    PipelineParameters values with ``pipeline_parameters={name: value}``."""

    def __init__(self, workspace, steps, description=None, default_datastore=None, default_source_directory=None,
                 resolve_closure=True, _workflow_provider=None, _service_endpoint=None, **kwargs):
        """Describe the pipeline (``steps``: a list of steps, or one step)."""
        self._workspace = workspace
        self._steps = list(steps) if isinstance(steps, list | tuple) else [steps]
        self.description = description
        self._default_source_directory = default_source_directory

    def _resolved_steps(self) -> list[dict]:
        return [step._resolve(self._workspace, self._default_source_directory) for step in self._steps]

    def validate(self):
        """Check the steps can be resolved (folders, datasets, outputs); returns the list of problems (none)."""
        self._resolved_steps()
        return []

    def _submit_to(self, experiment, tags=None, regenerate_outputs=False, continue_on_step_failure=None,
                   pipeline_parameters=None, **kwargs):
        """Start a pipeline run in ``experiment`` (called by ``Experiment.submit``); returns the PipelineRun."""
        from sim.azureml.pipeline.core.graph import _parameter_values
        from sim.azureml.pipeline.core.run import PipelineRun

        row = _graphs.submit(experiment.workspace._record, experiment.name, self._resolved_steps(),
                             regenerate_outputs=bool(regenerate_outputs),
                             continue_on_step_failure=bool(continue_on_step_failure), tags=tags,
                             pipeline_parameters=_parameter_values(pipeline_parameters))
        return PipelineRun(experiment, row["run_id"])

    def submit(self, experiment_name, pipeline_parameters=None, continue_on_step_failure=False,
               regenerate_outputs=False, parent_run_id=None, credential_passthrough=None, **kwargs):
        """Submit the pipeline to the experiment named ``experiment_name``; returns the PipelineRun."""
        from sim.azureml.core.experiment import Experiment

        return self._submit_to(Experiment(self._workspace, experiment_name), regenerate_outputs=regenerate_outputs,
                               continue_on_step_failure=continue_on_step_failure,
                               pipeline_parameters=pipeline_parameters)

    def publish(self, name=None, description=None, version=None, continue_on_step_failure=None):
        """Publish the pipeline: it gets a REST endpoint that starts a run of these steps."""
        from sim.azureml.pipeline.core.graph import PublishedPipeline

        return PublishedPipeline._publish(self._workspace, self._resolved_steps(), name, description, version,
                                          continue_on_step_failure)


__all__ = ["Pipeline"]
