"""`azureml.datadrift.datadriftdetector.DataDriftDetector`: a dataset monitor, over the simulated service.

A detector compares a baseline TabularDataset with a target TabularDataset that has a timestamp column. `backfill`
and `run` start drift runs (Runs of the experiment named after the monitor's id) on the monitor's compute cluster;
`get_output` and `show` read the per-period results the service kept. Scheduled runs are not simulated:
`enable_schedule` records the schedule and warns that nothing will run by itself.
"""

from __future__ import annotations

import datetime as _dt
import warnings

from sim import messages
from sim.azureml._common.service_errors import v1_service
from sim.azureml.datadrift import _output
from sim.azureml.datadrift.alert_configuration import AlertConfiguration
from sim.cloud.datadrift import engine, monitors, results

_monitors = v1_service(monitors)
_engine = v1_service(engine)
_results = v1_service(results)
DEFAULT_VM_SIZE, DEFAULT_MAX_NODES = "STANDARD_DS11_V2", 4  # the cluster create_compute_target=True makes


class DataDriftDetector:
    """A data drift monitor of a workspace (dataset based)."""

    def __init__(self, workspace, name=None, baseline_dataset=None, target_dataset=None, compute_target=None,
                 frequency=None, feature_list=None, alert_config=None, drift_threshold=None, latency=None):
        self._workspace = workspace
        if baseline_dataset is None and target_dataset is None:  # the constructor retrieves an existing monitor
            self._monitor = _monitors.get(workspace._record, name)
            return
        settings = _monitors.check_settings(frequency, drift_threshold, latency, feature_list)
        emails = _alert_emails(alert_config)
        self._monitor = _monitors.create(workspace._record, name, _tabular_id(baseline_dataset, "baseline_dataset"),
                                         _timed_id(target_dataset), _compute_name(compute_target), settings, emails)

    # ---- making and finding monitors -----------------------------------------------------------------

    @staticmethod
    def create_from_datasets(workspace, name, baseline_dataset, target_dataset, compute_target=None, frequency=None,
                             feature_list=None, alert_config=None, drift_threshold=None, latency=None):
        """Create a monitor comparing `baseline_dataset` with the time series `target_dataset`."""
        return DataDriftDetector(workspace, name, baseline_dataset, target_dataset, compute_target, frequency,
                                 feature_list, alert_config, drift_threshold, latency)

    @staticmethod
    def get_by_name(workspace, name):
        """The monitor called `name` in `workspace`."""
        return DataDriftDetector(workspace, name)

    @staticmethod
    def list(workspace, baseline_dataset=None, target_dataset=None):
        """The workspace's monitors, optionally only those of the given datasets."""
        found = _monitors.list_monitors(workspace._record, getattr(baseline_dataset, "id", None),
                                        getattr(target_dataset, "id", None))
        return [DataDriftDetector._of(workspace, m) for m in found]

    @staticmethod
    def _of(workspace, monitor):
        detector = DataDriftDetector.__new__(DataDriftDetector)
        detector._workspace, detector._monitor = workspace, monitor
        return detector

    # ---- drift runs -------------------------------------------------------------------------------------

    def backfill(self, start_date, end_date, compute_target=None, create_compute_target=False):
        """Compare every period from `start_date` to `end_date` (inclusive); returns the drift Run."""
        start, end = _utc(start_date, "start_date"), _utc(end_date, "end_date")
        _engine.periods(start, end, self._monitor.frequency)  # dates in the wrong order: said before any cluster
        name = self._cluster_for(compute_target, create_compute_target)
        return self._run_of(_engine.backfill(self._workspace._record, self._monitor.id, start, end, name))

    def run(self, target_date, compute_target=None, create_compute_target=False, feature_list=None,
            drift_threshold=None):
        """Compare the one period that starts on `target_date`; returns the drift Run."""
        start = _utc(target_date, "target_date")
        overrides = _monitors.check_settings(self._monitor.frequency, drift_threshold, None, feature_list)
        name = self._cluster_for(compute_target, create_compute_target)
        row = _engine.adhoc(self._workspace._record, self._monitor.id, start, name, overrides["feature_list"],
                            drift_threshold)
        return self._run_of(row)

    def _cluster_for(self, compute_target, create_compute_target) -> str:
        """The cluster a drift run goes to (the monitor's unless one is given), created first when asked."""
        name = _compute_name(compute_target) or self._monitor.compute_target
        if create_compute_target:
            self._ensure_cluster(name)
        return name

    def _run_of(self, row):
        from sim.azureml.core import Experiment, Run

        return Run(Experiment(self._workspace, self._monitor.id), row["run_id"])

    def _ensure_cluster(self, name):
        from sim.azureml.core.compute import AmlCompute, ComputeTarget

        if name not in self._workspace.compute_targets:
            config = AmlCompute.provisioning_configuration(vm_size=DEFAULT_VM_SIZE, max_nodes=DEFAULT_MAX_NODES)
            ComputeTarget.create(self._workspace, name, config).wait_for_completion(show_output=False)

    # ---- results ----------------------------------------------------------------------------------------

    def get_output(self, start_time=None, end_time=None, run_id=None):
        """(results, metrics) of the periods overlapping [start_time, end_time], or of one run (`run_id`)."""
        if run_id is not None and (start_time is not None or end_time is not None):
            raise ValueError(messages.DRIFT_BOTH_RUN_AND_TIMES)
        start, end = (None, None) if run_id else _output.window(self.frequency, start_time, end_time)
        rows = _results.rows_of(self._workspace._record, self._monitor.id, run_id, start, end)
        return _results.outputs(rows)

    def show(self, start_time=None, end_time=None):
        """Charts of the drift over time and of each feature's contribution: {title: matplotlib Figure}."""
        start, end = _output.window(self.frequency, start_time, end_time)
        rows = _results.rows_of(self._workspace._record, self._monitor.id, None, start, end)
        return _output.charts(rows, self.drift_threshold)

    # ---- schedule ----------------------------------------------------------------------------------------

    def enable_schedule(self, create_compute_target=False, wait_for_completion=True):
        """Record the schedule as Enabled (scheduled runs themselves are not simulated: a warning says so)."""
        if create_compute_target:
            self._ensure_cluster(self._monitor.compute_target)
        warnings.warn(messages.DRIFT_SCHEDULE_NOT_SIMULATED, UserWarning, stacklevel=2)
        self._monitor = _monitors.update(self._workspace._record, self._monitor.id, state=monitors.ENABLED)

    def disable_schedule(self, wait_for_completion=True):
        """Record the schedule as Disabled."""
        self._monitor = _monitors.update(self._workspace._record, self._monitor.id, state=monitors.DISABLED)

    def delete(self, wait_for_completion=True):
        """Delete the monitor (its state becomes Deleted; its past results stay with their runs)."""
        self._monitor = _monitors.update(self._workspace._record, self._monitor.id, state=monitors.DELETED)

    def update(self, compute_target=..., feature_list=..., schedule_start=..., alert_config=...,
               drift_threshold=..., wait_for_completion=True):
        """Change the settings given (those left out stay as they are); returns the detector."""
        changes = {}
        if compute_target is not ...:
            changes["compute_target"] = _compute_name(compute_target) or monitors.DEFAULT_COMPUTE
        if feature_list is not ...:
            changes["feature_list"] = _monitors.check_settings(feature_list=feature_list)["feature_list"]
        if drift_threshold is not ...:
            changes["drift_threshold"] = _monitors.check_settings(drift_threshold=drift_threshold)["drift_threshold"]
        if alert_config is not ...:
            changes["alert_emails"] = _alert_emails(alert_config)
        if schedule_start is not ...:
            changes["schedule_start"] = _utc(schedule_start, "schedule_start").isoformat()
        self._monitor = _monitors.update(self._workspace._record, self._monitor.id, **changes)
        return self

    # ---- properties --------------------------------------------------------------------------------------

    workspace = property(lambda self: self._workspace, doc="The workspace of the monitor.")
    name = property(lambda self: self._monitor.name, doc="The name of the monitor.")
    state = property(lambda self: self._monitor.state, doc="Enabled, Disabled or Deleted (its schedule).")
    enabled = property(lambda self: self._monitor.state == monitors.ENABLED, doc="Whether its schedule is on.")
    frequency = property(lambda self: self._monitor.frequency, doc="Day, Week or Month.")
    interval = property(lambda self: self._monitor.interval, doc="How many periods between scheduled runs.")
    latency = property(lambda self: self._monitor.latency, doc="Hours new data takes to arrive.")
    drift_threshold = property(lambda self: self._monitor.drift_threshold, doc="The alert threshold (0-1).")
    feature_list = property(lambda self: self._monitor.feature_list, doc="The features compared (None: all).")
    drift_type = property(lambda self: monitors.DATASET_BASED, doc="'DatasetBased', the only type.")

    @property
    def schedule_start(self):
        """When the schedule was enabled (None before)."""
        text = self._monitor.schedule_start
        return _dt.datetime.fromisoformat(text) if text else None

    @property
    def alert_config(self):
        """The AlertConfiguration, or None when the monitor emails nobody."""
        emails = self._monitor.alert_emails
        return AlertConfiguration(emails) if emails else None

    @property
    def baseline_dataset(self):
        from sim.azureml.core import Dataset

        return Dataset.get_by_id(self._workspace, self._monitor.baseline_dataset_id)

    @property
    def target_dataset(self):
        from sim.azureml.core import Dataset

        return Dataset.get_by_id(self._workspace, self._monitor.target_dataset_id)

    @property
    def compute_target(self):
        """The monitor's compute target (None while no cluster of that name exists)."""
        return self._workspace.compute_targets.get(self._monitor.compute_target)

    def __repr__(self) -> str:
        return (f"DataDriftDetector(workspace={self._workspace.name!r}, name={self.name!r}, "
                f"baseline_dataset_id={self._monitor.baseline_dataset_id!r}, "
                f"target_dataset_id={self._monitor.target_dataset_id!r}, "
                f"compute_target={self._monitor.compute_target!r}, frequency={self.frequency!r}, "
                f"feature_list={self.feature_list!r}, drift_threshold={self.drift_threshold!r}, "
                f"latency={self.latency!r}, state={self.state!r})")


