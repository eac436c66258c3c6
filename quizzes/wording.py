"""Turning a question's markdown into the short plain labels lists show (exam results, review screen)."""

from __future__ import annotations

import re

LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
SPACE = re.compile(r"\s+")
STEM_LIMIT = 90


def short_stem(stem: str, limit: int = STEM_LIMIT) -> str:
    """A question's stem cut to about `limit` characters at a word boundary, for a one-line label.

    Links keep their text and bold markers go; inline code stays, closed again if the cut fell inside it,
    so the label still renders as the learner saw the stem.
    """
    text = SPACE.sub(" ", LINK.sub(r"\1", stem).replace("**", "")).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    cut = cut.rstrip(" ,;:.-")
    if cut.count("`") % 2:
        cut += "`"
    return cut + " …"
