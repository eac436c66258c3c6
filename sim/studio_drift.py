"""What the Studio's Dataset monitors view shows: each data drift monitor, the drift magnitude of each period it
compared, and each feature's drift contribution and distances in the latest period.

Read from the service's records (`sim.cloud.datadrift`), the newest result per period, as Studio charts them.
"""

from __future__ import annotations

from sim.cloud import datasets
from sim.cloud.datadrift import monitors, results

DISTANCES = ("wasserstein_distance", "energy_distance", "jensen_shannon_distance", "euclidean_distance")


def monitor_rows(ws) -> list[dict]:
    """One row per monitor: its datasets, compute, frequency, threshold (%), state and periods compared."""
    record = ws._record
    return [{"name": m.name, "baseline": _dataset_name(record, m.baseline_dataset_id),
             "target": _dataset_name(record, m.target_dataset_id), "compute": m.compute_target,
             "frequency": m.frequency, "threshold": round(100 * m.drift_threshold, 1), "state": m.state,
             "periods": len(results.rows_of(record, m.id))}
            for m in monitors.list_monitors(record)]


def monitor_view(ws, name: str) -> dict:
    """{'threshold': %, 'magnitude': [{'period', 'drift', 'over'}], 'latest': period, 'features': [{...}]}."""
    monitor = monitors.get(ws._record, name)
    rows = results.rows_of(ws._record, monitor.id)
    threshold = 100 * monitor.drift_threshold
    magnitude = [{"period": r["start_date"][:10], "drift": round(100 * r["coefficient"], 2),
                  "over": 100 * r["coefficient"] > threshold} for r in rows]
    latest = rows[-1] if rows else None
    return {"threshold": threshold, "magnitude": magnitude, "latest": latest["start_date"][:10] if latest else None,
            "features": _feature_rows(latest["columns"]) if latest else []}


def _feature_rows(columns: dict) -> list[dict]:
    """Each feature's contribution (%) and distances, the largest contribution first."""
    found = [{"feature": name, "contribution": round(values.get("datadrift_contribution", 0.0), 2),
              **{d: round(values[d], 4) for d in DISTANCES if d in values}} for name, values in columns.items()]
    return sorted(found, key=lambda row: -row["contribution"])


def _dataset_name(record, dataset_id: str) -> str:
    try:
        info = datasets.get_by_id(record, dataset_id)
    except Exception:  # noqa: BLE001 - a dataset unregistered since: show its id, as Studio does
        return dataset_id
    return info.name or dataset_id
