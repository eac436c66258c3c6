"""Paged list answers of runs and jobs: a continuation token saying where the next page starts, and its link.

A token is the position of the last run sent (`sim.cloud.runs.listing.key`: creation time, number, id), so a run
created between two pages neither repeats one nor hides one, as an offset would. The SDK follows `nextLink`
(azure-core's ItemPaged), reading a page only when the learner's loop gets there.
"""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import urlencode

from sim import messages
from sim.cloud.runs import listing
from sim.rest._errors import bad_request


def token(row: dict) -> str:
    """The continuation token of the page that follows `row`."""
    return base64.urlsafe_b64encode(json.dumps(list(listing.key(row))).encode()).decode()


def position(text: str | None) -> tuple | None:
    """The listing position a token stands for (None: start at the beginning).

    Raises:
        RestError: 400 when the token is not one this service gave.
    """
    if not text:
        return None
    try:
        created, number, run_id = json.loads(base64.urlsafe_b64decode(text.encode()))
        return float(created), int(number), str(run_id)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise bad_request(messages.REST_BAD_CONTINUATION.format(token=text)) from exc


def next_link(request, name: str, value: str) -> str:
    """The request's own URL with the query parameter `name` set to `value` (the other parameters kept)."""
    query = {**request.args.to_dict(), name: value}
    return f"{request.base_url}?{urlencode(query)}"
