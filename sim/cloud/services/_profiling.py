"""Model profiling (SDK v1 `Model.profile`): run the scoring server on sample requests and measure it.

A profile starts the same scoring server a deployment runs (`_ops._build_folder` lays out its folder,
`_process.start` launches `sim._scoring_server`), sends each sample request to it one after the other,
measures the latency of each and the server process's CPU time and peak resident memory (from /proc), stops
the server and keeps the result as a record in `<workspace folder>/profiles/<name>/profile.json`, with the
keys Azure's profiling service reports (`requestedCpu`, `maxUtilizedCpu`, `latencyPercentile90InMs`, ...).
States are Azure's: NotStarted, Running, Succeeded, Failed. The profile runs in the calling process, so by the
time `profile` returns it is terminal; another process reading the record meanwhile sees Running.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import time
import uuid
from pathlib import Path

from sim import messages
from sim.cloud.errors import SERVICE, NotFound
from sim.cloud.services import _ops
from sim.cloud.services import _process as proc
from sim.cloud.services._table import now

NOT_STARTED, RUNNING, SUCCEEDED, FAILED = "NotStarted", "Running", "Succeeded", "Failed"
DEFAULT_CPU, DEFAULT_MEMORY_GB = 3.5, 15.0  # the largest test instance Azure profiles on, when none is asked
START_TIMEOUT_SECONDS = 120.0
REQUEST_TIMEOUT_SECONDS = 60.0
MIN_MEASURE_SECONDS = 1.0  # the measured replay lasts at least this long (see _replay)
MAX_MEASURED_QUERIES = 5000
HEADROOM = 1.25  # recommendations leave a quarter above what was measured
CPU_STEP, MEMORY_STEP = 0.1, 0.1  # ACI sizes containers in tenths of a core and of a GB


def _folder(record, name: str) -> Path:
    return Path(record.folder) / "profiles" / name


def _save(record, name: str, data: dict) -> dict:
    _folder(record, name).mkdir(parents=True, exist_ok=True)
    proc.write_json(_folder(record, name) / "profile.json", data)
    return data


def get_profile(record, name: str) -> dict:
    """The stored profile `name` (its REST-shaped dict); NotFound when there is none."""
    try:
        return json.loads((_folder(record, name) / "profile.json").read_text())
    except (OSError, ValueError):
        raise NotFound(SERVICE, messages.PROFILE_NOT_FOUND.format(name=name)) from None


def profile_model(record, name: str, *, models, entry_script: Path, source_directory: Path | None,
            environment: dict | None, requests: list[str], dataset_id: str, cpu=None, memory_in_gb=None,
            description=None) -> dict:
    """Profile the models behind `entry_script` on `requests` (request bodies); return the final record."""
    data = _save(record, name, {
        "id": str(uuid.uuid4()), "name": name, "description": description, "state": NOT_STARTED,
        "createdTime": now(), "inputDatasetId": dataset_id, "modelIds": [m.id for m in models],
        "containerResourceRequirements": {"cpu": cpu or DEFAULT_CPU, "memoryInGB": memory_in_gb or DEFAULT_MEMORY_GB},
        "requestedQueriesPerSecond": None})
    server = _folder(record, name) / "server"
    shutil.rmtree(server, ignore_errors=True)
    server.mkdir(parents=True)
    _ops._build_folder(server, name, models, entry_script, source_directory, environment, None)
    data = _save(record, name, {**data, "state": RUNNING})
    try:
        pid = proc.start(server)
    except Exception:
        _save(record, name, {**data, **_failure(server, messages.PROFILE_INIT_FAILED.format(
            detail=_last_error_line(server)))})
        raise
    try:
        return _save(record, name, {**data, **_measure(server, pid, requests)})
    finally:
        proc.stop(pid, server)


def _wait_ready(server: Path, pid: int) -> dict:
    """The server's status once it is Healthy or has failed (its init() raised, or it died)."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        status = proc.read_status(server) or {}
        if status.get("pid") == pid and status.get("state") in ("Healthy", "Unhealthy", "Failed"):
            return status
        if not proc.is_ours(pid, server):
            break
        time.sleep(0.05)
    return {"state": FAILED, "error": {"message": "the scoring server stopped before it was ready"}}


def _measure(server: Path, pid: int, requests: list[str]) -> dict:
    status = _wait_ready(server, pid)
    if status.get("state") != "Healthy":
        return _failure(server, messages.PROFILE_INIT_FAILED.format(detail=_last_error_line(server)))
    url = (server, status.get("port"))  # where requests go: a port, or the folder's socket (sandboxed)
    pid = proc.server_process(pid, server)  # the process that runs the script (not its keeper) is measured
    failures = []
    for number, body in enumerate(requests, start=1):  # every row once: a row the script refuses fails the profile
        code, _, answer = _post(url, body)
        if code != 200:
            failures.append(f"request {number}: HTTP {code}: {answer}")
    if failures:
        return _failure(server, messages.PROFILE_REQUESTS_FAILED.format(
            failed=len(failures), total=len(requests), first=failures[0]), len(requests), len(failures))
    cpu_before, started = _cpu_seconds(pid), time.monotonic()
    latencies, failed = _replay(url, requests)
    wall = max(time.monotonic() - started, 1e-6)
    return _results(latencies, failed, (_cpu_seconds(pid) - cpu_before) / wall, _peak_rss_gb(pid))


