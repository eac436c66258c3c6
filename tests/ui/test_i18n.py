"""Every UI text exists in English and Portuguese, and every key the code uses is defined."""

from __future__ import annotations

import ast
import re
import string

from progress.record import REFUSALS
from quizzes.export import FORMATS
from tests.ui.conftest import ROOT
from ui.i18n import LANGUAGES, texts

DYNAMIC_FAMILIES = {
    "type.": ["single", "multiple", "ordering", "match", "dropdown", "yesno", "case_study"],
    "level.": ["easy", "medium", "hard"],
    "rating.": ["Again", "Hard", "Good", "Easy"],
    "quiz.mode_": ["practice", "exam", "review"],
    "studio.kind_": ["cluster", "instance"],
    "nav.": ["home", "study", "quiz", "labs", "studio", "progress", "settings"],
    "progress.refused_": list(REFUSALS),
    "progress.deck_": list(FORMATS),
}


def _literal_keys() -> set[str]:
    keys = set()
    for path in (ROOT / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                keys.add(node.args[0].value)
    return keys


def test_every_key_has_both_languages_with_the_same_placeholders():
    for key, entry in texts().items():
        assert set(entry) == set(LANGUAGES), key
        fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in LANGUAGES]
        assert fields[0] == fields[1], key


def test_every_key_used_in_the_code_exists():
    used = _literal_keys() | {prefix + v for prefix, vs in DYNAMIC_FAMILIES.items() for v in vs}
    assert used - set(texts()) == set()
    assert len(used) > 50


def _string_constants() -> set[str]:
    # Keys may reach t() through a helper (e.g. an "empty table" message key passed as an argument).
    found = set()
    for path in (ROOT / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def test_no_key_is_left_unused():
    used = _string_constants()
    families = tuple(DYNAMIC_FAMILIES)
    unused = {k for k in texts() if k not in used and not k.startswith(families)}
    assert unused == set()


def test_keys_are_well_formed():
    assert all(re.fullmatch(r"[a-z_]+\.[A-Za-z_]+", k) for k in texts())
