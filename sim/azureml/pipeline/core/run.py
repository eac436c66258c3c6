"""``azureml.pipeline.core.run``: PipelineRun (the run of a whole pipeline) and StepRun (one step's run)."""

from __future__ import annotations

import time

import sim.cloud.datastores
import sim.cloud.pipelines
import sim.cloud.pipelines.graphs
from sim import messages
from sim.azureml._common.service_errors import v1_service
from sim.azureml.core.run import Run
from sim.cloud.pipelines import _nodes  # its property names (constants) only
from sim.cloud.runs import state  # its status names (constants) only

_pipelines = v1_service(sim.cloud.pipelines)
_graphs = v1_service(sim.cloud.pipelines.graphs)
_datastores = v1_service(sim.cloud.datastores)

POLL_SECONDS = 0.3


class PipelineRun(Run):
    """The run of a submitted pipeline; its children are the steps' runs (StepRun)."""

    RUN_TYPE = sim.cloud.pipelines.RUN_TYPE

    def __init__(self, experiment, run_id, _service_endpoint=None, **kwargs):
        super().__init__(experiment, run_id, **kwargs)

    def get_status(self):
        """The pipeline's status (NotStarted, Running, Completed, Failed, Canceled), moved on to now."""
        return _pipelines.get(self._record, self._run_id)["status"]

    def cancel(self):
        """Cancel the pipeline: its running steps are canceled (their jobs stopped) and no further step starts."""
        _pipelines.cancel(self._record, self._run_id)

    def get_steps(self):
        """The runs of the steps that have started, in the order they run, as StepRun objects (a generator)."""
        rows = _pipelines.steps(self._record, self._run_id)
        return (StepRun(self._experiment, row["run_id"], self._run_id, (row["properties"] or {}).get(_nodes.NODE),
                        _row=row) for row in rows)

    def get_children(self, recursive=False, tags=None, properties=None, type=None, status=None,
                     _rehydrate_runs=True):
        """The steps' runs (StepRun) in the order they run, as a generator (``next(run.get_children())``)."""
        return (s for s in self.get_steps() if status is None or s.get_status() == status)

    def find_step_run(self, name):
        """The runs of the steps called ``name``."""
        return [s for s in self.get_steps() if s.display_name == name]

    def wait_for_completion(self, show_output=True, timeout_seconds=9223372036854775807, raise_on_error=True):
        """Block until the pipeline ends, printing each step's status changes when ``show_output``; returns
        the pipeline's status."""
        deadline = time.monotonic() + min(timeout_seconds, 10**9)
        seen = {}
        print(f"PipelineRunId: {self.id}\nLink to Azure Machine Learning Portal: {self.get_portal_url()}")
        while (status := self.get_status()) not in state.TERMINAL and time.monotonic() < deadline:
            if show_output:
                self._print_changes(seen)
            time.sleep(POLL_SECONDS)
        if show_output:
            self._print_changes(seen)
            print(f"PipelineRun Status: {status}\n\nPipelineRun Execution Summary\n==============================\n"
                  f"PipelineRun Status: {status}\n{self.get_details()}")
        if raise_on_error and status == state.FAILED:
            from sim.azureml.exceptions import ActivityFailedException

            raise ActivityFailedException(error_details=str(self.get_details().get("error")))
        return status

    def _print_changes(self, seen: dict) -> None:
        for step in self.get_steps():
            status = step.get_status()
            if seen.get(step.id) != status:
                seen[step.id] = status
                reused = " (reused)" if step._is_reused else ""
                print(f"StepRun({step.display_name}) Status: {status}{reused}")

    def get_pipeline_output(self, pipeline_output_name):
        """The PortDataReference of the output a step's PipelineData promoted with ``pipeline_output_name``."""
        nodes = _pipelines.get(self._record, self._run_id)["definition"]["plan"]["nodes"]
        for node in nodes.values():
            for name, where in (node.get("named_outputs") or {}).items():
                if where.get("pipeline_output") == pipeline_output_name:
                    return PortDataReference(self._experiment.workspace, self._run_id, dict(where, name=name))
        from sim.azureml.exceptions import UserErrorException

        raise UserErrorException(messages.PIPELINE_OUTPUT_UNKNOWN.format(run_id=self._run_id,
                                                                         name=pipeline_output_name))

    def publish_pipeline(self, name, description, version, continue_on_step_failure=None, **kwargs):
        """Publish the steps this run ran: a PublishedPipeline with a REST endpoint that starts new runs."""
        from sim.azureml.pipeline.core.graph import PublishedPipeline

        item = _graphs.publish_run(self._record, self._run_id, name, description=description, version=version,
                                   continue_on_step_failure=bool(continue_on_step_failure))
        return PublishedPipeline._from_item(self._experiment.workspace, item)

    @staticmethod
    def get_pipeline_runs(workspace, pipeline_id, _service_endpoint=None):
        """The runs started from the published pipeline ``pipeline_id``, newest first."""
        from sim.azureml.core.experiment import Experiment

        found = []
        for experiment in workspace.experiments.values():
            runs = experiment.get_runs(type=PipelineRun.RUN_TYPE, properties={"azureml.pipelineid": pipeline_id})
            found.extend(PipelineRun(Experiment(workspace, experiment.name), r.id) for r in runs)
        return found


