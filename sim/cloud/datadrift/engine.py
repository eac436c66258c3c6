"""Data drift runs: a monitor's comparison of its baseline with its target, period by period, on a cluster.

`submit` records the run in the experiment named after the monitor's id (as the service names it), placed on
the monitor's compute cluster, and starts a small driver process (`python -m sim.cloud.datadrift`,
start_new_session) that waits for a node, reads both datasets, slices the target by its timestamp column into
the run's periods and compares each slice with the baseline (`drift.compare`). Each period's result is kept
(`results`), and the run logs what the service logs on a backfill: `start_date`, `end_date`, `frequency` and the
table `Datadrift percentage` (days from start, drift percentage). The caller gets the run at once, as in Azure,
where these runs are pipelines; here the run is one job. It knows no SDK.

Callers (learner kernels, through the service's call proxy) ask for `backfill` or `adhoc` by monitor id; the
service then reads the monitor and its datasets itself. `submit`, which takes a whole monitor record, is the
service's own.
"""

from __future__ import annotations

import atexit
import datetime as _dt
import os
import subprocess
import sys
import time

import pandas as pd

from sim import messages
from sim.cloud import data_engine, datasets
from sim.cloud.datadrift import drift, monitors, results
from sim.cloud.errors import COMPUTE, DATASET, NotFound, UserError
from sim.cloud.runs import files, jobs, lifecycle, metrics, state

RUN_TYPE = "datadrift"
BACKFILL, ADHOC = "BackFill", "Adhoc"
LOG_FILE = "logs/datadrift.txt"
PERCENTAGE_TABLE = "Datadrift percentage"
_STEP = {"Day": pd.DateOffset(days=1), "Week": pd.DateOffset(weeks=1), "Month": pd.DateOffset(months=1)}
_drivers: dict[str, subprocess.Popen] = {}  # run id -> the driver process this process started


def periods(start: _dt.datetime, end: _dt.datetime, frequency: str) -> list[tuple[_dt.datetime, _dt.datetime]]:
    """The periods from `start` (its day) that begin no later than `end`: [(begin, end of period), ...]."""
    if end < start:
        raise UserError(DATASET, messages.DRIFT_DATES.format(start=start, end=end))
    begin, step, found = pd.Timestamp(start).normalize(), _STEP[frequency], []
    while begin <= pd.Timestamp(end):
        found.append((begin.to_pydatetime(), (begin + step).to_pydatetime()))
        begin = begin + step
    return found


def backfill(record, monitor_id: str, start_date: _dt.datetime, end_date: _dt.datetime,
             compute_target: str | None = None) -> dict:
    """Start a backfill of the monitor `monitor_id`: every period from `start_date` to `end_date`; returns the run's
    service record. The service finds the monitor and its datasets itself (what callers may ask for, in place of
    `submit`, which takes a whole monitor record).

    Raises:
        NotFound: no such monitor, or no such compute cluster.
        UserError: a date that is not a datetime, or dates in the wrong order.
    """
    monitor = monitors.get_by_id(record, monitor_id)
    windows = periods(_date(start_date, "start_date"), _date(end_date, "end_date"), monitor.frequency)
    return submit(record, monitor, BACKFILL, windows, compute_target)


def adhoc(record, monitor_id: str, target_date: _dt.datetime, compute_target: str | None = None,
          feature_list: list[str] | None = None, drift_threshold: float | None = None) -> dict:
    """Start a one-period (ad hoc) run of the monitor `monitor_id` from `target_date`, optionally with its own
    features and threshold; returns the run's service record.

    Raises:
        NotFound: no such monitor, or no such compute cluster.
        UserError: a bad date, feature list or threshold.
    """
    monitor = monitors.get_by_id(record, monitor_id)
    start = _date(target_date, "target_date")
    checked = monitors.check_settings(monitor.frequency, drift_threshold, None, feature_list)
    threshold = None if drift_threshold is None else checked["drift_threshold"]
    return submit(record, monitor, ADHOC, periods(start, start, monitor.frequency), compute_target,
                  checked["feature_list"], threshold)


