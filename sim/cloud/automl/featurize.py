"""Featurization ('auto' or 'off') and the data guardrails AutoML reports before its trials.

'auto' imputes missing numbers with the column mean and missing categories with the most frequent one, one-hot
encodes categorical columns (a high-cardinality column keeps its 100 most frequent categories; an ID-like
column, nearly every value distinct, is dropped) and scales numbers with the trial's scaler. 'off' passes
numeric columns as they are, so the data must have no missing values and no text (checked at submit).
"""

from __future__ import annotations

import pandas as pd

from sim.cloud.automl import catalog
from sim.cloud.automl import messages as text
from sim.cloud.errors import JOB, UserError

HIGH_CARDINALITY = 100  # distinct categories beyond which a column is high-cardinality
ID_LIKE_RATIO = 0.9  # a text column whose values are this share distinct is an identifier, not a feature
IMBALANCE_RATIO = 0.2  # a minority class under 20% of the majority's size is imbalanced
PASSED, DONE, ALERTED = "Passed", "Done", "Alerted"


def column_kinds(features: pd.DataFrame) -> dict[str, list[str]]:
    """{'numeric': [...], 'categorical': [...], 'high_cardinality': [...], 'dropped': [...]} of the features."""
    kinds = {"numeric": [], "categorical": [], "high_cardinality": [], "dropped": []}
    for column in features.columns:
        series = features[column]
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            kinds["numeric"].append(column)
            continue
        distinct = series.nunique(dropna=True)
        if distinct > HIGH_CARDINALITY and distinct >= ID_LIKE_RATIO * series.notna().sum():
            kinds["dropped"].append(column)
        elif distinct > HIGH_CARDINALITY:
            kinds["high_cardinality"].append(column)
        else:
            kinds["categorical"].append(column)
    return kinds


def check_off(features: pd.DataFrame) -> None:
    """Refuse data that featurization 'off' cannot train on (missing values, non-numeric columns)."""
    kinds = column_kinds(features)
    text_columns = kinds["categorical"] + kinds["high_cardinality"] + kinds["dropped"]
    if text_columns:
        raise UserError(JOB, text.OFF_WITH_TEXT.format(columns=", ".join(map(str, text_columns))))
    nulls = [str(c) for c in features.columns if features[c].isna().any()]
    if nulls:
        raise UserError(JOB, text.OFF_WITH_NULLS.format(columns=", ".join(nulls)))


def transformer(features: pd.DataFrame, mode: str, scaler_name: str | None = None):
    """The featurization step of a trial's pipeline ('datatransformer'): impute and one-hot encode; numbers are
    scaled inside it only when `scaler_name` is given (the trials scale in a step of their own after it, so one
    fitted datatransformer serves every trial). None when featurization is 'off'."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    if mode == "off":
        return None
    kinds = column_kinds(features)
    parts = []
    if kinds["numeric"]:
        numeric = [SimpleImputer(strategy="mean")] + ([catalog.scaler(scaler_name)] if scaler_name else [])
        parts.append(("numeric", make_pipeline(*numeric), kinds["numeric"]))
    categorical = kinds["categorical"] + kinds["high_cardinality"]
    if categorical:
        encoder = OneHotEncoder(handle_unknown="infrequent_if_exist", max_categories=HIGH_CARDINALITY,
                                sparse_output=False)
        parts.append(("categorical", make_pipeline(SimpleImputer(strategy="most_frequent"), encoder), categorical))
    return ColumnTransformer(parts, remainder="drop")


def guardrails(features: pd.DataFrame, labels: pd.Series, task: str, mode: str, validation: str) -> list[dict]:
    """The data guardrails as the service reports them: name, result (Passed/Done/Alerted), what it found."""
    rails = [{"name": "Validation split handling", "result": DONE, "description": validation}]
    if mode == "off":
        return rails
    if task == catalog.CLASSIFICATION:
        rails.append(_class_balance(labels))
    rails.append(_missing_values(features))
    rails.append(_high_cardinality(features))
    return rails


def _class_balance(labels: pd.Series) -> dict:
    counts = labels.value_counts()
    ratio = counts.min() / counts.max()
    if ratio >= IMBALANCE_RATIO:
        return {"name": "Class balancing detection", "result": PASSED,
                "description": "Your inputs were analyzed, and all classes are balanced in your training data.",
                "details": []}
    return {"name": "Class balancing detection", "result": ALERTED,
            "description": (f"The smallest class has {ratio:.0%} as many rows as the largest: imbalanced data can "
                            "make accuracy look better than the model is. Consider AUC_weighted or "
                            "norm_macro_recall as the primary metric, or more rows of the small class."),
            "details": [{"class": str(k), "rows": int(v)} for k, v in counts.items()]}


def _missing_values(features: pd.DataFrame) -> dict:
    missing = {str(c): int(n) for c, n in features.isna().sum().items() if n}
    if not missing:
        return {"name": "Missing feature values imputation", "result": PASSED,
                "description": "No missing feature values were detected in the training data.", "details": []}
    numeric = set(column_kinds(features)["numeric"])
    details = [{"column": c, "missing": n, "imputation": "mean" if c in numeric else "most frequent"}
               for c, n in missing.items()]
    return {"name": "Missing feature values imputation", "result": DONE,
            "description": "Missing feature values were detected in the training data and imputed.",
            "details": details}


def _high_cardinality(features: pd.DataFrame) -> dict:
    kinds = column_kinds(features)
    if not kinds["high_cardinality"] and not kinds["dropped"]:
        return {"name": "High cardinality feature detection", "result": PASSED,
                "description": "Your inputs were analyzed, and no high cardinality features were detected.",
                "details": []}
    details = [{"column": str(c), "treatment": f"kept its {HIGH_CARDINALITY} most frequent categories"}
               for c in kinds["high_cardinality"]]
    details += [{"column": str(c), "treatment": "dropped (nearly every value distinct: an identifier)"}
                for c in kinds["dropped"]]
    return {"name": "High cardinality feature detection", "result": DONE,
            "description": "High cardinality features were detected in your inputs and handled.", "details": details}
