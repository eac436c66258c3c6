"""JSON Schemas of the content files, for editors: with them a YAML language server completes field
names and flags mistakes while an author types (validation still belongs to `dp100 content check`).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from content.schema import NoteFrontMatter
from quizzes.blueprint import Blueprint
from quizzes.items import Lang, Question


class QuestionBankFile(BaseModel):
    """A `quizzes/bank/*.yaml` file, with every question typed (the loader validates them one by one)."""

    model_config = ConfigDict(extra="forbid", title="DP-100 question bank file")

    require_translations: list[Lang] = Field(default_factory=list)
    questions: list[Question] = Field(min_length=1)


SCHEMAS = {
    "question-bank.schema.json": QuestionBankFile,
    "blueprint.schema.json": Blueprint,
    "note-front-matter.schema.json": NoteFrontMatter,
}


def write_schemas(folder: Path) -> list[Path]:
    """Write one JSON Schema file per kind of content file into `folder`; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = folder / name
        schema: dict = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
