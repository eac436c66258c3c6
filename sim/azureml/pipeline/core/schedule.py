"""``azureml.pipeline.core.schedule``: Schedule and ScheduleRecurrence, a published pipeline run on a clock.

A schedule fires when the simulated service is next asked about schedules or published pipelines after its time
came (it has no clock of its own yet); the run it starts is an ordinary run of the published pipeline. Schedules
that watch a datastore for changes are not simulated yet.
"""

from __future__ import annotations

from sim.azureml._common.not_simulated import not_simulated
from sim.azureml._common.service_errors import v1_errors
from sim.cloud.pipelines import published


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
    """A schedule that submits a published pipeline on a recurrence."""

    def __init__(self, workspace, id, name, description, pipeline_id, status, recurrence, datastore_name,
                 polling_interval, data_path_parameter_name, continue_on_step_failure, path_on_datastore,
                 _schedule_provider=None, pipeline_endpoint_id=None):
        """Wrap a schedule's record (use ``Schedule.create``, ``Schedule.get`` or ``Schedule.list``)."""
        self._workspace, self.id, self.name, self.description = workspace, id, name, description
        self.pipeline_id, self.status, self.recurrence = pipeline_id, status, recurrence
        self.datastore_name, self.polling_interval = datastore_name, polling_interval
        self.data_path_parameter_name, self.path_on_datastore = data_path_parameter_name, path_on_datastore
        self.continue_on_step_failure, self.pipeline_endpoint_id = continue_on_step_failure, pipeline_endpoint_id

    @classmethod
    def _from_item(cls, workspace, item: dict):
        recurrence = ScheduleRecurrence(**{k: v for k, v in item["recurrence"].items() if k != "start_time"})
        return cls(workspace, item["id"], item["name"], item["description"], item["pipeline_id"], item["status"],
                   recurrence, None, None, None, None, None)

    @staticmethod
    def create(workspace, name, pipeline_id, experiment_name, recurrence=None, description=None,
               pipeline_parameters=None, wait_for_provisioning=False, wait_timeout=3600, datastore=None,
               polling_interval=5, data_path_parameter_name=None, continue_on_step_failure=None,
               path_on_datastore=None, _workflow_provider=None, _service_endpoint=None):
        """Schedule the published pipeline ``pipeline_id`` to run in ``experiment_name`` on ``recurrence``."""
        if datastore is not None or recurrence is None:
            not_simulated("Schedule.create with a datastore (a schedule that watches for changed data)")
        if pipeline_parameters:
            not_simulated("Schedule.create(pipeline_parameters=...)")
        recurrence.validate()
        with v1_errors():
            item = published.create_schedule(workspace._record, name, pipeline_id, experiment_name,
                                              recurrence._to_dict(), description)
        return Schedule._from_item(workspace, item)

    @staticmethod
    def get(workspace, id, _workflow_provider=None, _service_endpoint=None):
        """The schedule with this id."""
        with v1_errors():
            return Schedule._from_item(workspace, published.get_schedule(workspace._record, id))

    @staticmethod
    def list(workspace, active_only=True, pipeline_id=None, pipeline_endpoint_id=None, _workflow_provider=None,
             _service_endpoint=None):
        """The workspace's schedules (only active ones by default, or those of one published pipeline)."""
        with v1_errors():
            items = published.list_schedules(workspace._record, active_only, pipeline_id)
        return [Schedule._from_item(workspace, item) for item in items]

    get_all = list

    def disable(self, wait_for_provisioning=False, wait_timeout=3600):
        """Stop the schedule from firing."""
        self._set_status(published.DISABLED)

    def enable(self, wait_for_provisioning=False, wait_timeout=3600):
        """Let the schedule fire again."""
        self._set_status(published.ACTIVE)

    def _set_status(self, status: str) -> None:
        with v1_errors():
            self.status = published.set_status(self._workspace._record, "schedules", self.id, status)["status"]

    def get_pipeline_runs(self):
        """The pipeline runs this schedule started, newest first."""
        from sim.azureml.pipeline.core.run import PipelineRun

        with v1_errors():
            item = published.get_schedule(self._workspace._record, self.id)
        experiment = self._workspace.experiments[item["experiment_name"]] if item["runs"] else None
        return [PipelineRun(experiment, run_id) for run_id in reversed(item["runs"])]

    def get_last_pipeline_run(self):
        """The newest run this schedule started, or None."""
        runs = self.get_pipeline_runs()
        return runs[0] if runs else None

    def __repr__(self):
        return (f"Pipeline(Name: {self.name},\nId: {self.id},\nStatus: {self.status},\nPipeline Id: "
                f"{self.pipeline_id},\nRecurrence Details: {self.recurrence._to_dict()})")


__all__ = ["Schedule", "ScheduleRecurrence"]
