"""What the Studio shows of a v1 web service's Application Insights: its requests, failures and latency over time.

Read from the request records the service's scoring server kept while `enable_app_insights` was on
(`sim.cloud.services.request_records`). Local services have no Application Insights (as in the SDK, whose
LocalWebservice has no such option), so the view says which kind can have it.
"""

from __future__ import annotations

from sim.cloud import services

RECENT = 20  # the newest requests listed one by one under the chart
MINUTES = 30  # the newest minutes with requests in the chart and its table (the totals count every request)


def service_insights(record, name: str) -> dict:
    """A service's Application Insights view.

    Returns:
        available (an ACI service), enabled (recording now), totals ({requests, failed, average_ms}),
        per_minute (the newest MINUTES services.request_summary rows, oldest first, `time` as 'MM-DD HH:MM' UTC, which
        sorts as time does within a year) and recent (the newest requests, newest first, as rows with Application
        Insights' column names).
    """
    service = services.get(record, name)
    records = services.request_records(record, name) if service.compute_type == services.ACI else []
    durations = [item.duration_ms for item in records]
    return {
        "available": service.compute_type == services.ACI,
        "enabled": services.app_insights_enabled(record, name),
        "totals": {"requests": len(records), "failed": sum(not item.success for item in records),
                   "average_ms": round(sum(durations) / len(durations), 1) if durations else None},
        "per_minute": [{**row, "time": row["time"].strftime("%m-%d %H:%M")}
                       for row in services.request_summary(records)[-MINUTES:]],
        "recent": [_row(item) for item in reversed(records[-RECENT:])],
    }


def _row(item) -> dict:
    return {"timestamp": item.timestamp.strftime("%Y-%m-%d %H:%M:%S"), "name": item.name,
            "resultCode": item.result_code, "success": item.success, "duration": round(item.duration_ms, 1),
            "requestSize": item.request_bytes, "responseSize": item.response_bytes}
