"""Add Explanation to RAI Insights dashboard (stand-in): how much each feature matters to the model overall.

Permutation importance on the test rows: each feature's values are shuffled (five times) and the drop in the
model's score is that feature's importance (accuracy for classification, R² for regression). The real component
fits a mimic explainer (SHAP values of a surrogate model); the ranking answers the same question.
"""

from __future__ import annotations

import argparse

import _insights as rai
from sklearn.inspection import permutation_importance

REPEATS = 5


def arguments(argv=None) -> argparse.Namespace:
    """The component's inputs, as its command passes them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rai_insights_dashboard", required=True)
    parser.add_argument("--explanation_path", required=True)
    parser.add_argument("--comment", default="")
    return parser.parse_args(argv)


def importance(model, features, target, regression: bool) -> list[dict]:
    """Each feature with its mean and spread of score drop, most important first."""
    scoring = "r2" if regression else "accuracy"
    found = permutation_importance(model, rai.as_model_input(features), target.to_numpy(), scoring=scoring,
                                   n_repeats=REPEATS, random_state=0)
    rows = [{"feature": name, "importance": round(float(mean), 6), "std": round(float(std), 6)}
            for name, mean, std in zip(features.columns, found.importances_mean, found.importances_std, strict=True)]
    return sorted(rows, key=lambda row: -row["importance"])


def main(argv=None) -> None:
    """Compute the explanation insight of the dashboard."""
    args = arguments(argv)
    meta, features, target, _ = rai.load_dashboard(args.rai_insights_dashboard)
    model = rai.load_model(args.rai_insights_dashboard)
    regression = meta["task_type"] == rai.REGRESSION
    ranked = importance(model, features, target, regression)
    insight = {"kind": "explanation", "dashboard_id": meta["id"], "comment": args.comment,
               "method": "permutation importance", "score": "r2" if regression else "accuracy",
               "repeats": REPEATS, "global_importance": ranked}
    rai.write_json(args.explanation_path, "explanation.json", insight)
    top = ", ".join(f"{row['feature']} ({row['importance']:.4f})" for row in ranked[:3])
    print(f"Explanation ({args.comment or 'no comment'}): most important features {top}.")


if __name__ == "__main__":
    main()
