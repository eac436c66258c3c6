"""``azureml.pipeline.core.schedule``: Schedule and ScheduleRecurrence, a published pipeline (or a pipeline
endpoint) run on a clock, or when data changes on a datastore.

A schedule fires when the simulated service is next asked about schedules or published pipelines after its time
came (it has no clock of its own); the run it starts is an ordinary run of the published pipeline. A datastore
schedule polls its path every ``polling_interval`` minutes and starts one run per blob added or changed directly
under it since the last poll (see ``sim.cloud.pipelines.schedules``).
"""

from __future__ import annotations

import sim.cloud.pipelines.published
import sim.cloud.pipelines.schedules
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml._common.service_errors import v1_service

_published = v1_service(sim.cloud.pipelines.published)
_schedules = v1_service(sim.cloud.pipelines.schedules)


class ScheduleRecurrence:
    """How often a schedule fires: every ``interval`` ``frequency`` (Minute, Hour, Day, Week), optionally on
    ``week_days`` at ``time_of_day`` ("HH:MM") or at ``hours`` and ``minutes``."""

    def __init__(self, frequency, interval, start_time=None, time_zone=None, hours=None, minutes=None,
                 week_days=None, time_of_day=None):
        """Describe the recurrence (times are UTC)."""
        self.frequency, self.interval, self.start_time, self.time_zone = frequency, interval, start_time, time_zone
        self.hours, self.minutes, self.week_days, self.time_of_day = hours, minutes, week_days, time_of_day

    def validate(self):
        """Check the recurrence (raises ValueError for a bad one)."""
        if self.frequency not in ("Minute", "Hour", "Day", "Week", "Month"):
            raise ValueError(f"frequency must be one of Minute, Hour, Day, Week, Month; got {self.frequency!r}")
        if not isinstance(self.interval, int) or self.interval < 1:
            raise ValueError(f"interval must be a whole number of at least 1; got {self.interval!r}")

    def _to_dict(self) -> dict:
        return {"frequency": self.frequency, "interval": self.interval, "hours": self.hours, "minutes": self.minutes,
                "week_days": self.week_days, "time_of_day": self.time_of_day}

    def __repr__(self):
        return f"ScheduleRecurrence({self._to_dict()})"


