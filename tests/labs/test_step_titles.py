"""Step titles carry no number of their own: the checklist numbers steps ("1. Workspace", not "1. 1. Workspace")."""

from __future__ import annotations

import re

from labs import api


def test_no_step_title_starts_with_a_number():
    for card in api.list_labs():
        for language in ("en", "pt-BR"):
            numbered = [s["title"] for s in api.steps(card["id"], language) if re.match(r"\d+[.)]\s", s["title"])]
            assert not numbered, f"lab {card['id']} ({language}): {numbered}"
