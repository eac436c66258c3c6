"""The call proxy's wire format: JSON with a few tagged types, so records and paths travel both ways.

Why JSON and not pickle: the callers are learner kernels, so the service must never unpickle what it
receives (unpickling runs code chosen by the sender). JSON carries plain values; a handful of types the
`sim.cloud` functions take and return are written as one-key objects:

    {"$path": "/x"}  {"$tuple": [...]}  {"$bytes": "<base64>"}  {"$datetime": "<iso>"}  {"$set": [...]}
    {"$record": "sim.cloud.workspaces.WorkspaceRecord", "fields": {...}}

A record is any dataclass defined in `sim.cloud`; decoding builds only those classes (never an arbitrary
one the sender names). A dict whose keys are not all text, or any other type, is refused with a sentence.
"""

from __future__ import annotations

import base64
import dataclasses
import importlib
import json
from datetime import date, datetime
from pathlib import PurePath

from sim import messages

RECORD_PACKAGE = "sim.cloud"


class NotEncodable(TypeError):
    """A value the wire format does not carry."""


def dumps(value) -> bytes:
    """`value` as wire bytes."""
    return json.dumps(encode(value)).encode("utf-8")


def loads(data: bytes):
    """The value wire bytes describe."""
    return decode(json.loads(data))


def encode(value):
    """`value` as JSON-able data (tags for paths, tuples, bytes, datetimes, sets and records)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return _encode_dict(value)
    encoder = _ENCODERS.get(type(value)) or _encoder_by_kind(value)
    if encoder is None:
        raise NotEncodable(messages.SIM_SERVICE_VALUE_NOT_ENCODABLE.format(type=type(value).__name__))
    return encoder(value)


def _encode_dict(value: dict) -> dict:
    if not all(isinstance(key, str) for key in value):
        raise NotEncodable(messages.SIM_SERVICE_VALUE_NOT_ENCODABLE.format(type="dict with non-text keys"))
    if any(key.startswith("$") for key in value):  # would read as a tag: wrap it
        return {"$dict": {key: encode(item) for key, item in value.items()}}
    return {key: encode(item) for key, item in value.items()}


def _encode_record(value) -> dict:
    cls = type(value)
    fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return {"$record": f"{cls.__module__}.{cls.__qualname__}", "fields": fields}


def _encoder_by_kind(value):
    if isinstance(value, PurePath):
        return lambda v: {"$path": str(v)}
    if isinstance(value, datetime):
        return lambda v: {"$datetime": v.isoformat()}
    if isinstance(value, date):
        return lambda v: {"$date": v.isoformat()}
    if dataclasses.is_dataclass(value) and type(value).__module__.startswith(RECORD_PACKAGE + "."):
        return _encode_record
    return None


_ENCODERS = {
    tuple: lambda v: {"$tuple": [encode(item) for item in v]},
    set: lambda v: {"$set": [encode(item) for item in v]},
    frozenset: lambda v: {"$set": [encode(item) for item in v]},
    bytes: lambda v: {"$bytes": base64.b64encode(v).decode("ascii")},
}


def decode(data):
    """The value JSON-able data describes (the inverse of `encode`)."""
    if isinstance(data, list):
        return [decode(item) for item in data]
    if not isinstance(data, dict):
        return data
    if len(data) == 1 or "$record" in data:
        tag = next(iter(data)) if "$record" not in data else "$record"
        if tag in _DECODERS:
            return _DECODERS[tag](data)
    return {key: decode(item) for key, item in data.items()}


def _decode_record(data: dict):
    name = data["$record"]
    module_name, _, class_name = name.rpartition(".")
    if not (module_name == RECORD_PACKAGE or module_name.startswith(RECORD_PACKAGE + ".")):
        raise NotEncodable(messages.SIM_SERVICE_VALUE_NOT_ENCODABLE.format(type=name))
    cls = getattr(importlib.import_module(module_name), class_name, None)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise NotEncodable(messages.SIM_SERVICE_VALUE_NOT_ENCODABLE.format(type=name))
    return cls(**{key: decode(item) for key, item in data.get("fields", {}).items()})


def _decode_path(data: dict):
    from pathlib import Path

    return Path(data["$path"])


_DECODERS = {
    "$record": _decode_record,
    "$path": _decode_path,
    "$tuple": lambda d: tuple(decode(item) for item in d["$tuple"]),
    "$set": lambda d: {decode(item) for item in d["$set"]},
    "$bytes": lambda d: base64.b64decode(d["$bytes"]),
    "$datetime": lambda d: datetime.fromisoformat(d["$datetime"]),
    "$date": lambda d: date.fromisoformat(d["$date"]),
    "$dict": lambda d: {key: decode(item) for key, item in d["$dict"].items()},
}