class StepRun(Run):
    """The run of one step of a pipeline run (a reused step points at the run whose outputs it took)."""

    def __init__(self, experiment, step_run_id, pipeline_run_id, node_id, _service_endpoint=None, _is_reused=False,
                 _current_node_id=None, _reused_run_id=None, _reused_node_id=None, _reused_pipeline_run_id=None,
                 **kwargs):
        super().__init__(experiment, step_run_id, **kwargs)
        properties = self._row.get("properties") or {}
        self._pipeline_run_id = pipeline_run_id
        self._node_id = node_id
        self._is_reused = _is_reused or properties.get(_nodes.IS_REUSED) == "true"
        self._reused_run_id = _reused_run_id or properties.get(_nodes.REUSED_RUN)

    @property
    def pipeline_run_id(self):
        """The id of the pipeline run this step belongs to."""
        return self._pipeline_run_id

    def get_outputs(self):
        """{output name: PortDataReference} of what this step wrote."""
        plan = _pipelines.get(self._record, self._pipeline_run_id)["definition"]["plan"]
        named = plan["nodes"].get(self._node_id, {}).get("named_outputs") or {}
        return {name: PortDataReference(self._experiment.workspace, self._pipeline_run_id, dict(where, name=name),
                                        step_run=self) for name, where in named.items()}

    def get_output(self, name):
        """The output called ``name`` (a PortDataReference)."""
        found = self.get_outputs()
        if name not in found:
            from sim.azureml.exceptions import UserErrorException

            raise UserErrorException(messages.STEP_OUTPUT_UNKNOWN.format(name=name, step=self.display_name,
                                                                         outputs=sorted(found) or "none"))
        return found[name]

    get_output_data = get_output


class PortDataReference:
    """Where a step's output is: a folder on a datastore, which ``download`` copies to a local folder."""

    def __init__(self, context, pipeline_run_id, data_reference, step_run=None):
        """``context`` is the workspace; ``data_reference`` names the datastore and the path on it."""
        self._workspace, self._pipeline_run_id, self._where = context, pipeline_run_id, data_reference
        self._step_run = step_run

    name = property(lambda self: self._where["name"], doc="The output's name.")
    datastore_name = property(lambda self: self._where["datastore"], doc="The datastore that holds it.")
    path_on_datastore = property(lambda self: self._where["path"], doc="Its folder on the datastore.")

    @property
    def datastore(self):
        """The datastore that holds it."""
        from sim.azureml.core.datastore import Datastore

        return Datastore.get(self._workspace, self.datastore_name)

    def download(self, local_path, overwrite=None, show_progress=None):
        """Copy the output's files to ``local_path/<path on datastore>`` (the service copies them; files already
        there are replaced unless ``overwrite=False``); returns that folder."""
        import os

        _datastores.download(self._workspace._record, self.datastore_name, os.path.abspath(os.fspath(local_path)),
                             prefix=self.path_on_datastore, overwrite=overwrite is not False)
        return os.path.join(os.fspath(local_path), self.path_on_datastore)

    # Microsoft's samples open the downloaded file by this name after download('.').
    _path_on_datastore = property(lambda self: self.path_on_datastore)

    def __repr__(self):
        return f"$AZUREML_DATAREFERENCE_{self.name}"


class StepRunOutput:
    """An output of a step's run: ``get_port_data_reference()`` says where its data is."""

    def __init__(self, context, pipeline_run_id, step_run, name, step_output):
        """``step_output`` is the PortDataReference of the data."""
        self._context, self._pipeline_run_id, self._step_run = context, pipeline_run_id, step_run
        self._name, self._reference = name, step_output

    name = property(lambda self: self._name, doc="The output's name.")

    def get_port_data_reference(self):
        """The PortDataReference of the output's data (``download`` copies it)."""
        return self._reference


Run.add_type_provider(PipelineRun.RUN_TYPE, PipelineRun)

__all__ = ["PipelineRun", "PortDataReference", "StepRun", "StepRunOutput"]
