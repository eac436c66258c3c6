"""What the Responsible AI stand-in components share: reading MLTable data, the dashboard folder, the model.

This folder is the components' code asset: it runs inside the job (as Azure runs a registry component's code in
its environment), so it imports only the standard library and the packages of the components' environment
(pandas, numpy, scikit-learn, pyarrow, MLflow, PyYAML), never the simulator.

A dashboard folder (the constructor's `rai_insights_dashboard` output) holds `rai_insights.json` (title, task,
target column, features, classes, the model's id and an `id` every insight repeats), `data/train.parquet`,
`data/test.parquet` (at most `maximum_rows_for_test_dataset` rows), `predictions/test.json` and `model/`
(the MLflow model). Each tool component writes one `<kind>.json` insight naming the dashboard `id` it was
computed on; the gather component refuses insights of another dashboard, as the real one does.
"""

from __future__ import annotations

import glob
import json
import os
import sys
from pathlib import Path

import pandas as pd
import yaml

META = "rai_insights.json"
TRAIN, TEST, PREDICTIONS, MODEL = "data/train.parquet", "data/test.parquet", "predictions/test.json", "model"
CLASSIFICATION, REGRESSION = "classification", "regression"


def fail(problem: str) -> None:
    """Stop the component with a sentence in its log (the job fails with exit code 1)."""
    print(f"The Responsible AI component could not use its input: {problem}", file=sys.stderr)
    sys.exit(1)


def json_list(text: str, what: str) -> list:
    """A JSON-encoded list argument (the RAI components take lists as JSON strings)."""
    try:
        value = json.loads(text or "[]")
    except json.JSONDecodeError:
        fail(f"{what} must be a JSON list such as '[\"a\", \"b\"]', not {text!r}.")
    if not isinstance(value, list):
        fail(f"{what} must be a JSON list, not {text!r}.")
    return value


# ---- MLTable -------------------------------------------------------------------------------------------

def read_table(path: str) -> pd.DataFrame:
    """The rows of an MLTable folder (its `MLTable` file's paths and read transformation), or of a Parquet or
    CSV file or folder given directly."""
    location = Path(path)
    spec_file = location / "MLTable" if location.is_dir() else None
    if spec_file is not None and spec_file.is_file():
        return _read_mltable(location, yaml.safe_load(spec_file.read_text(encoding="utf-8")) or {})
    files = sorted(p for p in location.rglob("*") if p.is_file()) if location.is_dir() else [location]
    tables = [_read_file(f) for f in files if f.suffix.lower() in (".parquet", ".csv")]
    if not tables:
        fail(f"{path} holds no MLTable file, Parquet file or CSV file.")
    return pd.concat(tables, ignore_index=True)


def _read_mltable(folder: Path, spec: dict) -> pd.DataFrame:
    files = []
    for entry in spec.get("paths") or []:
        kind, where = next(iter(entry.items()))
        target = str(folder / str(where).removeprefix("./")) if "://" not in str(where) else str(where)
        if kind == "file":
            files.append(target)
        elif kind == "folder":  # every data file under it (the MLTable file itself is not data)
            files.extend(sorted(str(p) for p in Path(target).rglob("*") if p.is_file() and p.name != "MLTable"))
        elif kind == "pattern":
            files.extend(sorted(glob.glob(target, recursive=True)))
        else:
            fail(f"MLTable path kind {kind!r} is not one of file, folder, pattern.")
    if not files or not all(os.path.isfile(f) for f in files):
        fail(f"the MLTable in {folder} names files that are not there: {files}.")
    reader = _reader(spec.get("transformations") or [])
    return pd.concat([_read_with(reader, f) for f in files], ignore_index=True)


def _read_with(reader, path: str) -> pd.DataFrame:
    try:
        return reader(path)
    except (ValueError, OSError) as exc:  # pandas' parser errors are ValueErrors
        fail(f"{path} could not be read as the MLTable's transformation says: {exc}")


def _reader(transformations: list):
    for step in transformations:
        name, options = (step, {}) if isinstance(step, str) else next(iter(step.items()))
        options = options or {}
        if name == "read_parquet":
            return pd.read_parquet
        if name == "read_delimited":
            header = None if str(options.get("header", "")).lower() == "no_header" else "infer"
            return lambda f: pd.read_csv(f, sep=options.get("delimiter", ","), header=header,
                                         encoding=options.get("encoding", "utf8"))
        if name == "read_json_lines":
            return lambda f: pd.read_json(f, lines=True)
    fail("the MLTable has no read transformation (read_parquet, read_delimited or read_json_lines).")


def _read_file(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path) if path.suffix.lower() == ".parquet" else pd.read_csv(path)


# ---- the dashboard folder ------------------------------------------------------------------------------

def write_json(folder: str, name: str, value) -> None:
    """Write one JSON file into an output folder."""
    target = Path(folder) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(value, indent=2, default=_plain), encoding="utf-8")


def _plain(value):
    return value.item() if hasattr(value, "item") else str(value)


def read_json(folder: str, name: str) -> dict:
    """Read one JSON file of an input folder, or stop saying which file is missing."""
    target = Path(folder) / name
    if not target.is_file():
        fail(f"{folder} has no {name}; connect the output of the component that writes it.")
    return json.loads(target.read_text(encoding="utf-8"))


def load_dashboard(folder: str) -> tuple[dict, pd.DataFrame, pd.Series, list]:
    """(metadata, test features, test target, the model's test predictions) of a constructor's folder."""
    meta = read_json(folder, META)
    test = pd.read_parquet(Path(folder) / TEST)
    predictions = read_json(folder, PREDICTIONS)["predictions"]
    return meta, test[meta["features"]], test[meta["target_column"]], predictions


def load_train(folder: str, meta: dict) -> tuple[pd.DataFrame, pd.Series]:
    """The training features and target of a constructor's folder."""
    train = pd.read_parquet(Path(folder) / TRAIN)
    return train[meta["features"]], train[meta["target_column"]]


def load_model(folder: str):
    """The scikit-learn model of the dashboard (the MLflow model's sklearn flavor)."""
    import mlflow.sklearn

    return mlflow.sklearn.load_model(str(Path(folder) / MODEL))


def as_model_input(features: pd.DataFrame):
    """Features as the model takes them: numbers as floats (MLflow signatures say double), one array."""
    return features.astype(float).to_numpy()


def is_error(meta: dict, target: pd.Series, predictions: list) -> pd.Series:
    """Per test row: 1 where the model is wrong (classification) or its absolute error (regression)."""
    predicted = pd.Series(predictions, index=target.index)
    if meta["task_type"] == CLASSIFICATION:
        return (_labels(predicted) != _labels(target)).astype(int)
    return (predicted.astype(float) - target.astype(float)).abs()


def _labels(values: pd.Series) -> pd.Series:
    """Class labels compared by value: 1 and 1.0 are the same class, text labels compare as text."""
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers if numbers.notna().all() else values.astype(str)