def _tabular_id(dataset, argument: str) -> str:
    from sim.azureml.data.tabular_dataset import TabularDataset

    if not isinstance(dataset, TabularDataset):
        raise TypeError(messages.DRIFT_DATASET_TYPE.format(argument=argument, type_name=type(dataset).__name__))
    return dataset.id


def _timed_id(dataset) -> str:
    dataset_id = _tabular_id(dataset, "target_dataset")
    if not any(dataset.timestamp_columns):
        raise ValueError(messages.DRIFT_TARGET_TIMESTAMP)
    return dataset_id


def _compute_name(compute_target) -> str | None:
    return getattr(compute_target, "name", compute_target)


def _alert_emails(alert_config) -> list[str]:
    if alert_config is None:
        return []
    if not isinstance(alert_config, AlertConfiguration):
        raise TypeError(messages.DRIFT_ALERT_CONFIG.format(type_name=type(alert_config).__name__))
    return list(alert_config.email_addresses)


def _utc(value, argument: str) -> _dt.datetime:
    """A naive UTC datetime (the service's dates are UTC); a clear TypeError for anything else."""
    if not isinstance(value, _dt.datetime):
        raise TypeError(messages.DRIFT_DATETIME.format(argument=argument, type_name=type(value).__name__))
    return value.astimezone(_dt.UTC).replace(tzinfo=None) if value.tzinfo else value
