"""The service's own scoring script for a no-code deployment of a scikit-learn model (Model.deploy without an
InferenceConfig, the model registered with model_framework=Model.Framework.SCIKITLEARN).

Copied into the service as its entry script. As Azure's no-code scikit-learn service does, it loads the one pickled
model (pickle or joblib) of the registered model and answers `{"data": [[...], ...], "method": "predict"}`; method
may be "predict_proba" for a classifier.
"""

import json
import os
from pathlib import Path

model = None
METHODS = ("predict", "predict_proba")


def init():
    """Load the registered model's one .pkl/.pickle/.joblib file from AZUREML_MODEL_DIR."""
    global model
    import joblib

    root = Path(os.environ["AZUREML_MODEL_DIR"])
    found = sorted(p for p in root.rglob("*") if p.suffix in (".pkl", ".pickle", ".joblib"))
    if len(found) != 1:
        raise RuntimeError("A no-code scikit-learn deployment needs exactly one pickled model file (.pkl, .pickle "
                           f"or .joblib) in the registered model; found {[p.name for p in found]} in {root}.")
    model = joblib.load(found[0])


def run(raw):
    """Score `{"data": rows, "method": "predict" | "predict_proba"}`; returns the predictions as a list."""
    request = json.loads(raw)
    if not isinstance(request, dict) or "data" not in request:
        raise ValueError('The request must be a JSON object with "data": a list of rows (and optionally "method").')
    method = request.get("method", "predict")
    if method not in METHODS or not hasattr(model, method):
        raise ValueError(f"method must be one of {[m for m in METHODS if hasattr(model, m)]}; got {method!r}.")
    return getattr(model, method)(request["data"]).tolist()
