"""What the Home page suggests next in the labs."""

from __future__ import annotations

from labs import api
from ui.i18n import language


def next_lab_step() -> tuple[str, str] | None:
    """(lab title, step title) of the first step not yet passed, in catalogue order; None when all pass."""
    for card in api.list_labs(language()):
        if card["passed"] >= card["steps"]:
            continue
        for step in api.steps(card["id"], language()):
            if not (step["result"] and step["result"]["passed"]):
                return card["title"], step["title"]
    return None
