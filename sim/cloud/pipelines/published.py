"""Published pipelines (SDK v1) and their schedules: a pipeline's steps kept under an id, with a REST endpoint
that starts a new run of them, and recurrences that start runs on a clock.

Both are files under the workspace folder (`published_pipelines/<id>.json`, `schedules/<id>.json`), so every
process sees them. A schedule fires when the service is next asked about the workspace's schedules or published
pipelines after its time came (the simulated service has no clock of its own yet): each time that passed since
the last run starts one run, as a service that was down would catch up only once.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

from sim import messages
from sim.cloud import pipelines
from sim.cloud.errors import JOB, NotFound, UserError

ACTIVE, DISABLED = "Active", "Disabled"
_PERIOD = {"Minute": timedelta(minutes=1), "Hour": timedelta(hours=1), "Day": timedelta(days=1),
           "Week": timedelta(weeks=1)}
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def publish(record, name: str, steps: list[dict], *, description=None, version=None,
            continue_on_step_failure=False) -> dict:
    """Keep a pipeline's steps under a new id; returns the published pipeline's record."""
    item = {"id": str(uuid.uuid4()), "name": name, "description": description, "version": version,
            "status": ACTIVE, "steps": steps, "continue_on_step_failure": bool(continue_on_step_failure),
            "graph_id": str(uuid.uuid4()), "created": time.time()}
    _write(record, "published_pipelines", item)
    return item


def get(record, published_id: str) -> dict:
    """A published pipeline by id.

    Raises:
        NotFound: no published pipeline has that id.
    """
    item = _read(record, "published_pipelines", published_id)
    if item is None:
        raise NotFound(JOB, messages.PUBLISHED_PIPELINE_NOT_FOUND.format(id=published_id))
    return item


def list_published(record, active_only: bool = True) -> list[dict]:
    """The workspace's published pipelines, newest first."""
    fire_due_schedules(record)
    found = _all(record, "published_pipelines")
    return [p for p in found if p["status"] == ACTIVE or not active_only]


def set_status(record, folder: str, item_id: str, status: str) -> dict:
    """Enable or disable a published pipeline (`published_pipelines`) or a schedule (`schedules`)."""
    item = _read(record, folder, item_id)
    if item is None:
        raise NotFound(JOB, messages.PUBLISHED_PIPELINE_NOT_FOUND.format(id=item_id))
    item["status"] = status
    _write(record, folder, item)
    return item


def submit(record, published_id: str, experiment: str, parameters: dict | None = None) -> dict:
    """Start a run of a published pipeline (what its REST endpoint does); returns the pipeline run's record.

    Raises:
        NotFound: no such published pipeline. UserError: it is disabled, or pipeline parameters were given.
    """
    item = get(record, published_id)
    if item["status"] != ACTIVE:
        raise UserError(JOB, messages.PUBLISHED_PIPELINE_DISABLED.format(name=item["name"]))
    if parameters:
        raise UserError(JOB, messages.PIPELINE_PARAMETERS_NOT_SIMULATED)
    return pipelines.submit_steps(record, experiment, item["steps"],
                                  continue_on_step_failure=item["continue_on_step_failure"],
                                  properties={"azureml.pipelineid": published_id})


def create_schedule(record, name: str, pipeline_id: str, experiment: str, recurrence: dict,
                    description=None) -> dict:
    """A schedule that runs a published pipeline on a recurrence (frequency, interval, week_days, hours, ...)."""
    get(record, pipeline_id)
    if recurrence.get("frequency") not in _PERIOD:
        raise UserError(JOB, messages.SCHEDULE_FREQUENCY_INVALID.format(frequency=recurrence.get("frequency")))
    item = {"id": str(uuid.uuid4()), "name": name, "description": description, "pipeline_id": pipeline_id,
            "experiment_name": experiment, "recurrence": recurrence, "status": ACTIVE, "created": time.time(),
            "last_fired": time.time(), "runs": []}
    _write(record, "schedules", item)
    return item


def list_schedules(record, active_only: bool = True, pipeline_id: str | None = None) -> list[dict]:
    """The workspace's schedules, newest first (firing the ones whose time came)."""
    fire_due_schedules(record)
    found = _all(record, "schedules")
    return [s for s in found if (s["status"] == ACTIVE or not active_only)
            and (pipeline_id is None or s["pipeline_id"] == pipeline_id)]


def get_schedule(record, schedule_id: str) -> dict:
    """A schedule by id.

    Raises:
        NotFound: no schedule has that id.
    """
    fire_due_schedules(record)
    item = _read(record, "schedules", schedule_id)
    if item is None:
        raise NotFound(JOB, messages.SCHEDULE_NOT_FOUND.format(id=schedule_id))
    return item


def fire_due_schedules(record, now: float | None = None) -> list[str]:
    """Start one run for each active schedule whose next time has come; returns the new runs' ids."""
    now = time.time() if now is None else now
    started = []
    for item in _all(record, "schedules"):
        if item["status"] != ACTIVE or next_time(item["recurrence"], item["last_fired"]) > now:
            continue
        item["last_fired"] = now
        _write(record, "schedules", item)  # first, so a concurrent reader does not fire it again
        run = submit(record, item["pipeline_id"], item["experiment_name"])
        item["runs"].append(run["run_id"])
        _write(record, "schedules", item)
        started.append(run["run_id"])
    return started


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


def _folder(record, kind: str):
    folder = record.folder / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(record, kind: str, item: dict) -> None:
    path = _folder(record, kind) / f"{item['id']}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(item, indent=1, default=str))
    tmp.replace(path)  # readers never see half a file


def _read(record, kind: str, item_id: str) -> dict | None:
    path = _folder(record, kind) / f"{item_id}.json"
    return json.loads(path.read_text()) if path.is_file() else None


def _all(record, kind: str) -> list[dict]:
    items = [json.loads(p.read_text()) for p in _folder(record, kind).glob("*.json")]
    return sorted(items, key=lambda i: i["created"], reverse=True)
