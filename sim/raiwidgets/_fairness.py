"""`FairnessDashboard`: per-group metrics of one or more models, displayed as HTML in a notebook."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from sim.fairness.group_metric_set import _create_group_metric_set

_NOTE = ("Simulated FairnessDashboard: the real one is an interactive widget (choose the feature, the metric, "
         "compare models on a chart); the numbers here are the same, computed with fairlearn.")


def _as_feature_dict(sensitive_features) -> dict:
    if isinstance(sensitive_features, pd.DataFrame):
        return {str(c): sensitive_features[c].to_numpy() for c in sensitive_features.columns}
    if isinstance(sensitive_features, pd.Series):
        return {str(sensitive_features.name or "Sensitive feature"): sensitive_features.to_numpy()}
    if isinstance(sensitive_features, dict):
        return {str(k): np.asarray(v) for k, v in sensitive_features.items()}
    values = np.asarray(sensitive_features)
    if values.ndim == 1:
        return {"Sensitive feature": values}
    return {f"Sensitive feature {i}": values[:, i] for i in range(values.shape[1])}


class FairnessDashboard:
    """raiwidgets' FairnessDashboard: shows how each model's metrics differ between sensitive groups."""

    def __init__(self, *, sensitive_features, y_true, y_pred, sensitive_feature_names=None, locale=None,
                 public_ip=None, port=None, fairness_metric_module=None, fairness_metric_mapping=None):
        predictions = y_pred if isinstance(y_pred, dict) else {"model": y_pred}
        features = _as_feature_dict(sensitive_features)
        if sensitive_feature_names:
            features = dict(zip(sensitive_feature_names, features.values(), strict=True))
        kind = "regression" if _looks_continuous(y_true) else "binary_classification"
        self.dashboard = _create_group_metric_set(y_true, predictions, features, kind)
        self._display()

    def table(self) -> pd.DataFrame:
        """One row per (sensitive feature, model, group): the group's metrics, plus an 'overall' row per model."""
        d = self.dashboard
        rows = []
        for bins, per_model in zip(d["precomputedFeatureBins"], d["precomputedMetrics"], strict=True):
            for model, metrics in zip(d["modelNames"], per_model, strict=True):
                groups = ["(overall)", *bins["binLabels"]]
                for index, group in enumerate(groups):
                    values = {m: (v["global"] if index == 0 else v["bins"][index - 1]) for m, v in metrics.items()}
                    rows.append({"sensitive feature": bins["featureBinName"], "model": model, "group": group,
                                 **values})
        return pd.DataFrame(rows).set_index(["sensitive feature", "model", "group"])

    def disparities(self) -> pd.DataFrame:
        """Per model and sensitive feature: the largest gap between groups of each metric."""
        groups = self.table().drop(index="(overall)", level="group")
        return groups.groupby(level=["sensitive feature", "model"]).agg(lambda s: s.max() - s.min())

    def _display(self) -> None:
        try:
            from IPython import get_ipython
            from IPython.display import HTML, display
        except ImportError:
            get_ipython = None
        if get_ipython is not None and get_ipython() is not None:
            display(HTML(self._repr_html_()))
        else:
            print(_NOTE)
            print(self.table().round(3).to_string())

    def _repr_html_(self) -> str:
        table = self.table().round(3)
        gaps = self.disparities().round(3)
        return (f"<div><p><em>{html.escape(_NOTE)}</em></p><h4>Metrics by group</h4>{table.to_html()}"
                f"<h4>Disparity (largest gap between groups)</h4>{gaps.to_html()}{_chart(table)}</div>")

    def __repr__(self):
        return f"<raiwidgets.FairnessDashboard: {len(self.dashboard['modelNames'])} model(s)>"


def _looks_continuous(y_true) -> bool:
    values = np.unique(np.asarray(y_true))
    return len(values) > 2 or not np.all(np.isin(values, [0, 1]))


def _chart(table: pd.DataFrame) -> str:
    """An inline SVG bar chart: each model's selection rate (or mean prediction) for each group."""
    metric = "selection_rate" if "selection_rate" in table.columns else "mean_prediction"
    data = table[metric].drop(index="(overall)", level="group")
    bar, gap, width = 18, 6, 260
    scale = 1.0 if metric == "selection_rate" else (float(data.abs().max()) or 1.0)
    rows = []
    for y, ((feature, model, group), value) in enumerate(data.items()):
        top = y * (bar + gap)
        length = min(1.0, abs(float(value)) / scale) * width
        label = html.escape(f"{model} · {feature} = {group}")
        rows.append(f'<text x="0" y="{top + 13}" font-size="11">{label}</text>'
                    f'<rect x="330" y="{top}" width="{length:.1f}" height="{bar}" fill="#0078d4"/>'
                    f'<text x="{335 + length:.1f}" y="{top + 13}" font-size="11">{value:.3f}</text>')
    height = len(rows) * (bar + gap)
    return (f"<h4>{metric.replace('_', ' ').capitalize()} by group</h4>"
            f'<svg width="660" height="{height}" role="img">{"".join(rows)}</svg>')
