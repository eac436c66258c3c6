"""Check messages in the learner's language: every result a lab's checks can give carries a pt-BR message."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from labs.api import StepReport
from labs.grading import failed, passed

CATALOG = Path(__file__).resolve().parents[2] / "labs" / "catalog"


def test_a_result_speaks_the_learners_language_and_falls_back_to_english():
    both = failed("The workspace is missing.", pt="O workspace não existe.")
    english_only = passed("Fine.")
    assert both.message_in("pt-BR") == "O workspace não existe."
    assert both.message_in("en") == "The workspace is missing."
    assert english_only.message_in("pt-BR") == "Fine."
    report = StepReport("01", "s", [english_only, both])
    assert report.message_in("pt-BR") == "O workspace não existe." and report.message == "The workspace is missing."


def _untranslated(path: Path) -> list[str]:
    """`passed(...)`/`failed(...)` calls in a checks module without a `pt=` message."""
    missing = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in (
                "passed", "failed"):
            if not any(k.arg == "pt" for k in node.keywords):
                missing.append(f"{path.parent.name}/checks.py:{node.lineno}")
    return missing


@pytest.mark.parametrize("lab", sorted(p.name for p in CATALOG.iterdir() if (p / "checks.py").exists()))
def test_every_check_message_has_a_portuguese_version(lab):
    assert _untranslated(CATALOG / lab / "checks.py") == []
