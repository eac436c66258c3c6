"""Schedules of published pipelines (SDK v1): a recurrence (every week on Monday at 00:00, ...) or a datastore
watch (a run when a blob under a path is added or changed) that submits a published pipeline, or a pipeline
endpoint's default version.

The simulated service has no clock of its own: schedules fire when the service is next asked about the
workspace's schedules or published pipelines after their time came. A recurrence that missed several times
starts one run, as a service that was down catches up only once. A datastore schedule polls its path every
`polling_interval` minutes, as Azure does: each blob added or changed directly under the path (not in its
subfolders, as Azure) since the last poll starts one run, with the blob's path given to the
`data_path_parameter_name` parameter when the schedule names one. The blobs already there when the schedule is
created do not start runs.
"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

from sim import messages
from sim.cloud import datastores
from sim.cloud.errors import JOB, CloudError, NotFound, UserError
from sim.cloud.pipelines import _store, endpoints, published

KIND = "schedules"
_PERIOD = {"Minute": timedelta(minutes=1), "Hour": timedelta(hours=1), "Day": timedelta(days=1),
           "Week": timedelta(weeks=1)}
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def create_schedule(record, name: str, pipeline_id: str | None, experiment: str, recurrence: dict | None = None,
                    description=None, *, parameters: dict | None = None, datastore: str | None = None,
                    polling_interval: int = 5, path_on_datastore: str | None = None,
                    data_path_parameter_name: str | None = None, continue_on_step_failure: bool | None = None,
                    pipeline_endpoint_id: str | None = None) -> dict:
    """A schedule that runs a published pipeline (or a pipeline endpoint) on a recurrence or on data changes.

    Raises:
        NotFound: no such published pipeline, endpoint or datastore. UserError: neither or both of recurrence
        and datastore, a bad recurrence or polling interval.
    """
    pipeline_id, endpoint_id = _target(record, pipeline_id, pipeline_endpoint_id)
    if (recurrence is None) == (datastore is None):
        raise UserError(JOB, messages.SCHEDULE_TRIGGER_REQUIRED)
    now = time.time()
    item = {"id": str(uuid.uuid4()), "name": name, "description": description, "pipeline_id": pipeline_id,
            "pipeline_endpoint_id": endpoint_id, "experiment_name": experiment, "recurrence": recurrence,
            "status": published.ACTIVE, "created": now, "last_fired": now, "runs": [],
            "parameters": dict(parameters or {}), "continue_on_step_failure": continue_on_step_failure,
            "trigger": None}
    if recurrence is not None and recurrence.get("frequency") not in _PERIOD:
        raise UserError(JOB, messages.SCHEDULE_FREQUENCY_INVALID.format(frequency=recurrence.get("frequency")))
    if datastore is not None:
        item["trigger"] = _datastore_trigger(record, datastore, polling_interval, path_on_datastore,
                                             data_path_parameter_name, now)
    _store.write(record, KIND, item)
    return item


def _target(record, pipeline_id, endpoint_id) -> tuple[str | None, str | None]:
    """The published pipeline or pipeline endpoint a schedule submits (checked to exist)."""
    if endpoint_id:
        return None, endpoints.get_endpoint(record, endpoint_id)["id"]
    return published.get(record, pipeline_id)["id"], None


def _datastore_trigger(record, datastore: str, polling_interval, path, parameter, now: float) -> dict:
    if not isinstance(polling_interval, int) or polling_interval < 1:
        raise UserError(JOB, messages.SCHEDULE_POLLING_INTERVAL.format(value=polling_interval))
    path = datastores.clean_relative(path)
    return {"datastore": datastore, "path": path, "polling_interval": polling_interval,
            "data_path_parameter_name": parameter, "last_polled": now, "seen": _blobs(record, datastore, path)}


def _blobs(record, datastore: str, path: str) -> dict[str, list]:
    """{blob path: [modified time, size]} of the files directly under `path` (subfolders are not watched)."""
    folder = datastores.content_root(record, datastore) / path
    if not folder.is_dir():
        return {}
    found = {}
    for blob in folder.iterdir():
        if blob.is_file() and not blob.name.startswith("."):
            stat = blob.stat()
            found[f"{path}/{blob.name}" if path else blob.name] = [stat.st_mtime_ns, stat.st_size]
    return found


def list_schedules(record, active_only: bool = True, pipeline_id: str | None = None,
                   pipeline_endpoint_id: str | None = None) -> list[dict]:
    """The workspace's schedules, newest first (firing the ones whose time came)."""
    fire_due_schedules(record)
    found = _store.all_items(record, KIND)
    return [s for s in found if (s["status"] == published.ACTIVE or not active_only)
            and (pipeline_id is None or s["pipeline_id"] == pipeline_id)
            and (pipeline_endpoint_id is None or s.get("pipeline_endpoint_id") == pipeline_endpoint_id)]


def get_schedule(record, schedule_id: str) -> dict:
    """A schedule by id.

    Raises:
        NotFound: no schedule has that id.
    """
    fire_due_schedules(record)
    item = _store.read(record, KIND, schedule_id)
    if item is None:
        raise NotFound(JOB, messages.SCHEDULE_NOT_FOUND.format(id=schedule_id))
    return item