def _replay(url: tuple[Path, int | None], requests: list[str]) -> tuple[list[float], int]:
    """Latencies (ms) and the number of failed answers of the sample requests, sent in turn over and over until
    MIN_MEASURE_SECONDS have passed.

    The first pass (which checked every row) warms the server up and is not counted. The replay exists because
    the kernel counts CPU time in clock ticks (10 ms): a few fast requests alone would measure as 0 or 1 tick.
    """
    latencies: list[float] = []
    failed = 0
    deadline = time.monotonic() + MIN_MEASURE_SECONDS
    while not latencies or (time.monotonic() < deadline and len(latencies) < MAX_MEASURED_QUERIES):
        for body in requests:
            code, elapsed, _ = _post(url, body)
            latencies.append(elapsed)
            failed += code != 200
    return latencies, failed


def _last_error_line(server: Path) -> str:
    # The traceback's last line ("ValueError: ...") names what the script raised, unlike the container's summary.
    lines = [line for line in proc.tail(server / proc.LOG_FILE, 50).splitlines() if line.strip()]
    return lines[-1].strip() if lines else "the server exited without a log"


def _post(url: tuple[Path, int | None], body: str) -> tuple[int, float, str]:
    """POST one request to the server at `url` (its folder and port); (status, latency in ms, answer's start)."""
    connection = proc.connection(*url, REQUEST_TIMEOUT_SECONDS)
    started = time.perf_counter()
    try:
        connection.request("POST", "/score", body=body.encode(), headers={"Content-Type": "application/json"})
        reply = connection.getresponse()
        code, text = reply.status, reply.read().decode(errors="replace")
    except OSError as exc:  # the server went away mid-profile
        code, text = 0, str(exc)
    finally:
        connection.close()
    return code, (time.perf_counter() - started) * 1000.0, text[:500]


def _failure(server: Path, message: str, total: int = 0, failed: int = 0) -> dict:
    """A Failed record: the error as Azure shapes it, and the server's log (the script's traceback)."""
    # Azure links the container's log (errorLogsUri); here it is a copy kept beside the record.
    logs = server.parent / "errorLogs.txt"
    logs.write_text(proc.tail(server / proc.LOG_FILE, 200))
    result = {"state": FAILED, "error": {"code": "ProfilingFailed", "statusCode": 400, "message": message},
              "errorLogsUri": logs.as_uri()}
    if total:
        result.update(totalQueries=total, successQueries=total - failed)
    return result


def _results(latencies: list[float], failed: int, cpu_cores: float, memory_gb: float) -> dict:
    """The success record: latency percentiles, what was used, and the recommendation made from it.

    maxUtilizedCpu is the server's CPU time over the replay's wall time (cores busy on average while it was
    answering back to back, which is its peak load here); maxUtilizedMemoryInGB is its peak resident set.
    """
    total = len(latencies)
    return {
        "state": SUCCEEDED, "totalQueries": total, "successQueries": total - failed,
        "successRate": round(100.0 * (total - failed) / total, 2),
        "averageLatencyInMs": round(sum(latencies) / len(latencies), 3),
        **{f"latencyPercentile{label}InMs": round(percentile(latencies, q), 3)
           for label, q in (("50", 50), ("90", 90), ("95", 95), ("99", 99), ("999", 99.9))},
        "measuredQueriesPerSecond": round(1000.0 * len(latencies) / sum(latencies), 3),
        "maxUtilizedCpu": round(cpu_cores, 4), "maxUtilizedMemoryInGB": round(memory_gb, 4),
        "recommendedCpu": recommend(cpu_cores, CPU_STEP), "recommendedMemoryInGB": recommend(memory_gb, MEMORY_STEP),
    }


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile by linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def recommend(used: float, step: float) -> float:
    """What to ask for: the measured use plus HEADROOM (bursts the sample did not show), rounded up to the
    container size step, and never less than one step (ACI's smallest size)."""
    return round(max(step, math.ceil(used * HEADROOM / step) * step), 1)


def _cpu_seconds(pid: int) -> float:
    # utime + stime of the server process (fields 14 and 15 of /proc/<pid>/stat), in clock ticks.
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_gb(pid: int) -> float:
    # VmHWM is the process's peak resident set size ("high water mark"), in kB.
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / (1024 * 1024)
    except OSError:
        pass
    return 0.0
