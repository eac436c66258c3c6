"""What a run's page in the Studio shows of its responsible-AI results: explanations and fairness dashboards.

Read from the run's files (`sim.cloud.runs.assessments`): each explanation's global importance (a bar chart) and
each fairness dashboard's metrics by group (a table), as the Studio's Explanations and Fairness tabs show them.
"""

from __future__ import annotations

from sim.cloud.runs import assessments


def explanations(record, run_id: str) -> list[dict]:
    """Each global explanation on the run: its comment and {feature: importance}, most important first."""
    shown = []
    for item in assessments.listing(record, run_id, assessments.EXPLANATION):
        data = assessments.load(record, run_id, assessments.EXPLANATION, item["id"])
        if data["type"] != "global":
            continue
        ranked = sorted(zip(data["features"], data["global_importance_values"], strict=True), key=lambda p: -p[1])
        shown.append({"id": item["id"], "comment": item.get("comment") or "", "importance": dict(ranked)})
    return shown


def fairness(record, run_id: str) -> list[dict]:
    """Each fairness dashboard on the run: its name and one row per (feature, model, group) with the metrics."""
    shown = []
    for item in assessments.listing(record, run_id, assessments.DASHBOARD):
        data = assessments.load(record, run_id, assessments.DASHBOARD, item["id"])
        shown.append({"id": item["id"], "name": item.get("dashboard_name") or item["id"], "rows": _rows(data)})
    return shown


def _rows(dashboard: dict) -> list[dict]:
    rows = []
    for bins, per_model in zip(dashboard["precomputedFeatureBins"], dashboard["precomputedMetrics"], strict=True):
        for model, metrics in zip(dashboard["modelNames"], per_model, strict=True):
            for index, group in enumerate(bins["binLabels"]):
                rows.append({"feature": bins["featureBinName"], "model": model, "group": group,
                             **{name: round(v["bins"][index], 4) for name, v in metrics.items()}})
    return rows
