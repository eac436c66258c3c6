"""Add Error Analysis to RAI Insights dashboard (stand-in): where in the data the model goes wrong.

A decision tree is grown on the test rows to separate the rows the model gets wrong from those it gets right
(for regression: on the absolute error), limited by max_depth, num_leaves and min_child_samples, as the real
component grows its surrogate tree. Every node keeps its condition, rows, errors and error rate; the rates are
counted on the data, not taken from the tree. With filter_features, the error rate by one or two features'
value ranges (the real dashboard's heat map).
"""

from __future__ import annotations

import argparse

import _insights as rai
import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

BINS = 4  # value ranges per numeric feature in the heat map (quartiles)


def arguments(argv=None) -> argparse.Namespace:
    """The component's inputs, as its command passes them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rai_insights_dashboard", required=True)
    parser.add_argument("--error_analysis_path", required=True)
    parser.add_argument("--max_depth", type=int, default=3)
    parser.add_argument("--num_leaves", type=int, default=31)
    parser.add_argument("--min_child_samples", type=int, default=20)
    parser.add_argument("--filter_features", default="[]")
    return parser.parse_args(argv)


def grow_tree(features: pd.DataFrame, errors: pd.Series, args, regression: bool):
    """The fitted tree that splits the rows by how wrong the model is on them."""
    kind = DecisionTreeRegressor if regression else DecisionTreeClassifier
    tree = kind(max_depth=args.max_depth, max_leaf_nodes=max(2, args.num_leaves),
                min_samples_leaf=max(1, args.min_child_samples), random_state=0)
    return tree.fit(features.astype(float).to_numpy(), errors.to_numpy())


def tree_nodes(tree, features: pd.DataFrame, errors: pd.Series) -> list[dict]:
    """Every node of the tree, root first: its condition, parent, rows, errors and error rate on the data."""
    structure, names = tree.tree_, list(features.columns)
    membership = tree.decision_path(features.astype(float).to_numpy())
    nodes, paths = [], {0: (None, [])}
    for node in range(structure.node_count):
        rows = membership[:, node].nonzero()[0]
        parent, path = paths[node]
        nodes.append(_node(node, parent, path, errors.iloc[rows], structure.children_left[node] == -1))
        left, right = structure.children_left[node], structure.children_right[node]
        if left != -1:
            name, threshold = names[structure.feature[node]], round(float(structure.threshold[node]), 4)
            paths[left] = (node, [*path, f"{name} <= {threshold}"])
            paths[right] = (node, [*path, f"{name} > {threshold}"])
    return nodes


def _node(node: int, parent, path: list[str], errors: pd.Series, is_leaf: bool) -> dict:
    """One node: the conditions that lead to it (none for the root) and the model's errors on its rows."""
    count = int(len(errors))
    total = float(errors.sum())
    return {"id": int(node), "parent": None if parent is None else int(parent),
            "condition": " and ".join(path) or "all rows", "rows": count, "errors": round(total, 4),
            "error_rate": round(total / count, 4) if count else 0.0, "leaf": bool(is_leaf)}


def heat_map(features: pd.DataFrame, errors: pd.Series, chosen: list) -> list[dict]:
    """Error rate by the value ranges of one or two features (rows, errors, error rate per cell)."""
    unknown = [f for f in chosen if f not in features.columns]
    if unknown or len(chosen) > 2:
        rai.fail(f"filter_features must name one or two of the features {list(features.columns)}; got {chosen}.")
    if not chosen:
        return []
    groups = [_ranges(features[name]) for name in chosen]
    table = pd.DataFrame({"error": errors.to_numpy()}, index=features.index)
    cells = table.groupby(groups, observed=True)["error"].agg(["count", "sum"]).reset_index()
    cells.columns = [*chosen, "rows", "errors"]
    cells["error_rate"] = (cells["errors"] / cells["rows"]).round(4)
    return [{k: (str(v) if k in chosen else v) for k, v in row.items()} for row in cells.to_dict("records")]


def _ranges(column: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(column) and column.nunique() > BINS:
        return pd.qcut(column, BINS, duplicates="drop")
    return column.astype(str)


def main(argv=None) -> None:
    """Compute the error analysis insight of the dashboard."""
    args = arguments(argv)
    meta, features, target, predictions = rai.load_dashboard(args.rai_insights_dashboard)
    errors = rai.is_error(meta, target, predictions)
    regression = meta["task_type"] == rai.REGRESSION
    tree = grow_tree(features, errors, args, regression)
    nodes = tree_nodes(tree, features, errors)
    insight = {"kind": "error_analysis", "dashboard_id": meta["id"], "metric": "mean absolute error"
               if regression else "error rate", "max_depth": args.max_depth, "num_leaves": args.num_leaves,
               "min_child_samples": args.min_child_samples, "overall": nodes[0], "tree": nodes,
               "filter_features": rai.json_list(args.filter_features, "filter_features"),
               "heat_map": heat_map(features, errors, rai.json_list(args.filter_features, "filter_features"))}
    rai.write_json(args.error_analysis_path, "error_analysis.json", insight)
    worst = max((n for n in nodes if n["leaf"]), key=lambda n: n["error_rate"])
    print(f"Error analysis: {nodes[0]['error_rate']:.2%} overall ({int(np.sum(errors > 0))} of {len(errors)} rows "
          f"wrong); worst leaf {worst['condition']!r}: {worst['error_rate']:.2%} of {worst['rows']} rows.")


if __name__ == "__main__":
    main()
