"""Scoring scripts decorated with `inference-schema` (`@input_schema`, `@output_schema`), as the real server sees them.

azureml-inference-server-http looks at the entry script's run(): when inference-schema decorated it, the request's
JSON object is passed as keyword arguments (`run(data=...)`, the decorators turning lists into NumPy arrays or
DataFrames), and the swagger document describes the input and output with the schemas the decorators hold.
An undecorated run() gets the raw request body, a string.
"""

from __future__ import annotations

import json


def is_decorated(run) -> bool:
    """True when run() carries an inference-schema input or output schema."""
    try:
        from inference_schema.schema_util import is_schema_decorated
    except ImportError:  # without the package no script can have been decorated with it
        return False
    return bool(is_schema_decorated(run))


def parameter_names(run) -> list[str]:
    """The names run()'s input schema declares (what the request's JSON object should hold)."""
    from inference_schema.schema_util import get_input_schema

    return sorted((get_input_schema(run) or {}).get("properties", {}))


def call(run, raw: str):
    """Call a decorated run() with the request's JSON object as keyword arguments.

    Raises:
        ValueError: the body is not a JSON object (the decorators need named inputs).
    """
    payload = json.loads(raw)
    if not isinstance(payload, dict):
        raise ValueError("The scoring script's run() is decorated with @input_schema, so the request body must be a "
                         f"JSON object naming its inputs (e.g. {{\"data\": [...]}}); got {type(payload).__name__}.")
    return run(**payload)


def definitions(run) -> dict:
    """The swagger definitions built from run()'s schemas: ServiceInput and ServiceOutput."""
    from inference_schema.schema_util import get_input_schema, get_output_schema

    found = {}
    if get_input_schema(run):
        found["ServiceInput"] = get_input_schema(run)
    if get_output_schema(run):
        found["ServiceOutput"] = get_output_schema(run)
    return found
