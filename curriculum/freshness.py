"""Freshness reports over notes and questions: what has passed its `valid_until`, what was not verified
since a given month. The fields themselves are defined in `datafiles.freshness`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from content.notes import NoteLibrary
from datafiles.freshness import Freshness
from datafiles.problems import Problem
from quizzes.bank import Bank


@dataclass(frozen=True)
class FreshnessItem:
    """One question or note section with its (effective) freshness and where it is written."""

    file: str
    line: int
    label: str  # "[question-id]" or "section 'note-id#anchor'"
    freshness: Freshness
    until_line: int = 0  # line of the `valid_until` field when it is known (0: use `line`)


def freshness_items(notes: NoteLibrary, bank: Bank) -> list[FreshnessItem]:
    """Every question and every anchored section of the English notes (a translation shares its note's)."""
    return list(_question_items(bank)) + list(_section_items(notes))


def _question_items(bank: Bank) -> Iterator[FreshnessItem]:
    for qid, question in bank.questions.items():
        source = bank.sources[qid]
        until = source.lines.line((*source.loc, "valid_until")) if question.valid_until else 0
        yield FreshnessItem(source.file, source.line, f"[{qid}]", question.freshness(), until)


def _section_items(notes: NoteLibrary) -> Iterator[FreshnessItem]:
    for note in notes.notes["en"].values():
        for section in note.sections:
            if section.anchor:
                yield FreshnessItem(note.path, section.line, f"section '{note.id}#{section.anchor}'",
                                    note.front.section_freshness(section.anchor))


def expired_problems(notes: NoteLibrary, bank: Bank, today: dt.date) -> list[Problem]:
    """Items whose `valid_until` is before `today`, plus `freshness:` entries naming no section."""
    found = [Problem(item.file, item.until_line or item.line, _expired_message(item))
             for item in freshness_items(notes, bank) if item.freshness.expired(today)]
    return found + _unknown_freshness_anchors(notes)


def _expired_message(item: FreshnessItem) -> str:
    return (f"{item.label} valid_until {item.freshness.valid_until} has passed: what it teaches may no longer "
            "be true; check it against the documentation, fix it, then update verified and valid_until")


def _unknown_freshness_anchors(notes: NoteLibrary) -> list[Problem]:
    found = []
    for note in notes.notes["en"].values():
        anchors = set(note.anchors())
        found += [Problem(note.path, 1, f"front matter 'freshness' names '{a}', which is not a section anchor")
                  for a in (note.front.freshness or {}) if a not in anchors]
    return found


def unverified_problems(notes: NoteLibrary, bank: Bank, since: str) -> list[Problem]:
    """Items not verified in or after the month `since` (`YYYY-MM`), never-verified ones included."""
    return [Problem(item.file, item.line, f"{item.label} not verified since {since} "
                                          f"({_last_check(item.freshness)})")
            for item in freshness_items(notes, bank) if item.freshness.verified_before(since)]


def _last_check(freshness: Freshness) -> str:
    return f"last verified {freshness.verified}" if freshness.verified else "never verified"

