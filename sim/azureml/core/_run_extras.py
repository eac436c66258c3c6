"""The less-used `Run` members, kept apart so `run.py` stays readable: listings, children, snapshots.

Members Azure ML has but the simulator does not model raise the clear "not simulated" error.
"""

from __future__ import annotations

import sim.cloud.runs.interactive
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml._common.service_errors import v1_service

_interactive = v1_service(sim.cloud.runs.interactive)

TYPE_PROVIDERS: dict = {}  # run type -> factory(experiment, run_id), filled through Run.add_type_provider
# Where the simulator's own run types register their providers. The real SDK finds installed packages' providers
# through entry points, so a listing rebuilds a HyperDriveRun even in a process that never imported hyperdrive.
PROVIDER_MODULES = {"hyperdrive": "sim.azureml.train.hyperdrive",
                    "azureml.PipelineRun": "sim.azureml.pipeline.core.run"}


def type_provider(run_type: str):
    """The factory registered for `run_type`, importing the simulator module that registers it; None if none."""
    if run_type not in TYPE_PROVIDERS and run_type in PROVIDER_MODULES:
        import importlib

        importlib.import_module(PROVIDER_MODULES[run_type])
    return TYPE_PROVIDERS.get(run_type)


class _RunExtras:
    """Mixed into `Run`."""

    @property
    def identity(self):
        """The run's logging identity (the SDK's ChainedIdentity name)."""
        return f"{type(self).__name__}#{self.id}"

    @staticmethod
    def list(experiment, type=None, tags=None, properties=None, status=None, include_children=False,
             _rehydrate_runs=True):
        """The experiment's runs (newest first), filtered like `Experiment.get_runs`, plus by status."""
        runs = experiment.get_runs(type=type, tags=tags, properties=properties, include_children=include_children)
        return [r for r in runs if status is None or r.get_status() == status]

    @staticmethod
    def list_by_compute(compute, type=None, tags=None, properties=None, status=None):
        """The runs (of every experiment of its workspace) that ran on a compute target."""
        from sim.azureml.core.experiment import Experiment

        workspace = compute.workspace
        for experiment in Experiment.list(workspace):
            for run in _RunExtras.list(experiment, type, tags, properties, status, include_children=True):
                if run._row["target"] == compute.name:  # the listed record says where it ran: no details read
                    yield run

    @classmethod
    def get_submitted_run(cls, **kwargs):
        """DEPRECATED (use get_context): the run this submitted script executes in."""
        return cls.get_context(**kwargs)

    def get_detailed_status(self):
        """The status with any extra detail the service has ({'status': ..., 'details': ...})."""
        details = self.get_details()
        return {"status": details["status"], "details": details.get("error")}

    def start(self):
        """Mark a not-started interactive run as Running (a job's run is started by its job)."""
        _interactive.mark_started(self._record, self.id)

    def create_children(self, count=None, tag_key=None, tag_values=None):
        """Create several child runs at once (`count` of them, or one per value in `tag_values`, tagged
        `tag_key`=value), in one request to the service as the SDK's batch call; they start Running."""
        from sim.azureml.core.run import Run

        values = list(tag_values) if tag_values is not None else [None] * int(count or 0)
        if not values:
            return []
        tags = [{tag_key: value} if tag_key is not None and value is not None else {} for value in values]
        rows = _interactive.start_children(self._record, self.experiment.name, self.id, tags)
        return [Run(self.experiment, row["run_id"], _row=row) for row in rows]

    @staticmethod
    def add_type_provider(runtype, run_factory):
        """Say which class rebuilds runs of a type (e.g. pipelines, HyperDrive) in listings.

        Args:
            runtype: the run type string stored with the run (e.g. 'azureml.PipelineRun').
            run_factory: called as `run_factory(experiment, run_id)`; returns the run object.
        """
        TYPE_PROVIDERS[runtype] = run_factory

    def clean(self):
        """Not simulated: jobs here leave no local docker/conda folders to clean."""
        not_simulated("Run.clean")

    def get_snapshot_id(self):
        """Not simulated: snapshots are folders of the job, without ids."""
        not_simulated("Run.get_snapshot_id")

    def restore_snapshot(self, snapshot_id=None, path=None):
        """Not simulated: snapshots cannot be restored."""
        not_simulated("Run.restore_snapshot")

    def take_snapshot(self, file_or_folder_path):
        """Not simulated: the snapshot is taken when a script is submitted."""
        not_simulated("Run.take_snapshot")

    def submit_child(self, config, tags=None, **kwargs):
        """Not simulated: submit the child's script with experiment.submit instead."""
        not_simulated("Run.submit_child")


def active_runs(workspace):
    """The workspace's runs not yet Completed, Failed or Canceled, as Run objects of their own type, oldest first."""
    from sim.azureml.core.experiment import Experiment
    from sim.azureml.core.run import Run

    experiments = {}
    for row in _interactive.active_runs(workspace._record):
        name = row["experiment"]
        experiment = experiments.setdefault(name, Experiment(workspace, name))
        yield Run._rehydrate(experiment, row)
