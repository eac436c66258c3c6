"""Add Counterfactuals to RAI Insights dashboard (stand-in): the smallest changes that change the prediction.

For each test row (at most `ROWS`), the training rows the model predicts as wanted (the desired class, any other
class for 'opposite', or inside desired_range for regression) are candidates, nearest first in features scaled to
the training range. From the row, the candidate's values are copied one feature at a time, largest scaled
difference first, until the model's prediction is the wanted one; that changed row is a counterfactual. The real
component searches with DiCE; the result answers the same question: what would have to differ.
"""

from __future__ import annotations

import argparse
import json

import _insights as rai
import pandas as pd

ROWS = 20  # test rows explained (the real dashboard computes them for every row, in minutes)


def arguments(argv=None) -> argparse.Namespace:
    """The component's inputs, as its command passes them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rai_insights_dashboard", required=True)
    parser.add_argument("--counterfactual_path", required=True)
    parser.add_argument("--total_CFs", type=int, default=10)
    parser.add_argument("--method", default="random")
    parser.add_argument("--desired_class", default="0")
    parser.add_argument("--desired_range", default="[]")
    parser.add_argument("--permitted_range", default="{}")
    parser.add_argument("--features_to_vary", default="all")
    parser.add_argument("--feature_importance", default="True")
    return parser.parse_args(argv)


def wanted(meta: dict, args, prediction):
    """A test function: is a prediction what the counterfactual must reach for this row's prediction?"""
    if meta["task_type"] == rai.REGRESSION:
        low, high = (rai.json_list(args.desired_range, "desired_range") + [None, None])[:2]
        if low is None or high is None:
            rai.fail("regression counterfactuals need desired_range as a JSON [low, high].")
        return lambda p: low <= float(p) <= high
    if args.desired_class == "opposite":
        return lambda p: str(p) != str(prediction)
    classes = meta["classes"]
    index = int(args.desired_class) if args.desired_class.lstrip("-").isdigit() else None
    target = classes[index] if index is not None and 0 <= index < len(classes) else args.desired_class
    return lambda p: str(p) == str(target)


def varying(features: pd.DataFrame, args) -> list[str]:
    """The features a counterfactual may change."""
    if args.features_to_vary in ("all", ""):
        return list(features.columns)
    chosen = rai.json_list(args.features_to_vary, "features_to_vary")
    unknown = [f for f in chosen if f not in features.columns]
    if unknown:
        rai.fail(f"features_to_vary names {unknown}, which are not features: {list(features.columns)}.")
    return chosen


def counterfactual(model, row: pd.Series, candidate: pd.Series, scale: pd.Series, order_of: list[str], goal):
    """The row with the candidate's values copied in (largest scaled change first) until the goal is met."""
    differences = ((candidate[order_of] - row[order_of]).abs() / scale[order_of]).sort_values(ascending=False)
    changed = [f for f in differences.index if differences[f] > 0]
    steps = []
    current = row.copy()
    for feature in changed:
        current = current.copy()
        current[feature] = candidate[feature]
        steps.append(current)
    if not steps:
        return None
    predictions = model.predict(rai.as_model_input(pd.DataFrame(steps)))
    for number, prediction in enumerate(predictions):
        if goal(prediction):
            return _fewest(model, row, steps[number], changed[: number + 1], goal)
    return None


def _fewest(model, row: pd.Series, values: pd.Series, changed: list[str], goal):
    """(values, changed features, prediction) after putting back each change the goal does not need."""
    kept = list(changed)
    for feature in changed[:-1]:
        trial = values.copy()
        trial[feature] = row[feature]
        if goal(model.predict(rai.as_model_input(pd.DataFrame([trial])))[0]):
            values, kept = trial, [f for f in kept if f != feature]
    return values, kept, model.predict(rai.as_model_input(pd.DataFrame([values])))[0]


def explain_row(model, row, prediction, pool, scale, args, meta, order_of) -> list[dict]:
    """Up to total_CFs counterfactuals of one test row."""
    goal = wanted(meta, args, prediction)
    distance = (((pool[order_of] - row[order_of]) / scale[order_of]) ** 2).sum(axis=1)
    found = []
    for index in distance.sort_values().index[: args.total_CFs * 3]:
        result = counterfactual(model, row, pool.loc[index], scale, order_of, goal)
        if result is not None:
            values, changed, reached = result
            found.append({"changed": {f: values[f] for f in changed}, "prediction": reached})
        if len(found) == args.total_CFs:
            break
    return found


def main(argv=None) -> None:
    """Compute the counterfactual insight of the dashboard."""
    args = arguments(argv)
    meta, features, _, predictions = rai.load_dashboard(args.rai_insights_dashboard)
    model = rai.load_model(args.rai_insights_dashboard)
    train, _ = rai.load_train(args.rai_insights_dashboard, meta)
    train = train.astype(float)
    order_of = varying(features, args)
    scale = (train.max() - train.min()).replace(0, 1.0)
    pool_predictions = model.predict(rai.as_model_input(train))
    rows = []
    for position in range(min(ROWS, len(features))):
        row, prediction = features.iloc[position].astype(float), predictions[position]
        goal = wanted(meta, args, prediction)
        pool = train[[goal(p) for p in pool_predictions]]
        cfs = explain_row(model, row, prediction, pool, scale, args, meta, order_of)
        rows.append({"row": position, "prediction": prediction, "counterfactuals": cfs})
    changes = pd.Series([f for r in rows for cf in r["counterfactuals"] for f in cf["changed"]], dtype=object)
    share = (changes.value_counts() / max(1, sum(len(r["counterfactuals"]) for r in rows))).round(4)
    insight = {"kind": "counterfactual", "dashboard_id": meta["id"], "method": "nearest wanted training row, "
               "fewest features changed", "total_CFs": args.total_CFs, "desired_class": args.desired_class,
               "rows": rows, "feature_importance": {str(k): float(v) for k, v in share.items()}
               if str(args.feature_importance).lower() == "true" else {}}
    rai.write_json(args.counterfactual_path, "counterfactual.json", insight)
    found = sum(len(r["counterfactuals"]) for r in rows)
    print(f"Counterfactuals: {found} for {len(rows)} test rows; features changed most: "
          f"{json.dumps(dict(list(insight['feature_importance'].items())[:3]))}.")


if __name__ == "__main__":
    main()
