"""Exports parse back: the Anki package opens as a collection, GIFT parses, JSON re-validates."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile

import pytest

from dp100.cli import main
from quizzes.bank import load_bank
from quizzes.export import export_bank
from quizzes.export.gift import escape
from quizzes.items import QUESTION_ADAPTER


@pytest.fixture(scope="module")
def bank(private_home):
    loaded = load_bank()
    assert loaded.problems == []
    return loaded


def _choice_ids(bank) -> set[str]:
    return {q.id for q in bank.questions.values() if q.type in ("single", "multiple")}


def _anki_notes(path) -> list[list[str]]:
    with zipfile.ZipFile(path) as package:
        data = package.read("collection.anki2")
    db_path = path.with_suffix(".anki2")
    db_path.write_bytes(data)
    with sqlite3.connect(db_path) as db:
        return [row[0].split("\x1f") for row in db.execute("select flds from notes")]


def test_anki_deck_holds_the_choice_questions_with_rationales(bank, tmp_path):
    path = tmp_path / "deck.apkg"
    summary = export_bank(bank, "anki", path)
    notes = _anki_notes(path)
    assert {fields[0] for fields in notes} == _choice_ids(bank) and summary.exported == len(notes)
    assert summary.skipped["case_study"] >= 1
    gpu = next(fields for fields in notes if fields[0] == "ws-gpu-vm-size")
    assert "Answer: C" in gpu[3]
    assert gpu[4].count("<li>") == 4 and "✔ C." in gpu[4]


def test_anki_export_in_portuguese_uses_translations(bank, tmp_path):
    path = tmp_path / "deck-pt.apkg"
    export_bank(bank, "anki", path, lang="pt-BR")
    gpu = next(f for f in _anki_notes(path) if f[0] == "ws-gpu-vm-size")
    assert "Resposta: C" in gpu[3] and "Qual tamanho" in gpu[1]


_UNESCAPED_BRACE = re.compile(r"(?<!\\)\{(.*)(?<!\\)\}\s*$", re.S)


def _parse_gift(text: str) -> dict[str, list[str]]:
    """A small GIFT reader: question title -> answer entries (enough to prove the file is well formed)."""
    parsed = {}
    for block in text.strip().split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("//")]
        body = "\n".join(lines)
        title = re.match(r"^::(.+?)::\[markdown\]", body)
        assert title, f"no title in block: {body[:80]}"
        answers = _UNESCAPED_BRACE.search(body)
        assert answers, f"no answer block in {title.group(1)}"
        entries = [e.strip() for e in re.split(r"(?<!\\)(?=[=~])", answers.group(1)) if e.strip()]
        parsed[title.group(1)] = entries
    return parsed


def test_gift_export_parses_and_marks_right_answers(bank, tmp_path):
    path = tmp_path / "bank.gift"
    summary = export_bank(bank, "gift", path)
    parsed = _parse_gift(path.read_text(encoding="utf-8"))
    assert _choice_ids(bank) <= set(parsed)
    single = parsed["ws-gpu-vm-size"]
    assert [e[0] for e in single] == ["~", "~", "=", "~"]
    multiple = parsed["ws-config-json-fields"]
    assert sum(e.startswith("~%33.33333%") for e in multiple) == 3
    feedback = escape(bank.questions["ws-create-facts-yesno"].statements[0].rationale)
    assert parsed["ws-create-facts-yesno-vault"] == [f"TRUE#{feedback}#{feedback}"]
    assert set(summary.skipped) == {"ordering", "dropdown", "case_study"}


def test_gift_escapes_control_characters():
    assert escape("a=b {c} ~d #e: f\\g") == "a\\=b \\{c\\} \\~d \\#e\\: f\\\\g"


def test_json_export_round_trips_through_the_schema(bank, tmp_path):
    path = tmp_path / "bank.json"
    export_bank(bank, "json", path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "dp100-question-bank" and document["lang"] == "en"
    again = [QUESTION_ADAPTER.validate_python(q) for q in document["questions"]]
    assert [q.id for q in again] == list(bank.questions)
    assert again == list(bank.questions.values())


def test_quiz_export_command(tmp_path, capsys):
    out = tmp_path / "q.json"
    assert main(["quiz", "export", "--format", "json", "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out and out.exists()
    assert main(["quiz", "export", "--format", "gift", "-o", str(tmp_path / "missing" / "q.gift")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_unknown_format_is_a_clear_error(bank, tmp_path):
    with pytest.raises(ValueError, match="unknown export format 'csv'"):
        export_bank(bank, "csv", tmp_path / "x.csv")


def test_export_bytes_gives_the_same_file_and_fits_counts_what_goes_in(bank):
    from quizzes.export import export_bytes, fits

    for fmt in ("anki", "gift", "json"):
        data, summary = export_bytes(bank, fmt, "pt-BR")
        assert summary.exported == sum(fits(fmt, q.type) for q in bank.questions.values())
        assert summary.exported + sum(summary.skipped.values()) == len(bank.questions)
        if fmt == "anki":
            assert data[:2] == b"PK"  # an .apkg is a zip archive
        if fmt == "json":
            assert len(json.loads(data)["questions"]) == len(bank.questions)
