"""Responsible-AI results kept on a run: model explanations and fairness dashboards.

Azure ML keeps both as files of the run (an explanation under `explanation/<id>/`, a fairness dashboard under
`dashboard/<id>/`) with a small record naming what they are, which the Studio reads to show them on the run's page.
Here each is one JSON document plus a `meta.json` beside it; the SDK facades (`azureml.interpret`,
`azureml.contrib.fairness`) hand plain dictionaries to this module and rebuild their objects from what it returns.
"""

from __future__ import annotations

import io
import json
import time
import uuid

from sim import messages
from sim.cloud.errors import RUN, NotFound, UserError
from sim.cloud.runs import files

EXPLANATION = "explanation"
DASHBOARD = "dashboard"
_KINDS = {EXPLANATION: "model explanation", DASHBOARD: "fairness dashboard"}


def document(kind: str, payload: dict) -> str:
    """The JSON text an explanation or dashboard is stored as (made where the caller is, so it travels as text).

    Raises:
        UserError: `payload` is not a JSON object (e.g. it holds numpy values), or `kind` is not one of ours.
    """
    _check_kind(kind)
    if not isinstance(payload, dict):
        error = f"it is a {type(payload).__name__}, not a dictionary"
        raise UserError(RUN, messages.ASSESSMENT_NOT_JSON.format(kind=_KINDS[kind], error=error))
    try:
        return json.dumps(payload)
    except (TypeError, ValueError) as exc:
        raise UserError(RUN, messages.ASSESSMENT_NOT_JSON.format(kind=_KINDS[kind], error=exc)) from exc


def save(record, run_id: str, kind: str, payload: dict | str, meta: dict) -> str:
    """Store one explanation or dashboard on the run; returns its new id.

    Args:
        payload: the item as a dictionary, or as the JSON text `document` made of one.
        meta: what the uploader says of it (comment, names, model ids); it cannot change the id, kind or time.
    """
    _check_kind(kind)
    body = payload if isinstance(payload, str) else document(kind, payload)
    _check_document(kind, body)
    if not isinstance(meta, dict):
        raise UserError(RUN, messages.ASSESSMENT_NOT_JSON.format(kind=_KINDS[kind], error="its meta is not a dict"))
    item_id = str(uuid.uuid4())
    record_meta = {**meta, "id": item_id, "kind": kind,
                   "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    files.upload_file(record, run_id, f"{kind}/{item_id}/{kind}.json", io.BytesIO(body.encode()))
    files.upload_file(record, run_id, f"{kind}/{item_id}/meta.json", io.BytesIO(json.dumps(record_meta).encode()))
    return item_id


def _check_kind(kind: str) -> None:
    if kind not in _KINDS:
        raise UserError(RUN, messages.ASSESSMENT_KIND.format(kind=kind, kinds=", ".join(_KINDS)))


def _check_document(kind: str, body: str) -> None:
    """JSON text of an object (the service reads what a caller sends before it keeps it)."""
    try:
        parsed = json.loads(body)
    except ValueError as exc:
        raise UserError(RUN, messages.ASSESSMENT_NOT_JSON.format(kind=_KINDS[kind], error=exc)) from None
    if not isinstance(parsed, dict):
        error = f"it is a {type(parsed).__name__}, not a dictionary"
        raise UserError(RUN, messages.ASSESSMENT_NOT_JSON.format(kind=_KINDS[kind], error=error))


def listing(record, run_id: str, kind: str) -> list[dict]:
    """The records (id, created, and what the uploader said) of every item of this kind, oldest first."""
    _check_kind(kind)
    metas = [n for n in files.names(record, run_id) if n.startswith(f"{kind}/") and n.endswith("/meta.json")]
    items = [json.loads(files.read_text(record, run_id, name)) for name in metas]
    return sorted(items, key=lambda item: item["created"])


def load(record, run_id: str, kind: str, item_id: str | None = None) -> dict:
    """One stored item's JSON document (the newest when `item_id` is None)."""
    items = listing(record, run_id, kind)
    if not items:
        raise NotFound(RUN, messages.ASSESSMENT_NONE_ON_RUN.format(run_id=run_id, kind=_KINDS[kind]))
    if item_id is None:
        item_id = items[-1]["id"]
    if item_id not in {item["id"] for item in items}:
        known = ", ".join(item["id"] for item in items)
        raise NotFound(RUN, messages.ASSESSMENT_NOT_FOUND.format(run_id=run_id, kind=_KINDS[kind], id=item_id,
                                                                 known=known))
    return json.loads(files.read_text(record, run_id, f"{kind}/{item_id}/{kind}.json"))
