"""Plain JSON export: every question, every field, in one document that the schema reads back."""

from __future__ import annotations

import json
from pathlib import Path

from quizzes.export import ExportSummary

FORMAT_NAME = "dp100-question-bank"
FORMAT_VERSION = 1


def write_json(questions: list, path: Path, lang: str) -> ExportSummary:
    """Write `{"format", "version", "lang", "questions": [...]}`; translations are kept in each question."""
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "lang": lang,
        "questions": [q.model_dump(mode="json") for q in questions],
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return ExportSummary(path, len(questions))
