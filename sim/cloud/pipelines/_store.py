"""Published pipelines, pipeline endpoints and schedules kept as JSON files under the workspace folder
(`<kind>/<id>.json`), so every process sees the same ones; a write replaces the whole file at once."""

from __future__ import annotations

import json
import re

from sim import messages
from sim.cloud.errors import JOB, UserError

KINDS = ("published_pipelines", "pipeline_endpoints", "schedules")
_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def checked_key(kind: str, item_id) -> str:
    """`item_id` when it can name a file of `kind` (callers send ids: never a path).

    Raises:
        UserError: an unknown kind, or an id that is not letters, digits and dashes.
    """
    if kind not in KINDS:
        raise UserError(JOB, messages.PIPELINE_STORE_BAD_KEY.format(key=kind, kind="record kind"))
    if not (isinstance(item_id, str) and _ID.match(item_id)):
        raise UserError(JOB, messages.PIPELINE_STORE_BAD_KEY.format(key=item_id, kind=kind.rstrip("s")))
    return item_id


def _folder(record, kind: str):
    folder = record.folder / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write(record, kind: str, item: dict) -> None:
    """Keep `item` (it has an `id`) under `kind`."""
    path = _folder(record, kind) / f"{checked_key(kind, item['id'])}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(item, indent=1, default=str))
    tmp.replace(path)  # readers never see half a file


def read(record, kind: str, item_id: str) -> dict | None:
    """The item of `kind` with this id, or None."""
    path = _folder(record, kind) / f"{checked_key(kind, item_id)}.json"
    return json.loads(path.read_text()) if path.is_file() else None


def all_items(record, kind: str) -> list[dict]:
    """Every item of `kind`, newest first."""
    items = [json.loads(p.read_text()) for p in _folder(record, kind).glob("*.json")]
    return sorted(items, key=lambda i: i["created"], reverse=True)
