"""``azureml.pipeline.core.graph``: PublishedPipeline, a pipeline kept by the service behind a REST endpoint."""

from __future__ import annotations

from sim.azureml._common.service_errors import v1_errors
from sim.cloud.pipelines import published

ENDPOINT = ("https://{region}.api.azureml.ms/pipelines/v1.0/subscriptions/{sub}/resourceGroups/{rg}/providers/"
            "Microsoft.MachineLearningServices/workspaces/{ws}/PipelineRuns/PipelineSubmit/{id}")


class PublishedPipeline:
    """A published pipeline: ``endpoint`` starts a run of its steps when POSTed with an authorization header
    and ``{"ExperimentName": ...}``; ``submit`` does the same from Python."""

    def __init__(self, name, graph_id, description, version, published_pipeline_id, status, endpoint,
                 total_run_steps, workspace, continue_on_step_failure=None, _pipeline_provider=None, **kwargs):
        """Wrap a published pipeline's record (use ``Pipeline.publish`` or ``PublishedPipeline.get``)."""
        self._name, self._graph_id, self._description, self._version = name, graph_id, description, version
        self._id, self._status, self._endpoint = published_pipeline_id, status, endpoint
        self._total_run_steps, self._workspace = total_run_steps, workspace
        self._continue_on_step_failure = continue_on_step_failure

    @classmethod
    def _from_item(cls, workspace, item: dict):
        record = workspace._record
        endpoint = ENDPOINT.format(region=record.location, sub=record.subscription_id, rg=record.resource_group,
                                   ws=record.name, id=item["id"])
        return cls(item["name"], item["graph_id"], item["description"], item["version"], item["id"],
                   item["status"], endpoint, len(item["steps"]), workspace, item["continue_on_step_failure"])

    @classmethod
    def _publish(cls, workspace, steps, name, description, version, continue_on_step_failure):
        with v1_errors():
            item = published.publish(workspace._record, name, steps, description=description, version=version,
                                     continue_on_step_failure=bool(continue_on_step_failure))
        return cls._from_item(workspace, item)

    @staticmethod
    def get(workspace, id, _workflow_provider=None, _service_endpoint=None):
        """The published pipeline with this id."""
        with v1_errors():
            return PublishedPipeline._from_item(workspace, published.get(workspace._record, id))

    @staticmethod
    def list(workspace, active_only=True, _service_endpoint=None):
        """The workspace's published pipelines (only the active ones by default)."""
        with v1_errors():
            items = published.list_published(workspace._record, active_only)
        return [PublishedPipeline._from_item(workspace, item) for item in items]

    get_all = list

    def submit(self, workspace, experiment_name, pipeline_parameters=None, _workflow_provider=None,
               _service_endpoint=None, parent_run_id=None, continue_on_step_failure=None):
        """Start a run of this pipeline in ``experiment_name``; returns the PipelineRun."""
        from sim.azureml.core.experiment import Experiment
        from sim.azureml.pipeline.core.run import PipelineRun

        with v1_errors():
            row = published.submit(workspace._record, self._id, experiment_name, pipeline_parameters)
        return PipelineRun(Experiment(workspace, experiment_name), row["run_id"])

    def disable(self):
        """Stop the endpoint (and schedules) from starting runs."""
        self._set_status(published.DISABLED)

    def enable(self):
        """Let the endpoint start runs again."""
        self._set_status(published.ACTIVE)

    def _set_status(self, status: str) -> None:
        with v1_errors():
            self._status = published.set_status(self._workspace._record, "published_pipelines", self._id,
                                                status)["status"]

    name = property(lambda self: self._name, doc="The published pipeline's name.")
    id = property(lambda self: self._id, doc="The published pipeline's id.")
    graph_id = property(lambda self: self._graph_id, doc="The id of its graph.")
    description = property(lambda self: self._description, doc="Its description.")
    version = property(lambda self: self._version, doc="Its version text.")
    status = property(lambda self: self._status, doc="Active or Disabled.")
    endpoint = property(lambda self: self._endpoint, doc="The REST endpoint that starts a run.")
    total_run_steps = property(lambda self: self._total_run_steps, doc="How many steps it runs.")
    continue_on_step_failure = property(lambda self: self._continue_on_step_failure,
                                        doc="Whether the other steps go on after one fails.")

    def __repr__(self):
        return (f"PublishedPipeline(Name: {self._name}, Id: {self._id}, Status: {self._status}, "
                f"Endpoint: {self._endpoint})")


__all__ = ["PublishedPipeline"]