def fire_due_schedules(record, now: float | None = None) -> list[str]:
    """Start the runs of every active schedule whose time has come; returns the new runs' ids."""
    now = time.time() if now is None else now
    started = []
    for item in _store.all_items(record, KIND):
        if item["status"] != published.ACTIVE:
            continue
        try:
            due = _due_by_data(record, item, now) if item.get("trigger") else _due_by_clock(item, now)
        except CloudError as error:  # its datastore is gone: the schedule cannot look, and says why
            due, item["last_error"] = [], str(error)
        if due is None:
            continue
        _store.write(record, KIND, item)  # first, so a concurrent reader does not fire it again
        for parameters in due:
            run_id = _fire(record, item, parameters)
            started += [run_id] if run_id else []
        _store.write(record, KIND, item)
    return started


def _fire(record, item: dict, parameters: dict) -> str | None:
    """Submit one run for the schedule; a run the service refuses (its pipeline or endpoint disabled, a parameter
    it no longer has) is not started, and the schedule keeps the reason in `last_error`, as a reader of the
    schedule would otherwise never learn it."""
    try:
        run = _submit(record, item, parameters)
    except CloudError as error:
        item["last_error"] = str(error)
        return None
    item["runs"].append(run["run_id"])
    item["last_error"] = None
    return run["run_id"]


def _due_by_clock(item: dict, now: float) -> list[dict] | None:
    """[the schedule's parameters] when its recurrence's next time has come (and notes the firing), else None."""
    if next_time(item["recurrence"], item["last_fired"]) > now:
        return None
    item["last_fired"] = now
    return [item.get("parameters") or {}]


def _due_by_data(record, item: dict, now: float) -> list[dict] | None:
    """One set of parameters per blob added or changed since the last poll, when a poll is due, else None."""
    trigger = item["trigger"]
    if now - trigger["last_polled"] < trigger["polling_interval"] * 60:
        return None
    current = _blobs(record, trigger["datastore"], trigger["path"])
    changed = sorted(blob for blob, seen in current.items() if trigger["seen"].get(blob) != seen)
    trigger["last_polled"], trigger["seen"] = now, current
    base, parameter = item.get("parameters") or {}, trigger.get("data_path_parameter_name")
    if parameter:
        return [dict(base, **{parameter: {"datastore": trigger["datastore"], "path": blob}}) for blob in changed]
    return [dict(base) for _ in changed]


def _submit(record, item: dict, parameters: dict) -> dict:
    if item.get("pipeline_endpoint_id"):
        return endpoints.submit_endpoint(record, item["pipeline_endpoint_id"], item["experiment_name"], parameters)
    return published.submit(record, item["pipeline_id"], item["experiment_name"], parameters,
                            item.get("continue_on_step_failure"))


def update_schedule(record, schedule_id: str, changes: dict) -> dict:
    """Change a schedule's name, description, recurrence, parameters, status or datastore watch settings.

    Raises:
        UserError: a status other than Active or Disabled, a recurrence of an unknown frequency.
    """
    item = get_schedule(record, schedule_id)
    if changes.get("status") is not None and changes["status"] not in (published.ACTIVE, published.DISABLED):
        raise UserError(JOB, messages.PIPELINE_STATUS_INVALID.format(status=changes["status"]))
    recurrence = changes.get("recurrence")
    if recurrence is not None and (not isinstance(recurrence, dict) or recurrence.get("frequency") not in _PERIOD):
        frequency = recurrence.get("frequency") if isinstance(recurrence, dict) else recurrence
        raise UserError(JOB, messages.SCHEDULE_FREQUENCY_INVALID.format(frequency=frequency))
    for key in ("name", "description", "recurrence", "parameters", "status", "continue_on_step_failure"):
        if changes.get(key) is not None:
            item[key] = changes[key]
    trigger = item.get("trigger")
    if trigger:
        for key in ("polling_interval", "data_path_parameter_name"):
            if changes.get(key) is not None:
                trigger[key] = changes[key]
    _store.write(record, KIND, item)
    return item


def next_time(recurrence: dict, after: float) -> float:
    """The first time after `after` (epoch seconds) that the recurrence names."""
    moment = datetime.fromtimestamp(after, UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
    frequency, interval = recurrence["frequency"], max(1, int(recurrence.get("interval") or 1))
    if frequency in ("Minute", "Hour") and not recurrence.get("hours") and not recurrence.get("minutes"):
        return (datetime.fromtimestamp(after, UTC) + _PERIOD[frequency] * interval).timestamp()
    if frequency in ("Day", "Week"):  # every `interval` days or weeks: the earliest is that far on
        moment += _PERIOD[frequency] * (interval - 1)
    for _ in range(60 * 24 * 8):  # walk minute by minute: a matching minute comes within eight days
        if _matches(recurrence, moment):
            return moment.timestamp()
        moment += timedelta(minutes=1)
    return float("inf")


def _matches(recurrence: dict, moment: datetime) -> bool:
    hours, minutes = _time_of_day(recurrence)
    days = recurrence.get("week_days") or ([] if recurrence["frequency"] != "Week" else _DAYS)
    return (moment.hour in hours and moment.minute in minutes
            and (not days or _DAYS[moment.weekday()] in days))


def _time_of_day(recurrence: dict) -> tuple[list[int], list[int]]:
    if recurrence.get("time_of_day"):
        hour, minute = (int(p) for p in str(recurrence["time_of_day"]).split(":")[:2])
        return [hour], [minute]
    hours = recurrence.get("hours") or (list(range(24)) if recurrence["frequency"] in ("Minute", "Hour") else [0])
    return [int(h) for h in hours], [int(m) for m in (recurrence.get("minutes") or [0])]