def _date(value, argument: str) -> _dt.datetime:
    if not isinstance(value, _dt.datetime):
        raise UserError(DATASET, messages.DRIFT_DATETIME.format(argument=argument, type_name=type(value).__name__))
    return value


def submit(record, monitor, kind: str, windows: list, compute_target: str | None = None,
           feature_list: list[str] | None = None, drift_threshold: float | None = None) -> dict:
    """Start a drift run of `monitor` over `windows`; returns its service record.

    Raises:
        NotFound: the compute cluster does not exist.
    """
    target = _cluster(record, compute_target or monitor.compute_target)
    settings = {"monitor_id": monitor.id, "run_type": kind, "frequency": monitor.frequency,
                "windows": [[s.isoformat(), e.isoformat()] for s, e in windows],
                "features": feature_list or monitor.feature_list,
                "drift_threshold": monitor.drift_threshold if drift_threshold is None else drift_threshold}
    row = lifecycle.start(record, monitor.id, RUN_TYPE, state.NOT_STARTED, target=target,
                          definition={"datadrift": settings}, tags={"datadrift_id": monitor.id, "run_type": kind})
    state.add_properties(record, row["run_id"], {"azureml.runsource": RUN_TYPE, "datadrift_id": monitor.id,
                                                 "run_type": kind})
    _start_driver(record, row["run_id"])
    return state.get(record, row["run_id"])


def _cluster(record, name: str) -> str:
    try:
        found, _ = jobs.resolve_target(record, name)
    except NotFound:
        raise NotFound(COMPUTE, messages.DRIFT_COMPUTE_MISSING.format(name=name)) from None
    return found


def _start_driver(record, run_id: str) -> None:
    """The run's own process, so it goes on with nobody watching (see `sim.cloud.datadrift.__main__`)."""
    folder = jobs.job_folder(record, run_id)
    folder.mkdir(parents=True, exist_ok=True)
    env = jobs.with_project_on_path(dict(os.environ))
    env.update({"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"})
    _reap()
    with open(folder / "driver.log", "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "sim.cloud.datadrift", record.subscription_id,
                                 record.resource_group, record.name, run_id], env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    _drivers[run_id] = proc
    state.set_pid(record, run_id, proc.pid)


@atexit.register
def _reap() -> None:
    # Collect the exit status of drivers that ended, so none lingers as a zombie of this process; a driver still
    # running goes on (its own session), as the service's run does when the notebook that started it closes.
    for run_id, proc in list(_drivers.items()):
        if proc.poll() is not None:
            _drivers.pop(run_id, None)


# ---- the driver ------------------------------------------------------------------------------------------

def drive(record, run_id: str) -> None:
    """Run the drift run `run_id` to its end (in the driver process)."""
    row = state.get(record, run_id)
    if row is None or row["status"] in state.TERMINAL:
        return
    state.set_pid(record, run_id, os.getpid())
    settings = row["definition"]["datadrift"]
    lifecycle.move(record, run_id, state.QUEUED)
    if not _wait_for_node(record, run_id, row["target"]):
        return
    try:
        lines = _compare_periods(record, run_id, settings)
    except Exception as exc:  # noqa: BLE001 - any failure ends the run Failed with its message, as a job's does
        lifecycle.finish(record, run_id, state.FAILED, error={"error": {"code": "UserError", "message": str(exc)}})
        return
    _write_log(record, run_id, lines)
    lifecycle.finish(record, run_id, state.COMPLETED)


def _wait_for_node(record, run_id: str, target: str) -> bool:
    _, max_nodes = jobs.resolve_target(record, target)
    while not jobs.claim_node(record, run_id, target, max_nodes):
        if lifecycle.status(record, run_id) in state.TERMINAL:
            return False
        time.sleep(jobs.POLL_SECONDS * 4)
    return True


