"""Application Insights of a v1 web service: the switch, and the request records its scoring server wrote.

A service records its requests only while `enable_app_insights` is on in its configuration (ACI's
`deploy_configuration(enable_app_insights=True)` or `service.update(enable_app_insights=True)`); the records live
in the service's folder (`sim._request_log`), so they go when the service is deleted, as its Application Insights
data is no longer reachable from the workspace then. Reads here are what the Studio shows: the records themselves,
and per-interval counts, failures and latency (what Application Insights' Performance and Failures views chart).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sim import _request_log
from sim.cloud.services import _table as table

APP_INSIGHTS_KEY = "enable_app_insights"  # the service configuration's switch (sim.azureml.core.webservice.aci)


@dataclass(frozen=True)
class RequestTelemetry:
    """One scoring request as Application Insights records it."""

    timestamp: datetime
    name: str
    result_code: str
    success: bool
    duration_ms: float
    request_bytes: int
    response_bytes: int


def apply(folder: Path, config: dict) -> None:
    """Make the service's server record requests (or stop) as its configuration says; the server follows within
    its next request."""
    _request_log.set_enabled(folder, bool(config.get(APP_INSIGHTS_KEY)))


def enabled(record, name: str) -> bool:
    """True when service `name` has Application Insights on (raises WebserviceNotFound)."""
    return bool(table.get(record, name).config.get(APP_INSIGHTS_KEY))


def _parse(line: str) -> RequestTelemetry | None:
    try:
        raw = json.loads(line)
        return RequestTelemetry(datetime.fromisoformat(raw["timestamp"]), raw["name"], str(raw["resultCode"]),
                                bool(raw["success"]), float(raw["duration"]), int(raw["requestSize"]),
                                int(raw["responseSize"]))
    except (ValueError, KeyError, TypeError):  # a line cut short by a crash mid-write is skipped, not fatal
        return None


def _lines(folder: Path) -> list[str]:
    lines = []
    for name in (_request_log.ROTATED_FILE, _request_log.REQUESTS_FILE):  # older file first
        try:
            lines.extend((folder / name).read_text(errors="replace").splitlines())
        except OSError:
            continue
    return lines


def request_records(record, name: str) -> list[RequestTelemetry]:
    """Every request recorded for service `name`, oldest first (raises WebserviceNotFound)."""
    parsed = (_parse(line) for line in _lines(table.get(record, name).folder))
    return sorted((item for item in parsed if item is not None), key=lambda item: item.timestamp)


def _percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def summary(records: list[RequestTelemetry], interval_seconds: int = 60) -> list[dict]:
    """Requests per interval: its start (UTC), count, failures, and average and 95th-percentile latency (ms)."""
    buckets: dict[datetime, list[RequestTelemetry]] = {}
    for item in records:
        epoch = item.timestamp.timestamp()
        start = datetime.fromtimestamp(epoch - epoch % interval_seconds, tz=item.timestamp.tzinfo)
        buckets.setdefault(start, []).append(item)
    rows = []
    for start, items in sorted(buckets.items()):
        durations = [item.duration_ms for item in items]
        rows.append({"time": start, "requests": len(items), "failed": sum(not item.success for item in items),
                     "average_ms": round(sum(durations) / len(durations), 1),
                     "p95_ms": round(_percentile(durations, 0.95), 1)})
    return rows
