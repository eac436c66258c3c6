"""Moodle GIFT export: single and multiple choice, yes/no series (one true/false item per statement)
and matching. Ordering, drop-down code completion and case studies have no GIFT form and are skipped.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from quizzes.export import ExportSummary

_SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    """Escape GIFT's control characters and keep line breaks as `\\n`."""
    out = "".join("\\" + c if c in _SPECIAL else c for c in text.replace("\\", "\\\\"))
    return out.strip().replace("\n", "\\n")


def percent(value: float) -> str:
    """A Moodle weight such as `33.33333` or `-50`."""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write_gift(questions: list, path: Path) -> ExportSummary:
    """Write the questions GIFT can express; returns counts of what was written and skipped."""
    blocks: list[str] = []
    skipped: Counter[str] = Counter()
    exported = 0
    for question in questions:
        writer = _WRITERS.get(question.type)
        if writer is None:
            skipped[question.type] += 1
            continue
        blocks.extend(writer(question))
        exported += 1
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return ExportSummary(path, exported, skipped)


def _header(question, suffix: str = "") -> str:
    qid = question.id + suffix
    return f"// {qid} | skills: {' '.join(question.skills)} | sdk: {question.sdk}\n::{qid}::[markdown]"


def _single(question) -> list[str]:
    lines = [
        f"\t{'=' if o.id == question.answer else '~'}{escape(o.text)}#{escape(o.rationale)}"
        for o in question.options
    ]
    return [_header(question) + escape(question.stem) + " {\n" + "\n".join(lines) + "\n}"]


def _multiple(question) -> list[str]:
    right = percent(100 / question.choose)
    wrong = percent(-100 / question.choose)
    lines = [
        f"\t~%{right if o.id in question.answer else wrong}%{escape(o.text)}#{escape(o.rationale)}"
        for o in question.options
    ]
    return [_header(question) + escape(question.stem) + " {\n" + "\n".join(lines) + "\n}"]


def _yesno(question) -> list[str]:
    blocks = []
    for statement in question.statements:
        stem = f"{escape(question.stem)}\\n\\n{escape(statement.text)}"
        truth = "TRUE" if statement.answer else "FALSE"
        feedback = escape(statement.rationale)
        blocks.append(_header(question, f"-{statement.id}") + f"{stem} {{{truth}#{feedback}#{feedback}}}")
    return blocks


def _match(question) -> list[str]:
    values = {v.id: v.text for v in question.values}
    lines = [f"\t={escape(t.text)} -> {escape(values[t.answer])}" for t in question.targets]
    return [_header(question) + escape(question.stem) + " {\n" + "\n".join(lines) + "\n}"]


_WRITERS = {"single": _single, "multiple": _multiple, "yesno": _yesno, "match": _match}
EXPORTED_TYPES = tuple(_WRITERS)
