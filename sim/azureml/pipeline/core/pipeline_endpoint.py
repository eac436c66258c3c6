"""``azureml.pipeline.core.pipeline_endpoint``: PipelineEndpoint, one name and REST address in front of published
pipelines kept as versions ("0", "1", ...), and PipelineIdVersion, one of those versions."""

from __future__ import annotations

import sim.cloud.pipelines.endpoints
from sim import messages
from sim.azureml._common.service_errors import v1_service
from sim.cloud.pipelines.published import ACTIVE, DISABLED  # status names (constants)

_endpoints = v1_service(sim.cloud.pipelines.endpoints)

ENDPOINT = ("https://{region}.api.azureml.ms/pipelines/v1.0/subscriptions/{sub}/resourceGroups/{rg}/providers/"
            "Microsoft.MachineLearningServices/workspaces/{ws}/PipelineRuns/PipelineEndpointSubmit/Id/{id}")


class PipelineIdVersion:
    """One version of a pipeline endpoint: the published pipeline's id and the version's name."""

    def __init__(self, pipeline_id, version):
        """Pair a published pipeline id with a version."""
        self.pipeline_id, self.version = pipeline_id, version

    def __repr__(self):
        return f"PipelineIdVersion(pipeline_id={self.pipeline_id!r}, version={self.version!r})"


