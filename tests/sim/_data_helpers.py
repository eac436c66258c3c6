"""Helpers shared by the SIM-DATA tests: a workspace per module and diabetes-like CSV files."""

from __future__ import annotations

import numpy as np
import pandas as pd

SUB = "00000000-0000-0000-0000-0000000000da"
COLUMNS = ["PatientID", "Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness",
           "SerumInsulin", "BMI", "DiabetesPedigree", "Age", "Diabetic"]


def diabetes_frame(rows: int, seed: int) -> pd.DataFrame:
    """Synthetic patients with the lab's columns; the label depends on glucose, BMI and age."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "PatientID": rng.integers(1_000_000, 2_000_000, rows),
        "Pregnancies": rng.integers(0, 12, rows),
        "PlasmaGlucose": rng.integers(50, 190, rows),
        "DiastolicBloodPressure": rng.integers(40, 110, rows),
        "TricepsThickness": rng.integers(5, 50, rows),
        "SerumInsulin": rng.integers(15, 600, rows),
        "BMI": rng.uniform(18, 50, rows).round(6),
        "DiabetesPedigree": rng.uniform(0.08, 2.4, rows).round(6),
        "Age": rng.integers(21, 80, rows),
    })
    risk = (frame.PlasmaGlucose - 120) / 30 + (frame.BMI - 30) / 8 + (frame.Age - 40) / 20
    frame["Diabetic"] = (risk + rng.normal(0, 0.8, rows) > 0).astype(int)
    return frame


def write_diabetes_files(folder) -> list[str]:
    """Write ``data/diabetes.csv`` (300 rows) and ``data/diabetes2.csv`` (150 rows) under ``folder``."""
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    diabetes_frame(300, 1).to_csv(data / "diabetes.csv", index=False)
    diabetes_frame(150, 2).to_csv(data / "diabetes2.csv", index=False)
    return [str(data / "diabetes.csv"), str(data / "diabetes2.csv")]


def new_workspace(name: str):
    """A fresh workspace, the way the lab set-up notebook makes one."""
    from azureml.core import Workspace

    return Workspace.create(name=name, subscription_id=SUB, resource_group="data-rg", location="eastus",
                            create_resource_group=True, show_output=False)
