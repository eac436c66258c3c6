"""The labs' diabetes-style data set, generated deterministically (no download).

Each row is a (fictional) patient. Columns:

| column | meaning | type, clipped to |
|---|---|---|
| PatientID | unique id | int, 1000000.. |
| Pregnancies | times pregnant | int 0..14 |
| PlasmaGlucose | plasma glucose two hours into a glucose tolerance test (mg/dL) | int 44..199 |
| DiastolicBloodPressure | diastolic blood pressure (mm Hg) | int 24..117 |
| TricepsThickness | triceps skin-fold thickness (mm) | int 7..92 |
| SerumInsulin | two-hour serum insulin (mu U/ml) | int 14..796 |
| BMI | body mass index | float 18.2..56.0, 2 decimals |
| DiabetesPedigree | family-history score | float 0.078..2.4, 3 decimals |
| Age | years | int 21..77 |
| Diabetic | label: 1 diabetic, 0 not | int |

`ROWS` rows, exactly `POSITIVES` of them diabetic (`LABEL_RATE`). The label depends on glucose, BMI, age,
pregnancies and pedigree plus noise, so a logistic regression or a decision tree learns it well but not
perfectly. The train/test split every lab states is `split()` (30% test, random_state=0).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 100
ROWS = 10_000
POSITIVES = 3_400
LABEL_RATE = POSITIVES / ROWS
FEATURES = ["Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness", "SerumInsulin",
            "BMI", "DiabetesPedigree", "Age"]
LABEL = "Diabetic"
COLUMNS = ["PatientID", *FEATURES, LABEL]
TEST_SIZE = 0.30
SPLIT_RANDOM_STATE = 0
FILE_NAME = "diabetes.csv"


def _clip_int(values: np.ndarray, low: int, high: int) -> np.ndarray:
    return np.clip(np.rint(values), low, high).astype(int)


@lru_cache(maxsize=1)
def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    n = ROWS
    age = _clip_int(21 + rng.gamma(2.0, 8.0, n), 21, 77)
    pregnancies = _clip_int(rng.poisson(np.clip((age - 18) / 8, 0.2, 6)), 0, 14)
    glucose = _clip_int(rng.normal(105, 28, n) + 0.25 * (age - 30), 44, 199)
    pressure = _clip_int(rng.normal(70, 12, n) + 0.15 * (age - 30), 24, 117)
    triceps = _clip_int(rng.normal(28, 11, n), 7, 92)
    bmi = np.round(np.clip(rng.normal(31, 7, n) + 0.2 * (triceps - 28), 18.2, 56.0), 2)
    insulin = _clip_int(np.exp(rng.normal(4.5, 0.7, n)) + 0.8 * np.maximum(glucose - 100, 0), 14, 796)
    pedigree = np.round(np.clip(rng.lognormal(-1.0, 0.6, n), 0.078, 2.4), 3)
    score = (0.045 * (glucose - 105) + 0.09 * (bmi - 31) + 0.035 * (age - 35) + 0.12 * pregnancies
             + 0.9 * (pedigree - 0.4) + rng.logistic(0, 0.9, n))
    # Exactly POSITIVES diabetic rows: the highest risk scores (ties are impossible with continuous noise).
    label = np.zeros(n, dtype=int)
    label[np.argsort(-score)[:POSITIVES]] = 1
    return pd.DataFrame({
        "PatientID": np.arange(1_000_000, 1_000_000 + n), "Pregnancies": pregnancies, "PlasmaGlucose": glucose,
        "DiastolicBloodPressure": pressure, "TricepsThickness": triceps, "SerumInsulin": insulin, "BMI": bmi,
        "DiabetesPedigree": pedigree, "Age": age, LABEL: label,
    }, columns=COLUMNS)


def frame() -> pd.DataFrame:
    """The whole data set (a copy, so callers may change it)."""
    return _frame().copy()


def write_csv(folder: Path | str, name: str = FILE_NAME, rows: int | None = None) -> Path:
    """Write the data set (or its first `rows` rows) as CSV into `folder`; returns the file path."""
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = _frame() if rows is None else _frame().head(rows)
    data.to_csv(path, index=False)
    return path


def split(df: pd.DataFrame | None = None):
    """The labs' stated split: `X_train, X_test, y_train, y_test` (30% test, random_state=0)."""
    from sklearn.model_selection import train_test_split

    df = _frame() if df is None else df
    return train_test_split(df[FEATURES].values, df[LABEL].values, test_size=TEST_SIZE,
                            random_state=SPLIT_RANDOM_STATE)


def score_model(model, df: pd.DataFrame | None = None) -> dict:
    """Accuracy and AUC of a fitted classifier on the stated test split (what checks compare logs with)."""
    from sklearn.metrics import roc_auc_score

    _, X_test, _, y_test = split(df)
    predicted = model.predict(X_test)
    result = {"accuracy": float(np.mean(predicted == y_test))}
    if hasattr(model, "predict_proba"):
        result["auc"] = float(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
    return result


def write_parts(folder: Path | str, parts: int = 2) -> list[Path]:
    """Write the data set split into `parts` CSV files of equal size (`diabetes-part1.csv`, ...)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    size = ROWS // parts
    paths = []
    for index in range(parts):
        path = folder / f"diabetes-part{index + 1}.csv"
        _frame().iloc[index * size:(index + 1) * size].to_csv(path, index=False)
        paths.append(path)
    return paths
