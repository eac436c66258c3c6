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
    cut = text[:limit].rsplit(" ", 1)[0]
    if len(cut) < limit // 2:  # a long path or code name right after a few words: cut inside it instead
        cut = text[:limit]
    cut = cut.rstrip(" ,;:.-")
    if cut.count("`") % 2:
        cut += "`"
    return cut + " …"


def identifying_text(question) -> str:
    """The words that tell a question apart: its stem, or for a case study the scenario's opening.

    Case-study stems are all alike ("read the scenario in the tabs..."); the company and its situation in the
    first tab are what a learner remembers.
    """
    if question.type == "case_study" and question.tabs:
        return question.tabs[0].body
    return question.stem
