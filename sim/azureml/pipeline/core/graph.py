"""``azureml.pipeline.core.graph``: PublishedPipeline (a pipeline kept by the service behind a REST endpoint),
PipelineParameter (a value a run can be given without changing the pipeline) and TrainingOutput (the best model
or the metrics of an AutoMLStep, as one of its outputs)."""

from __future__ import annotations

import sim.cloud.pipelines.graphs
import sim.cloud.pipelines.published
from sim import messages
from sim.azureml._common.service_errors import v1_service

_graphs = v1_service(sim.cloud.pipelines.graphs)
_published = v1_service(sim.cloud.pipelines.published)

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
        item = _graphs.publish(workspace._record, name, steps, description=description, version=version,
                               continue_on_step_failure=bool(continue_on_step_failure))
        return cls._from_item(workspace, item)

    @staticmethod
    def get(workspace, id, _workflow_provider=None, _service_endpoint=None):
        """The published pipeline with this id."""
        return PublishedPipeline._from_item(workspace, _published.get(workspace._record, id))

    @staticmethod
    def list(workspace, active_only=True, _service_endpoint=None):
        """The workspace's published pipelines (only the active ones by default)."""
        items = _published.list_published(workspace._record, active_only)
        return [PublishedPipeline._from_item(workspace, item) for item in items]

    get_all = list

    def submit(self, workspace, experiment_name, pipeline_parameters=None, _workflow_provider=None,
               _service_endpoint=None, parent_run_id=None, continue_on_step_failure=None):
        """Start a run of this pipeline in ``experiment_name`` (``pipeline_parameters``: {name: value} for its
        PipelineParameters, the others keep their defaults); returns the PipelineRun."""
        from sim.azureml.core.experiment import Experiment
        from sim.azureml.pipeline.core.run import PipelineRun

        row = _published.submit(workspace._record, self._id, experiment_name, _parameter_values(pipeline_parameters),
                                continue_on_step_failure)
        return PipelineRun(Experiment(workspace, experiment_name), row["run_id"])

    def _submit_to(self, experiment, tags=None, pipeline_parameters=None, continue_on_step_failure=None, **kwargs):
        """Start a run in ``experiment`` (``Experiment.submit(published_pipeline)``); returns the PipelineRun."""
        run = self.submit(experiment.workspace, experiment.name, pipeline_parameters,
                          continue_on_step_failure=continue_on_step_failure)
        if tags:
            run.set_tags(tags)
        return run

    def get_step_names(self, _workflow_provider=None):
        """The names of the pipeline's steps."""
        return [step["name"] for step in _published.get(self._workspace._record, self._id)["steps"]]

    def save(self, path=None, _workflow_provider=None):
        """Not simulated: saving a published pipeline's YAML definition."""
        from sim.azureml._common.not_simulated import not_simulated

        not_simulated("PublishedPipeline.save")

    def disable(self):
        """Stop the endpoint (and schedules) from starting runs."""
        self._set_status(_published.DISABLED)

    def enable(self):
        """Let the endpoint start runs again."""
        self._set_status(_published.ACTIVE)

    def _set_status(self, status: str) -> None:
        self._status = _published.set_status(self._workspace._record, _published.KIND, self._id, status)["status"]

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


class PipelineParameter:
    """A value a pipeline run can be given without changing the pipeline: put it in a step's ``arguments`` (the
    script gets the run's value; a DataPath parameter, paired with a ``DataPathComputeBinding``, gets the folder the
    path names) and set it at submit time with ``pipeline_parameters={name: value}``, a published pipeline's REST
    ``ParameterAssignments`` or a schedule. Unset, it has ``default_value``.

    Difference from Azure: the value reaches the script as a command-line argument only (Azure also sets the
    environment variable ``AML_PARAMETER_<name>``). A dataset parameter (a TabularDataset or FileDataset as
    default_value, consumed with ``DatasetConsumptionConfig(name, parameter)``) reaches the script directly
    (``run.input_datasets[name]``); consumed as a mount or download it is not simulated.
    """

    def __init__(self, name, default_value):
        """Name the parameter and give its default (a string, number, boolean, DataPath or dataset)."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError(messages.PIPELINE_PARAMETER_NAME.format(name=name))
        if _kind_of(default_value) is None:
            raise ValueError(messages.PIPELINE_PARAMETER_DEFAULT.format(name=name,
                                                                        type_name=type(default_value).__name__))
        self.name = name
        self.default_value = default_value

    def _declaration(self) -> dict:
        """The parameter as a step declares it to the service."""
        return {"kind": _kind_of(self.default_value), "default": _service_value(self.default_value)}

    def _placeholder(self) -> str:
        return f"$AML_PARAMETER_{self.name}"

    def __str__(self):
        return f"PipelineParameter(name={self.name!r}, default_value={self.default_value!r})"

    __repr__ = __str__


class TrainingOutput:
    """Which output of a training step (an AutoMLStep) a PipelineData holds: ``type`` 'Metrics' (every trial's
    metrics, as JSON) or 'Model' (the best model, pickled); ``iteration`` / ``metric`` are not simulated (the best
    trial by the primary metric is written)."""

    def __init__(self, type, iteration=None, metric=None, model_file=None):
        """Describe the output (``type``: 'Metrics' or 'Model')."""
        if type not in ("Metrics", "Model"):
            raise ValueError(messages.TRAINING_OUTPUT_TYPE.format(type=type))
        if iteration is not None or metric is not None or model_file is not None:
            from sim.azureml._common.not_simulated import not_simulated

            not_simulated("TrainingOutput(iteration=..., metric=..., model_file=...)")
        self._type, self._iteration, self._metric, self._model_file = type, iteration, metric, model_file

    type = property(lambda self: self._type, doc="'Metrics' or 'Model'.")
    iteration = property(lambda self: self._iteration, doc="The trial whose model it is (None: the best).")
    metric = property(lambda self: self._metric, doc="The metric the best model is chosen by (None: primary).")
    model_file = property(lambda self: self._model_file, doc="A file of the model to output (None).")


def _kind_of(value) -> str | None:
    """'literal' for a plain value, 'datapath' for a DataPath, 'dataset' for a dataset, None for anything else."""
    from sim.azureml.data.abstract_dataset import AbstractDataset
    from sim.azureml.data.datapath import DataPath

    if isinstance(value, DataPath):
        return "datapath"
    if isinstance(value, AbstractDataset):
        return "dataset"
    return "literal" if isinstance(value, str | int | float | bool) else None


def _service_value(value):
    """A parameter value as the service takes it (a DataPath as its datastore and path, a dataset as its
    saved definition)."""
    kind = _kind_of(value)
    if kind == "datapath":
        return {"datastore": value.datastore_name, "path": value.path_on_datastore}
    if kind == "dataset":
        from sim.azureml.data.dataset_consumption_config import dataset_reference

        return dataset_reference(value)
    return value


def _parameter_values(given) -> dict:
    """``pipeline_parameters`` as the service takes them ({name: value})."""
    if given is None:
        return {}
    if not isinstance(given, dict):
        raise ValueError(messages.PIPELINE_PARAMETERS_NOT_DICT.format(type_name=type(given).__name__))
    return {str(name): _service_value(value) for name, value in given.items()}


__all__ = ["PipelineParameter", "PublishedPipeline", "TrainingOutput"]
