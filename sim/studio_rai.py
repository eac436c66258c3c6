"""What a run's page in the Studio shows of its responsible-AI results: explanations, fairness dashboards and the
Responsible AI insights of an SDK v2 pipeline.

Read from the run's files (`sim.cloud.runs.assessments`): each explanation's global importance (a bar chart) and
each fairness dashboard's metrics by group (a table), as the Studio's Explanations and Fairness tabs show them.
A pipeline job that gathered an RAI insights dashboard (the azureml registry's components, `sim.cloud.registry`)
shows it as tables: error analysis, feature importance and counterfactuals (the real dashboard is interactive).
"""

from __future__ import annotations

import json

from sim.cloud import command_jobs, data_uris, pipelines
from sim.cloud.errors import CloudError
from sim.cloud.runs import assessments, state

RAI_DASHBOARD = "rai_insights.json"


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


def rai_insights(record, run_id: str) -> list[dict]:
    """Each RAI insights dashboard a pipeline job gathered: title, task, model, overall error rate, the error
    tree's leaves (worst first), the error heat map, feature importance and counterfactuals ([] for other runs)."""
    if not pipelines.is_pipeline_job(state.get(record, run_id)):
        return []
    return [_insights_view(child["run_id"], board) for child in pipelines.steps(record, run_id)
            if (board := _gathered_dashboard(record, child)) is not None]


def _gathered_dashboard(record, child: dict) -> dict | None:
    """The gathered dashboard among a node's outputs (its rai_insights.json with insights), or None."""
    if not command_jobs.is_command_job(child):
        return None
    for uri in command_jobs.output_uris(record, child["run_id"]).values():
        try:
            found = data_uris.local_path(record, uri) / RAI_DASHBOARD
        except CloudError:
            continue
        if found.is_file():
            board = json.loads(found.read_text(encoding="utf-8"))
            if "insights" in board:
                return board
    return None


def _insights_view(job: str, board: dict) -> dict:
    errors = (board["insights"].get("error_analysis") or [{}])[0]
    explanation = (board["insights"].get("explanation") or [{}])[0]
    changes = (board["insights"].get("counterfactual") or [{}])[0]
    leaves = sorted((n for n in errors.get("tree", []) if n["leaf"]), key=lambda n: -n["error_rate"])
    return {"job": job, "title": board["title"], "task_type": board["task_type"], "target": board["target_column"],
            "model": board.get("model_id") or "", "test_rows": board["test_rows"],
            "error_rate": (errors.get("overall") or {}).get("error_rate"),
            "error_tree": [{k: n[k] for k in ("condition", "rows", "errors", "error_rate")} for n in leaves],
            "error_heat_map": errors.get("heat_map", []), "importance": explanation.get("global_importance", []),
            "importance_comment": explanation.get("comment", ""), "counterfactuals": _counterfactual_rows(changes)}


def _counterfactual_rows(insight: dict) -> list[dict]:
    return [{"row": row["row"], "prediction": row["prediction"], "changed": cf["changed"],
             "counterfactual_prediction": cf["prediction"]}
            for row in insight.get("rows", []) for cf in row["counterfactuals"]]
