"""Cross-field rules of the question schema, reported as (location, message) pairs.

Pydantic checks each field's shape; these rules check what relates fields to each other: answers among
the options, `choose N` matching the answer, every code gap defined once, references of both kinds.
A question that breaks one of these rules cannot be scored, so the loader does not serve it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from quizzes import items as it

Loc = tuple[Any, ...]
Finding = tuple[Loc, str]
GAP_MARK = re.compile(r"\{\{\s*([A-Za-z0-9][A-Za-z0-9_-]*)\s*\}\}")
NOTE_REF = re.compile(r"^[a-z0-9][a-z0-9-]*#[a-z0-9][a-z0-9-]*$")
LEARN_URL = re.compile(r"^https://learn\.microsoft\.com/")


def question_findings(q: Any) -> list[Finding]:
    """Every cross-field rule the question breaks (empty when it is sound)."""
    found = list(_reference_findings(q.references, ()))
    found += list(_body_findings(q, ()))
    return found


def _reference_findings(refs: Sequence[str], loc: Loc, required: bool = True) -> Iterator[Finding]:
    for i, ref in enumerate(refs):
        if ref.startswith(("http://", "https://")):
            if not ref.startswith("https://"):
                yield (*loc, "references", i), f"use https for '{ref}'"
        elif not NOTE_REF.match(ref):
            yield (*loc, "references", i), f"'{ref}' is neither a URL nor a note anchor 'note-id#anchor'"
    if not required:
        return
    if not any(NOTE_REF.match(r) for r in refs):
        yield (*loc, "references"), "needs at least one note anchor reference 'note-id#anchor'"
    if not any(LEARN_URL.match(r) for r in refs):
        yield (*loc, "references"), "needs at least one Microsoft Learn URL (https://learn.microsoft.com/...)"


def _body_findings(q: Any, loc: Loc) -> Iterator[Finding]:
    checker = _CHECKERS[q.type]
    yield from checker(q, loc)


def _duplicate_ids(entries: Sequence[Any], loc: Loc, what: str) -> Iterator[Finding]:
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        if entry.id in seen:
            yield (*loc, i, "id"), f"duplicate {what} id '{entry.id}'"
        seen.add(entry.id)


def _not_among(answer: str, options: Sequence[Any], loc: Loc) -> Iterator[Finding]:
    ids = [o.id for o in options]
    if answer not in ids:
        yield loc, f"answer '{answer}' is not among the option ids ({', '.join(ids)})"


def _single(q: it.SingleFields, loc: Loc) -> Iterator[Finding]:
    yield from _duplicate_ids(q.options, (*loc, "options"), "option")
    yield from _not_among(q.answer, q.options, (*loc, "answer"))


def _multiple(q: it.MultipleFields, loc: Loc) -> Iterator[Finding]:
    yield from _duplicate_ids(q.options, (*loc, "options"), "option")
    for i, answer in enumerate(q.answer):
        yield from _not_among(answer, q.options, (*loc, "answer", i))
    if len(set(q.answer)) != len(q.answer):
        yield (*loc, "answer"), "the answer lists an option more than once"
    if q.choose != len(q.answer):
        yield (*loc, "choose"), f"choose is {q.choose} but the answer lists {len(q.answer)} options"
    if len(q.options) <= q.choose:
        yield (*loc, "options"), f"a 'choose {q.choose}' item needs more than {q.choose} options"


def _ordering(q: it.OrderingFields, loc: Loc) -> Iterator[Finding]:
    yield from _duplicate_ids(q.items, (*loc, "items"), "item")
    for i, answer in enumerate(q.answer):
        yield from _not_among(answer, q.items, (*loc, "answer", i))
    if len(set(q.answer)) != len(q.answer):
        yield (*loc, "answer"), "the answer lists an item more than once"


def _match(q: it.MatchFields, loc: Loc) -> Iterator[Finding]:
    yield from _duplicate_ids(q.values, (*loc, "values"), "value")
    yield from _duplicate_ids(q.targets, (*loc, "targets"), "target")
    for i, target in enumerate(q.targets):
        yield from _not_among(target.answer, q.values, (*loc, "targets", i, "answer"))


def _dropdown(q: it.DropdownFields, loc: Loc) -> Iterator[Finding]:
    yield from _duplicate_ids(q.gaps, (*loc, "gaps"), "gap")
    marks = GAP_MARK.findall(q.code)
    for i, gap in enumerate(q.gaps):
        yield from _duplicate_ids(gap.options, (*loc, "gaps", i, "options"), "option")
        yield from _not_among(gap.answer, gap.options, (*loc, "gaps", i, "answer"))
        if marks.count(gap.id) != 1:
            yield (*loc, "gaps", i, "id"), f"the code must hold '{{{{{gap.id}}}}}' exactly once"
    defined = {g.id for g in q.gaps}
    for mark in sorted(set(marks) - defined):
        yield (*loc, "code"), f"the code has a gap '{{{{{mark}}}}}' with no entry under gaps"


def _yesno(q: it.YesNoFields, loc: Loc) -> Iterator[Finding]:
    yield from _duplicate_ids(q.statements, (*loc, "statements"), "statement")


def _case_study(q: it.CaseStudyFields, loc: Loc) -> Iterator[Finding]:
    yield from _duplicate_ids(q.tabs, (*loc, "tabs"), "tab")
    yield from _duplicate_ids(q.questions, (*loc, "questions"), "sub-question")
    for i, sub in enumerate(q.questions):
        sub_loc = (*loc, "questions", i)
        yield from _reference_findings(sub.references, sub_loc, required=False)
        yield from _body_findings(sub, sub_loc)


_CHECKERS = {
    "single": _single,
    "multiple": _multiple,
    "ordering": _ordering,
    "match": _match,
    "dropdown": _dropdown,
    "yesno": _yesno,
    "case_study": _case_study,
}


def all_skills(q: Any) -> list[tuple[Loc, str]]:
    """(location, skill id) for the question's skills and its sub-questions' skills."""
    pairs = [(("skills", i), s) for i, s in enumerate(q.skills)]
    for qi, sub in enumerate(getattr(q, "questions", None) or []):
        pairs += [(("questions", qi, "skills", i), s) for i, s in enumerate(sub.skills)]
    return pairs


def all_note_refs(q: Any) -> list[tuple[Loc, str]]:
    """(location, `note-id#anchor`) for every note reference, sub-questions included."""
    pairs = [(("references", i), r) for i, r in enumerate(q.references) if NOTE_REF.match(r)]
    for qi, sub in enumerate(getattr(q, "questions", None) or []):
        pairs += [
            (("questions", qi, "references", i), r) for i, r in enumerate(sub.references) if NOTE_REF.match(r)
        ]
    return pairs
