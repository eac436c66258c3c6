"""Export the question bank: an Anki deck, Moodle GIFT, or plain JSON.

`export_bank(bank, fmt, path, lang)` writes the file and returns an `ExportSummary` saying how many
questions went in and which item types the format cannot hold.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from quizzes.bank import Bank

FORMATS = ("anki", "gift", "json")
DEFAULT_NAMES = {"anki": "dp100-questions.apkg", "gift": "dp100-questions.gift.txt", "json": "dp100-questions.json"}


@dataclass
class ExportSummary:
    """What an export wrote."""

    path: Path
    exported: int
    skipped: Counter[str] = field(default_factory=Counter)  # item type -> questions left out


def localized_questions(bank: Bank, lang: str) -> list:
    """The bank's questions in file order, in `lang` where translated (English otherwise)."""
    return [bank.get(qid, lang) for qid in bank.questions]


def export_bank(bank: Bank, fmt: str, path: Path, lang: str = "en") -> ExportSummary:
    """Write the bank in one format.

    Args:
        bank: the loaded question bank.
        fmt: "anki" (single and multiple choice), "gift" (single, multiple, yes/no and matching) or
            "json" (every question, every field).
        path: the file to write (its folder must exist).
        lang: "en" or "pt-BR"; untranslated questions are exported in English.

    Raises:
        ValueError: for an unknown format.
    """
    questions = localized_questions(bank, lang)
    if fmt == "anki":
        from quizzes.export.anki import write_anki

        return write_anki(questions, path, lang)
    if fmt == "gift":
        from quizzes.export.gift import write_gift

        return write_gift(questions, path)
    if fmt == "json":
        from quizzes.export.json_export import write_json

        return write_json(questions, path, lang)
    raise ValueError(f"unknown export format '{fmt}'; use one of: {', '.join(FORMATS)}")


def fits(fmt: str, item_type: str) -> bool:
    """Whether format `fmt` can hold a question of `item_type` (JSON holds every type)."""
    if fmt == "anki":
        from quizzes.export.anki import EXPORTED_TYPES
    elif fmt == "gift":
        from quizzes.export.gift import EXPORTED_TYPES
    else:
        return True
    return item_type in EXPORTED_TYPES


def export_bytes(bank: Bank, fmt: str, lang: str = "en") -> tuple[bytes, ExportSummary]:
    """The export as bytes (to hand to a browser download), with its summary; arguments as `export_bank`."""
    with tempfile.TemporaryDirectory() as folder:
        summary = export_bank(bank, fmt, Path(folder) / DEFAULT_NAMES[fmt], lang)
        return summary.path.read_bytes(), summary