def _compare_periods(record, run_id: str, settings: dict) -> list[str]:
    """Compare each period's target rows with the baseline; keep the results and log the run's metrics."""
    monitor = monitors.get_by_id(record, settings["monitor_id"])
    baseline, target, column = _frames(record, monitor)
    features = _features(settings["features"], baseline, target, column)
    lines, days, percentages = [], [], []
    first = _dt.datetime.fromisoformat(settings["windows"][0][0])
    for start, end in ((_dt.datetime.fromisoformat(s), _dt.datetime.fromisoformat(e)) for s, e in settings["windows"]):
        rows = target[(target[column] >= start) & (target[column] < end)]
        if rows.empty:
            lines.append(f"{start:%Y-%m-%d}..{end:%Y-%m-%d}: no target rows, nothing to compare")
            continue
        found = drift.compare(baseline, rows, features)
        results.add(record, _with_threshold(monitor, settings), run_id, start, end, found, len(rows))
        days.append((start - first).days)
        percentages.append(round(100 * found["coefficient"], 4))
        lines.append(f"{start:%Y-%m-%d}..{end:%Y-%m-%d}: {len(rows)} rows, drift {percentages[-1]:.2f}%")
    _log_metrics(record, run_id, settings, days, percentages)
    return lines + _alert_lines(monitor, settings, percentages)


def _frames(record, monitor) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    baseline = data_engine.frame_of(record, datasets.get_by_id(record, monitor.baseline_dataset_id).definition)
    definition = datasets.get_by_id(record, monitor.target_dataset_id).definition
    stamps = definition.get("timestamp_columns") or {}
    column = stamps.get("timestamp") or stamps.get("partition_timestamp")
    if not column:
        raise UserError(DATASET, messages.DRIFT_TARGET_TIMESTAMP)
    target = data_engine.frame_of(record, definition)
    target[column] = pd.to_datetime(target[column], utc=True).dt.tz_localize(None)
    return baseline, target, column


def _features(asked, baseline: pd.DataFrame, target: pd.DataFrame, timestamp: str) -> list[str]:
    """The features to compare: those asked for, else every column both datasets share but the timestamp."""
    shared = [c for c in baseline.columns if c in target.columns and c != timestamp]
    if not asked:
        return shared
    missing = [f for f in asked if f not in shared]
    if missing:
        raise UserError(DATASET, messages.DRIFT_FEATURES_MISSING.format(missing=", ".join(missing),
                                                                         shared=", ".join(shared)))
    return list(asked)


def _with_threshold(monitor, settings: dict):
    return monitors.Monitor(monitor.id, monitor.name, monitor.state, monitor.created,
                            {**monitor.settings, "drift_threshold": settings["drift_threshold"]})


def _log_metrics(record, run_id: str, settings: dict, days: list[int], percentages: list[float]) -> None:
    journal = metrics.MetricJournal(record, run_id)
    journal.add("start_date", "scalar", settings["windows"][0][0][:10])
    journal.add("end_date", "scalar", settings["windows"][-1][0][:10])
    journal.add("frequency", "scalar", settings["frequency"])
    journal.add(PERCENTAGE_TABLE, "table", {"days_from_start": days, "drift_percentage": percentages})
    journal.close()


def _alert_lines(monitor, settings: dict, percentages: list[float]) -> list[str]:
    over = [p for p in percentages if p > 100 * settings["drift_threshold"]]
    if not over or not monitor.alert_emails:
        return []
    # There is no mail here: the alert the service would send is written to the run's log instead.
    return [messages.DRIFT_ALERT_OFFLINE.format(emails=", ".join(monitor.alert_emails), count=len(over),
                                                threshold=100 * settings["drift_threshold"])]


def _write_log(record, run_id: str, lines: list[str]) -> None:
    path = jobs.job_folder(record, run_id) / "datadrift.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    files.upload_file(record, run_id, LOG_FILE, path)