class Schedule:
    """A schedule that submits a published pipeline on a recurrence, or when blobs change on a datastore."""

    def __init__(self, workspace, id, name, description, pipeline_id, status, recurrence, datastore_name,
                 polling_interval, data_path_parameter_name, continue_on_step_failure, path_on_datastore,
                 _schedule_provider=None, pipeline_endpoint_id=None):
        """Wrap a schedule's record (use ``Schedule.create``, ``Schedule.get`` or ``Schedule.list``)."""
        self._workspace, self._id, self._name, self._description = workspace, id, name, description
        self._pipeline_id, self._status, self._recurrence = pipeline_id, status, recurrence
        self._datastore_name, self._polling_interval = datastore_name, polling_interval
        self._data_path_parameter_name, self._path_on_datastore = data_path_parameter_name, path_on_datastore
        self._continue_on_step_failure, self._pipeline_endpoint_id = continue_on_step_failure, pipeline_endpoint_id

    id = property(lambda self: self._id, doc="The schedule's id.")
    name = property(lambda self: self._name, doc="The schedule's name.")
    description = property(lambda self: self._description, doc="Its description.")
    pipeline_id = property(lambda self: self._pipeline_id, doc="The published pipeline it submits (or None).")
    pipeline_endpoint_id = property(lambda self: self._pipeline_endpoint_id,
                                    doc="The pipeline endpoint it submits (or None).")
    status = property(lambda self: self._status, doc="Active or Disabled.")
    recurrence = property(lambda self: self._recurrence, doc="Its ScheduleRecurrence (None for a datastore one).")
    datastore_name = property(lambda self: self._datastore_name, doc="The datastore it watches (or None).")
    path_on_datastore = property(lambda self: self._path_on_datastore, doc="The path it watches on the datastore.")
    polling_interval = property(lambda self: self._polling_interval,
                                doc="Minutes between two looks at the datastore.")
    data_path_parameter_name = property(lambda self: self._data_path_parameter_name,
                                        doc="The DataPath parameter given the changed blob's path.")
    continue_on_step_failure = property(lambda self: self._continue_on_step_failure,
                                        doc="Whether a run's other steps go on after one fails (None: the "
                                            "pipeline's setting).")

    @classmethod
    def _from_item(cls, workspace, item: dict):
        given = item.get("recurrence")
        recurrence = ScheduleRecurrence(**{k: v for k, v in given.items() if k != "start_time"}) if given else None
        trigger = item.get("trigger") or {}
        return cls(workspace, item["id"], item["name"], item["description"], item["pipeline_id"], item["status"],
                   recurrence, trigger.get("datastore"), trigger.get("polling_interval"),
                   trigger.get("data_path_parameter_name"), item.get("continue_on_step_failure"),
                   trigger.get("path"), pipeline_endpoint_id=item.get("pipeline_endpoint_id"))

    @staticmethod
    def create(workspace, name, pipeline_id, experiment_name, recurrence=None, description=None,
               pipeline_parameters=None, wait_for_provisioning=False, wait_timeout=3600, datastore=None,
               polling_interval=5, data_path_parameter_name=None, continue_on_step_failure=None,
               path_on_datastore=None, _workflow_provider=None, _service_endpoint=None):
        """Schedule the published pipeline ``pipeline_id`` to run in ``experiment_name`` on ``recurrence``, or
        whenever a blob directly under ``path_on_datastore`` on ``datastore`` is added or changed (checked every
        ``polling_interval`` minutes; ``data_path_parameter_name`` names the DataPath parameter given the blob)."""
        return Schedule._create(workspace, name, experiment_name, recurrence, description, pipeline_parameters,
                                datastore, polling_interval, data_path_parameter_name, continue_on_step_failure,
                                path_on_datastore, pipeline_id=pipeline_id)

    @staticmethod
    def create_for_pipeline_endpoint(workspace, name, pipeline_endpoint_id, experiment_name, recurrence=None,
                                     description=None, pipeline_parameters=None, wait_for_provisioning=False,
                                     wait_timeout=3600, datastore=None, polling_interval=5,
                                     data_path_parameter_name=None, continue_on_step_failure=None,
                                     path_on_datastore=None, _workflow_provider=None, _service_endpoint=None):
        """As ``create``, for a pipeline endpoint: each run is of the endpoint's default version at that time."""
        return Schedule._create(workspace, name, experiment_name, recurrence, description, pipeline_parameters,
                                datastore, polling_interval, data_path_parameter_name, continue_on_step_failure,
                                path_on_datastore, pipeline_endpoint_id=pipeline_endpoint_id)

    @staticmethod
    def _create(workspace, name, experiment_name, recurrence, description, pipeline_parameters, datastore,
                polling_interval, data_path_parameter_name, continue_on_step_failure, path_on_datastore,
                pipeline_id=None, pipeline_endpoint_id=None):
        from sim.azureml.pipeline.core.graph import _parameter_values

        if recurrence is not None:
            recurrence.validate()
        item = _schedules.create_schedule(
            workspace._record, name, pipeline_id, experiment_name,
            recurrence._to_dict() if recurrence is not None else None, description,
            parameters=_parameter_values(pipeline_parameters), datastore=_datastore_name(datastore),
            polling_interval=polling_interval, path_on_datastore=path_on_datastore,
            data_path_parameter_name=data_path_parameter_name,
            continue_on_step_failure=continue_on_step_failure, pipeline_endpoint_id=pipeline_endpoint_id)
        return Schedule._from_item(workspace, item)

    @staticmethod
    def get(workspace, id, _workflow_provider=None, _service_endpoint=None):
        """The schedule with this id."""
        return Schedule._from_item(workspace, _schedules.get_schedule(workspace._record, id))

    @staticmethod
    def list(workspace, active_only=True, pipeline_id=None, pipeline_endpoint_id=None, _workflow_provider=None,
             _service_endpoint=None):
        """The workspace's schedules (only active ones by default, or those of one published pipeline or
        pipeline endpoint)."""
        items = _schedules.list_schedules(workspace._record, active_only, pipeline_id, pipeline_endpoint_id)
        return [Schedule._from_item(workspace, item) for item in items]

    get_all = list

    @staticmethod
    def get_schedules_for_pipeline_id(workspace, pipeline_id, _workflow_provider=None, _service_endpoint=None):
        """The schedules of the published pipeline ``pipeline_id`` (active or not)."""
        return Schedule.list(workspace, active_only=False, pipeline_id=pipeline_id)

    @staticmethod
    def get_schedules_for_pipeline_endpoint_id(workspace, pipeline_endpoint_id, _workflow_provider=None,
                                               _service_endpoint=None):
        """The schedules of the pipeline endpoint ``pipeline_endpoint_id`` (active or not)."""
        return Schedule.list(workspace, active_only=False, pipeline_endpoint_id=pipeline_endpoint_id)

    @staticmethod
    def load_yaml(workspace, filename, _workflow_provider=None, _service_endpoint=None):
        """Not simulated: schedule settings from a YAML file."""
        not_simulated("Schedule.load_yaml")

    def update(self, name=None, description=None, recurrence=None, pipeline_parameters=None, status=None,
               wait_for_provisioning=False, wait_timeout=3600, datastore=None, polling_interval=None,
               data_path_parameter_name=None, continue_on_step_failure=None, path_on_datastore=None):
        """Change the schedule's settings (those given); a datastore schedule cannot change its datastore or
        path (create another schedule)."""
        from sim.azureml.pipeline.core.graph import _parameter_values

        if datastore is not None or path_on_datastore is not None:
            not_simulated("Schedule.update(datastore=..., path_on_datastore=...)")
        if recurrence is not None:
            recurrence.validate()
        changes = {"name": name, "description": description, "status": status,
                   "recurrence": recurrence._to_dict() if recurrence is not None else None,
                   "parameters": _parameter_values(pipeline_parameters) if pipeline_parameters else None,
                   "polling_interval": polling_interval, "data_path_parameter_name": data_path_parameter_name,
                   "continue_on_step_failure": continue_on_step_failure}
        item = _schedules.update_schedule(self._workspace._record, self.id, changes)
        fresh = Schedule._from_item(self._workspace, item)
        self.__dict__.update({k: v for k, v in fresh.__dict__.items() if k != "_workspace"})

    def disable(self, wait_for_provisioning=False, wait_timeout=3600):
        """Stop the schedule from firing."""
        self._set_status(_published.DISABLED)

    def enable(self, wait_for_provisioning=False, wait_timeout=3600):
        """Let the schedule fire again."""
        self._set_status(_published.ACTIVE)

    def _set_status(self, status: str) -> None:
        self._status = _published.set_status(self._workspace._record, _schedules.KIND, self.id, status)["status"]

    def get_pipeline_runs(self):
        """The pipeline runs this schedule started, newest first."""
        from sim.azureml.pipeline.core.run import PipelineRun

        item = _schedules.get_schedule(self._workspace._record, self.id)
        experiment = self._workspace.experiments[item["experiment_name"]] if item["runs"] else None
        return [PipelineRun(experiment, run_id) for run_id in reversed(item["runs"])]

    def get_last_pipeline_run(self):
        """The newest run this schedule started, or None."""
        runs = self.get_pipeline_runs()
        return runs[0] if runs else None

    def __repr__(self):
        trigger = (f"Recurrence Details: {self.recurrence._to_dict()}" if self.recurrence is not None else
                   f"Datastore: {self.datastore_name}, Path: {self.path_on_datastore}, "
                   f"Polling Interval: {self.polling_interval} minutes")
        return (f"Pipeline(Name: {self.name},\nId: {self.id},\nStatus: {self.status},\nPipeline Id: "
                f"{self.pipeline_id},\n{trigger})")


def _datastore_name(datastore):
    """A datastore given as an object or a name, as its name."""
    return getattr(datastore, "name", datastore)


__all__ = ["Schedule", "ScheduleRecurrence"]
