"""ARM template functions that need nothing but their arguments (string, logical, comparison, array, object).

Functions that read the deployment (parameters, variables, resourceGroup, subscription, resourceId...) are bound
by `sim.cloud.arm.template.Template`. `if`, `and` and `or` live with the evaluator, which evaluates them lazily.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid

from sim import messages
from sim.cloud.arm.expressions import template_error


def unique_string(*parts) -> str:
    """A deterministic 13-letter string from the arguments (Resource Manager's uniqueString)."""
    digest = hashlib.sha256("-".join(map(str, parts)).encode()).hexdigest()
    return "".join(chr(ord("a") + int(digest[i:i + 2], 16) % 26) for i in range(0, 26, 2))


def _concat(*args):
    if args and all(isinstance(a, list) for a in args):
        return [item for a in args for item in a]
    return "".join("" if a is None else str(a) for a in args)


def _format(text: str, *args) -> str:
    return re.sub(r"\{(\d+)(?::[^}]*)?\}", lambda m: str(args[int(m.group(1))]), text)


def _empty(value) -> bool:
    return value is None or (hasattr(value, "__len__") and len(value) == 0)


def _json(text: str):
    try:
        return json.loads(text)
    except (TypeError, ValueError) as exc:
        raise template_error(messages.ARM_JSON_INVALID.format(text=text)) from exc


def _bool(value) -> bool:
    return value.lower() == "true" if isinstance(value, str) else bool(value)


def _string(value) -> str:
    return json.dumps(value) if isinstance(value, dict | list) else str(value)


def _contains(container, item) -> bool:
    if isinstance(container, str):
        return str(item).lower() in container.lower()
    if isinstance(container, dict):
        return any(str(k).lower() == str(item).lower() for k in container)
    return item in container


def _union(*items):
    if all(isinstance(i, dict) for i in items):
        merged: dict = {}
        for item in items:
            merged.update(item)
        return merged
    return list(dict.fromkeys(x for item in items for x in item))


def _create_object(*pairs) -> dict:
    if len(pairs) % 2:
        raise template_error(messages.ARM_ARGUMENT_COUNT.format(name="createObject", count="an even number of"))
    return dict(zip(pairs[::2], pairs[1::2], strict=True))


def _substring(text: str, start: int, length: int | None = None) -> str:
    return text[start:] if length is None else text[start:start + length]


PURE = {
    "concat": _concat, "format": _format, "tolower": lambda s: str(s).lower(), "toupper": lambda s: str(s).upper(),
    "uniquestring": unique_string, "guid": lambda *a: str(uuid.uuid5(uuid.NAMESPACE_URL, "-".join(map(str, a)))),
    "newguid": lambda: str(uuid.uuid4()), "substring": _substring, "replace": lambda s, old, new: s.replace(old, new),
    "split": lambda s, sep: s.split(sep), "trim": lambda s: s.strip(),
    "startswith": lambda s, p: s.lower().startswith(p.lower()), "endswith": lambda s, p: s.lower().endswith(p.lower()),
    "equals": lambda a, b: a == b, "not": lambda a: not a, "empty": _empty, "json": _json, "bool": _bool,
    "string": _string, "int": int, "length": len, "contains": _contains, "union": _union,
    "createobject": _create_object, "array": lambda v: v if isinstance(v, list) else [v],
    "coalesce": lambda *a: next((v for v in a if v is not None), None), "first": lambda v: v[0],
    "last": lambda v: v[-1], "true": lambda: True, "false": lambda: False, "null": lambda: None,
    "less": lambda a, b: a < b, "lessorequals": lambda a, b: a <= b, "greater": lambda a, b: a > b,
    "greaterorequals": lambda a, b: a >= b,
}
