"""Simulated `azureml.core.experiment`: `Experiment`, the named container of runs in a workspace."""

from __future__ import annotations

import sim.cloud.experiments
import sim.cloud.runs.interactive
import sim.cloud.runs.jobs
import sim.cloud.runs.lifecycle
from sim.azureml._common.service_errors import v1_service
from sim.azureml.core._portal import HasExperimentPortal

DEFAULT_OUTPUTS = "./outputs"  # what an interactive run tracks unless start_logging(outputs=False)

cloud_experiments = v1_service(sim.cloud.experiments)
jobs = v1_service(sim.cloud.runs.jobs)
lifecycle = v1_service(sim.cloud.runs.lifecycle)
interactive = v1_service(sim.cloud.runs.interactive)


class Experiment(HasExperimentPortal):
    """A named group of runs in a workspace (an MLflow experiment in the workspace's store).

    Args:
        workspace: the workspace that holds the experiment.
        name: the experiment name (created when it does not exist yet).
    """

    def __init__(self, workspace, name, _skip_name_validation=False, _id=None, _archived_time=None,
                 _create_in_cloud=True, _experiment_dto=None, **kwargs):
        _check_workspace(workspace)
        self._workspace = workspace
        if _id is not None and not _create_in_cloud:
            self._info = cloud_experiments.ExperimentInfo(str(_id), name, _archived_time, {})
        else:
            self._info = cloud_experiments.get_or_create(workspace._record, name, create=_create_in_cloud)
            jobs.warm_up()  # runs are usually submitted next: get a preloaded job host ready meanwhile

    # ---- identity ----------------------------------------------------------------------------------
    @property
    def name(self):
        """The experiment name."""
        return self._info.name

    @property
    def id(self):
        """The experiment id (the MLflow experiment id)."""
        return self._info.id

    @property
    def workspace(self):
        """The workspace that holds the experiment."""
        return self._workspace

    @property
    def workspace_object(self):
        """(Deprecated) The workspace that holds the experiment."""
        return self._workspace

    @property
    def archived_time(self):
        """When the experiment was archived (None while it is active)."""
        return self._info.archived_time

    @property
    def tags(self):
        """The experiment's tags."""
        return dict(self._info.tags)

    # ---- runs --------------------------------------------------------------------------------------
    def start_logging(self, *args, **kwargs):
        """Start an interactive run (logging from this notebook or script) and return it.

        Keyword Args:
            outputs: a local folder whose files become the run's files when it completes (also
                positional); by default './outputs', as in the real SDK; False: nothing is collected.
            snapshot_directory: must stay None (the default): snapshots of interactive runs are not simulated.
            display_name: the run's display name.
        """
        from sim.azureml._common.not_simulated import not_simulated
        from sim.azureml.core.run import Run

        outputs = kwargs.get("outputs", args[0] if args else None)
        if outputs is None:  # the real SDK tracks ./outputs unless told False
            outputs = DEFAULT_OUTPUTS
        if kwargs.get("snapshot_directory", args[1] if len(args) > 1 else None) is not None:
            not_simulated("Experiment.start_logging(snapshot_directory=...)")
        row = interactive.start(self._workspace._record, self.name, display_name=kwargs.get("display_name"))
        return Run(self, row["run_id"], outputs=outputs)

    def submit(self, config, tags=None, **kwargs):
        """Submit a run configuration (a `ScriptRunConfig`, an Estimator ...) and return the run, which starts
        Starting.

        Args:
            config: what to run.
            tags: tags for the run.
            **kwargs: accepted for parity (e.g. `regenerate_outputs`).
        """
        submitter = getattr(config, "_submit_to", None)
        if submitter is None:
            from sim.azureml.exceptions import ExperimentExecutionException
            from sim.messages import SUBMIT_BAD_CONFIG

            raise ExperimentExecutionException(SUBMIT_BAD_CONFIG.format(type_name=type(config).__name__))
        return submitter(self, tags=tags, **kwargs)

    def get_runs(self, type=None, tags=None, properties=None, include_children=False):
        """Return the experiment's runs, newest first, as a generator.

        Args:
            type: only runs of this type (e.g. 'azureml.scriptrun').
            tags: only runs with these tags (a key, or a dict of key: value).
            properties: only runs with these properties (a key, or a dict).
            include_children: also return child runs.
        """
        from sim.azureml.core.run import Run

        pages = lifecycle.run_pages(self._workspace._record, self.name, include_children=include_children,
                                    run_type=type)
        return (Run._rehydrate(self, row) for row in _filtered(self._workspace._record, pages, tags, properties))

    # ---- lifecycle ---------------------------------------------------------------------------------
    def archive(self):
        """Archive the experiment: it leaves the default listings, its runs are kept."""
        self._info = cloud_experiments.archive(self._workspace._record, self.name)

    def reactivate(self, new_name=None):
        """Bring back an archived experiment, optionally renamed."""
        self._info = cloud_experiments.reactivate(self._workspace._record, self.id, new_name)

    def refresh(self):
        """Reload the experiment from the service."""
        self._info = cloud_experiments.get_by_id(self._workspace._record, self.id)

    def tag(self, key, value=None):
        """Set one tag on the experiment."""
        self.set_tags({key: value})

    def set_tags(self, tags):
        """Set several tags on the experiment."""
        cloud_experiments.set_tags(self._workspace._record, self.id, tags)
        self.refresh()

    def remove_tags(self, tags):
        """Remove tags from the experiment."""
        cloud_experiments.remove_tags(self._workspace._record, self.id, tags)
        self.refresh()

    @staticmethod
    def list(workspace, experiment_name=None, view_type="ActiveOnly", tags=None):
        """Return the workspace's experiments.

        Args:
            workspace: the workspace.
            experiment_name: only the experiment with this name.
            view_type: 'ActiveOnly' (default), 'ArchivedOnly' or 'All'.
            tags: only experiments with these tags.
        """
        _check_workspace(workspace)
        infos = cloud_experiments.list_experiments(workspace._record, experiment_name, view_type, tags)
        return [Experiment(workspace, i.name, _id=i.id, _archived_time=i.archived_time, _create_in_cloud=False)
                for i in infos]

    @property
    def identity(self):
        """The experiment's logging identity (the SDK's ChainedIdentity name)."""
        return f"Experiment#{self.name}"

    @staticmethod
    def from_directory(path, auth=None):
        """Not simulated: project folders (.azureml/project.json) are not used here."""
        from sim.azureml._common.not_simulated import not_simulated

        not_simulated("Experiment.from_directory")

    @classmethod
    def get_docs_url(cls):
        """The documentation page of this class."""
        return "https://learn.microsoft.com/python/api/azureml-core/azureml.core.experiment.experiment"

    @staticmethod
    def delete(workspace, experiment_id):
        """Not simulated: the service only archives experiments here."""
        from sim.azureml._common.not_simulated import not_simulated

        not_simulated("Experiment.delete (use experiment.archive())")

    def __repr__(self):
        return f"Experiment(Name: {self.name},\nWorkspace: {self._workspace.name})"

    def __eq__(self, other):
        return isinstance(other, Experiment) and (self.id, self._workspace._record) == (other.id,
                                                                                        other._workspace._record)

    def __hash__(self):
        return hash((self.id, self.name))


def _filtered(record, pages, tags, properties):
    """The rows of each page whose tags and properties match (a page's tags are read in one query)."""
    import sim.cloud.runs.listing

    listing = v1_service(sim.cloud.runs.listing)
    for rows in pages:
        found = listing.tags(record, [r["run_id"] for r in rows]) if tags else {}
        for row in rows:
            if _matches(found.get(row["run_id"], {}), tags) and _matches(row["properties"] or {}, properties):
                yield row


def _matches(found: dict, wanted) -> bool:
    if not wanted:
        return True
    if isinstance(wanted, str):
        return wanted in found
    return all(found.get(k) == (None if v is None else str(v)) for k, v in dict(wanted).items())


def _check_workspace(workspace) -> None:
    if getattr(workspace, "_record", None) is None:
        from sim.azureml.exceptions import UserErrorException
        from sim.messages import EXPERIMENT_WORKSPACE_TYPE

        raise UserErrorException(EXPERIMENT_WORKSPACE_TYPE.format(type_name=type(workspace).__name__))
