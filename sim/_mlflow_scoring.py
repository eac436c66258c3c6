"""The scoring script of an MLflow model deployed with no script of its own (a "no-code" deployment).

Azure's inference server serves such a model itself; the simulated scoring server imports this module in place
of a learner's `score.py` (`init()` once, then `run(raw_json)` per request). It reads the request as Azure's
MLflow server does, casts the input to the types of the model's signature, predicts, and answers the predictions
as JSON (a list for an array of predictions, e.g. `[0]`).

Accepted bodies: `{"input_data": {"columns": [...], "index": [...], "data": [[...]]}}` (pandas split orient),
`{"input_data": [[...], ...]}` (rows or a tensor), `{"input_data": {"column": [...], ...}}` (columns), optionally with
`"params"`; and MLflow's own serving keys (`dataframe_split`, `dataframe_records`, `instances`, `inputs`).

A plain scikit-learn model (the `sklearn` flavor, pickled, no extra code) is unpickled and called directly, as
`mlflow.pyfunc` would call it: importing MLflow costs more than half of a deployment's start-up. Every other
model is loaded with `mlflow.pyfunc.load_model`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

MODEL_FOLDER_ENV = "MLFLOW_MODEL_FOLDER"  # the model's folder inside AZUREML_MODEL_DIR, as Azure sets it
# pandas dtypes of MLflow's column types (a JSON integer must become int32 for an "integer" column, for instance)
COLUMN_DTYPES = {"double": "float64", "float": "float32", "integer": "int32", "long": "int64", "boolean": "bool",
                 "string": "object", "binary": "object", "datetime": "datetime64[ns]"}
MLFLOW_KEYS = ("dataframe_split", "dataframe_records", "instances", "inputs")

model = None      # what predicts: the unpickled estimator's method, or a pyfunc model's predict
signature = None  # the model's input signature: {"columns": [(name, type, required)]} or {"tensor": dtype}


class InputError(ValueError):
    """A request the model cannot read (answered 400, not 500)."""


CLIENT_ERRORS = (InputError,)  # the scoring server answers these with 400


# ---- loading -----------------------------------------------------------------------------------------

def _model_folder() -> Path:
    root = Path(os.environ["AZUREML_MODEL_DIR"])
    named = root / os.environ.get(MODEL_FOLDER_ENV, "")
    if (named / "MLmodel").is_file():
        return named
    found = sorted(root.rglob("MLmodel"))
    if not found:
        raise FileNotFoundError(f"No MLmodel file under {root}: this deployment's model is not an MLflow model.")
    return found[0].parent


def read_signature(mlmodel: dict) -> dict | None:
    """The input signature an MLmodel file declares (None when it declares none)."""
    text = (mlmodel.get("signature") or {}).get("inputs")
    specs = json.loads(text) if isinstance(text, str) else text
    if not specs:
        return None
    if specs[0].get("type") == "tensor":
        return {"tensor": specs[0]["tensor-spec"]["dtype"]}
    return {"columns": [(s.get("name"), s.get("type"), s.get("required", True)) for s in specs]}


def _plain_sklearn(folder: Path, mlmodel: dict):
    """The predict method of a pickled scikit-learn model, or None when the model needs MLflow to load."""
    flavors = mlmodel.get("flavors") or {}
    sklearn, pyfunc = flavors.get("sklearn") or {}, flavors.get("python_function") or {}
    pickled = sklearn.get("serialization_format") in ("cloudpickle", "pickle") and sklearn.get("pickled_model")
    if pyfunc.get("loader_module") != "mlflow.sklearn" or sklearn.get("code") or pyfunc.get("code") or not pickled:
        return None
    import cloudpickle

    with open(folder / sklearn["pickled_model"], "rb") as fh:
        estimator = cloudpickle.load(fh)
    return getattr(estimator, pyfunc.get("predict_fn") or "predict")


def _pyfunc(folder: Path):
    import mlflow.pyfunc

    # Azure builds the deployment's environment from the model's own requirements, so it never warns that the
    # installed packages differ from them; the simulator runs the model in its own environment and stays quiet too.
    loaded = mlflow.pyfunc.load_model(str(folder), suppress_warnings=True)
    return lambda data, params=None: loaded.predict(data, params=params) if params else loaded.predict(data)


def init() -> None:
    """Load the MLflow model once, when the deployment starts."""
    global model, signature
    import yaml

    folder = _model_folder()
    mlmodel = yaml.safe_load((folder / "MLmodel").read_text()) or {}
    signature = read_signature(mlmodel)
    direct = _plain_sklearn(folder, mlmodel)
    print(f"Loading the MLflow model in {folder}" + (" (scikit-learn)" if direct else " (mlflow.pyfunc)"), flush=True)
    model = (lambda data, params=None: direct(data)) if direct else _pyfunc(folder)


# ---- requests ----------------------------------------------------------------------------------------

def _parse(raw: str) -> tuple[object, dict | None]:
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise InputError(f"The request body is not valid JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise InputError("The request body must be a JSON object with an 'input_data' key.")
    params = body.get("params")
    if "input_data" in body:
        return _input_data(body["input_data"]), params
    for key in MLFLOW_KEYS:
        if key in body:
            return _mlflow_input(key, body[key]), params
    raise InputError("The request body has no 'input_data' key (nor one of " + ", ".join(MLFLOW_KEYS) + ").")


def _input_data(data):
    import pandas as pd

    if isinstance(data, dict) and "data" in data and ("columns" in data or "index" in data):
        try:
            return pd.DataFrame(data["data"], columns=data.get("columns"), index=data.get("index"))
        except ValueError as exc:
            raise InputError(f"input_data does not describe a table: {exc}") from exc
    if isinstance(data, dict):
        return pd.DataFrame(data)
    return data


def _mlflow_input(key: str, data):
    import pandas as pd

    if key == "dataframe_split":
        return _input_data(data)
    if key == "dataframe_records":
        return pd.DataFrame.from_records(data)
    return pd.DataFrame(data) if isinstance(data, dict) else data


def _columns(data, columns: list):
    """A table with the signature's columns, in its order, each cast to its declared type."""
    import pandas as pd

    names = list(dict.fromkeys(name for name, _, _ in columns))
    if not isinstance(data, pd.DataFrame):
        try:
            data = pd.DataFrame(data, columns=names)
        except ValueError as exc:
            raise InputError(f"input_data does not fit the model's input columns {names}: {exc}") from exc
    missing = [name for name, _, required in columns if required and name not in data.columns]
    if missing:
        raise InputError(f"Model is missing inputs {missing}. Note that there were extra inputs: "
                         f"{[c for c in data.columns if c not in names]}")
    data = data[[name for name in names if name in data.columns]].copy()
    for name, mlflow_type, _ in columns:
        dtype = COLUMN_DTYPES.get(mlflow_type)
        if dtype and name in data.columns:
            try:
                data[name] = data[name].astype(dtype)
            except (TypeError, ValueError) as exc:
                raise InputError(f"Column '{name}' cannot be read as {mlflow_type}: {exc}") from exc
    return data


def _cast(data):
    """The input in the types the signature declares (Azure's server casts likewise)."""
    import numpy as np
    import pandas as pd

    if signature is None:
        return data
    if "tensor" in signature:
        values = data.to_numpy() if isinstance(data, pd.DataFrame) else data
        try:
            return np.asarray(values, dtype=signature["tensor"])
        except (TypeError, ValueError) as exc:
            raise InputError(f"input_data cannot be read as a {signature['tensor']} tensor: {exc}") from exc
    return _columns(data, signature["columns"])


def _jsonable(predictions):
    import numpy as np
    import pandas as pd

    if isinstance(predictions, pd.DataFrame):
        return predictions.to_dict(orient="records")
    if isinstance(predictions, (pd.Series, np.ndarray)):
        return predictions.tolist()
    if isinstance(predictions, np.generic):
        return predictions.item()
    return predictions


def run(raw_data: str):
    """Predict for one request; return what becomes the JSON answer."""
    data, params = _parse(raw_data)
    data = _cast(data)
    try:
        predictions = model(data, params)
    except Exception as exc:
        if type(exc).__name__ == "MlflowException":  # the input does not match the signature: the caller's error
            raise InputError(getattr(exc, "message", str(exc))) from exc
        raise
    return _jsonable(predictions)