class PipelineEndpoint:
    """A pipeline endpoint: ``endpoint`` starts a run of its default version (or of the body's
    ``PipelineVersion``) when POSTed with an authorization header and ``{"ExperimentName": ...}``; ``submit`` does
    the same from Python. New versions are added without changing the address."""

    def __init__(self, workspace, id, name, description, status, default_version, endpoint, pipeline_version_list,
                 _pipeline_endpoint_provider=None, _published_pipeline_provider=None, _swaggerurl=None):
        """Wrap an endpoint's record (use ``PipelineEndpoint.publish`` or ``PipelineEndpoint.get``)."""
        self._workspace, self._id, self._name, self._description = workspace, id, name, description
        self._status, self._default_version, self._endpoint = status, default_version, endpoint
        self._pipeline_version_list = pipeline_version_list

    @classmethod
    def _from_item(cls, workspace, item: dict):
        record = workspace._record
        endpoint = ENDPOINT.format(region=record.location, sub=record.subscription_id, rg=record.resource_group,
                                   ws=record.name, id=item["id"])
        versions = [PipelineIdVersion(v["pipeline_id"], v["version"]) for v in item["versions"]]
        return cls(workspace, item["id"], item["name"], item["description"], item["status"],
                   item["default_version"], endpoint, versions)

    def _refresh(self, item: dict) -> None:
        fresh = PipelineEndpoint._from_item(self._workspace, item)
        self.__dict__.update(fresh.__dict__)

    @staticmethod
    def publish(workspace, name, description, pipeline, _workflow_provider=None, _service_endpoint=None):
        """A new endpoint named ``name`` whose version "0" (its default) is ``pipeline`` (a Pipeline, which is
        published first, or a PublishedPipeline)."""
        published_id = _published_id(pipeline, name, description)
        item = _endpoints.publish_endpoint(workspace._record, name, description, published_id)
        return PipelineEndpoint._from_item(workspace, item)

    @staticmethod
    def get(workspace, id=None, name=None, _workflow_provider=None, _service_endpoint=None):
        """The endpoint with this id, or this name."""
        if id is None and name is None:
            raise ValueError(messages.PIPELINE_ENDPOINT_GET_NEEDS_KEY)
        return PipelineEndpoint._from_item(workspace, _endpoints.get_endpoint(workspace._record, id, name))

    @staticmethod
    def list(workspace, active_only=True, max_results=100, _workflow_provider=None, _service_endpoint=None):
        """The workspace's endpoints (only the active ones by default), at most ``max_results``."""
        items = _endpoints.list_endpoints(workspace._record, active_only)
        return [PipelineEndpoint._from_item(workspace, item) for item in items[:max_results]]

    @staticmethod
    def get_all(workspace, active_only=True, _workflow_provider=None, _service_endpoint=None):
        """The workspace's endpoints (only the active ones by default)."""
        return PipelineEndpoint.list(workspace, active_only=active_only, max_results=10**9)

    # ---- versions --------------------------------------------------------------------------------------
    def add(self, pipeline):
        """Add ``pipeline`` (a PublishedPipeline, or a Pipeline published first) as the next version; the default
        stays as it is."""
        self._add(pipeline, make_default=False)

    def add_default(self, pipeline):
        """Add ``pipeline`` as the next version and make it the default."""
        self._add(pipeline, make_default=True)

    def set_default(self, pipeline):
        """Make the version that holds ``pipeline`` (a PublishedPipeline among the versions) the default."""
        version = next((v.version for v in self.list_versions() if v.pipeline_id == pipeline.id), None)
        if version is None:
            from sim.azureml.exceptions import UserErrorException

            raise UserErrorException(messages.PIPELINE_ENDPOINT_NOT_A_VERSION.format(pipeline_id=pipeline.id,
                                                                                    name=self._name))
        self.set_default_version(version)

    def _add(self, pipeline, make_default: bool) -> None:
        published_id = _published_id(pipeline, self._name, self._description)
        self._refresh(_endpoints.add_version(self._workspace._record, self._id, published_id, make_default))

    def set_default_version(self, version):
        """Make version ``version`` (e.g. "1") the default."""
        self._refresh(_endpoints.set_default_version(self._workspace._record, self._id, version))

    def get_default_version(self):
        """The default version's name."""
        return self._default_version

    def get_pipeline(self, version=None):
        """The PublishedPipeline of version ``version`` (the default when None)."""
        from sim.azureml.pipeline.core.graph import PublishedPipeline

        return PublishedPipeline.get(self._workspace, _endpoints.version_pipeline(self._workspace._record, self._id,
                                                                                  version))

    def list_versions(self, _workflow_provider=None, _service_endpoint=None):
        """Every version, as PipelineIdVersion objects."""
        self._refresh(_endpoints.get_endpoint(self._workspace._record, self._id))
        return list(self._pipeline_version_list)

    get_all_versions = list_versions

    def list_pipelines(self, active_only=True, _workflow_provider=None, _service_endpoint=None):
        """The published pipelines of every version (only the active ones by default)."""
        from sim.azureml.pipeline.core.graph import PublishedPipeline

        found = [PublishedPipeline.get(self._workspace, v.pipeline_id) for v in self.list_versions()]
        return [p for p in found if p.status == ACTIVE or not active_only]

    get_all_pipelines = list_pipelines

    # ---- running -----------------------------------------------------------------------------------------
    def submit(self, experiment_name, pipeline_parameters=None, parent_run_id=None, pipeline_version=None):
        """Start a run of the default version (or ``pipeline_version``) in ``experiment_name``; returns the
        PipelineRun."""
        from sim.azureml.core.experiment import Experiment
        from sim.azureml.pipeline.core.graph import _parameter_values
        from sim.azureml.pipeline.core.run import PipelineRun

        row = _endpoints.submit_endpoint(self._workspace._record, self._id, experiment_name,
                                        _parameter_values(pipeline_parameters), pipeline_version)
        return PipelineRun(Experiment(self._workspace, experiment_name), row["run_id"])

    # ---- status and name ---------------------------------------------------------------------------------
    def disable(self):
        """Stop the endpoint from starting runs."""
        self._change(status=DISABLED)

    archive = disable

    def enable(self):
        """Let the endpoint start runs again."""
        self._change(status=ACTIVE)

    def reactivate(self, name):
        """Enable the endpoint again under ``name``; returns it."""
        self._change(status=ACTIVE, name=name)
        return self

    def set_name(self, name):
        """Rename the endpoint (names are unique in a workspace)."""
        self._change(name=name)

    def _change(self, **changes) -> None:
        self._refresh(_endpoints.change(self._workspace._record, self._id, **changes))

    id = property(lambda self: self._id, doc="The endpoint's id.")
    name = property(lambda self: self._name, doc="The endpoint's name.")
    description = property(lambda self: self._description, doc="Its description.")
    status = property(lambda self: self._status, doc="Active or Disabled.")
    default_version = property(lambda self: self._default_version, doc="The version a run uses by default.")
    endpoint = property(lambda self: self._endpoint, doc="The REST address that starts a run.")
    pipeline_version_list = property(lambda self: list(self._pipeline_version_list),
                                     doc="Its versions (PipelineIdVersion).")
    swaggerurl = property(lambda self: self._endpoint.replace("/PipelineRuns/", "/Swagger/"),
                          doc="Where the real service describes the endpoint (not served here).")

    def __repr__(self):
        return (f"PipelineEndpoint(Name: {self._name}, Id: {self._id}, Status: {self._status}, "
                f"Default version: {self._default_version}, Endpoint: {self._endpoint})")

    __str__ = __repr__


def _published_id(pipeline, name, description) -> str:
    """The id of a PublishedPipeline, or of a Pipeline published now under the endpoint's name."""
    if hasattr(pipeline, "publish") and not hasattr(pipeline, "endpoint"):
        pipeline = pipeline.publish(name=name, description=description)
    return pipeline.id


__all__ = ["PipelineEndpoint", "PipelineIdVersion"]
