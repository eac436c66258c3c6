"""The shipped content passes `dp100 content check`, and the authoring guide's examples are valid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from curriculum.check import check_all, load_all
from dp100.cli import main
from quizzes.bank import load_bank
from quizzes.blueprint import load_blueprints

AUTHORING = Path(__file__).resolve().parents[2] / "content" / "AUTHORING.md"


def test_real_content_has_no_problems():
    problems = check_all()
    assert problems == [], "\n".join(str(p) for p in problems)


def test_content_check_command_exits_zero_on_real_content(capsys):
    assert main(["content", "check"]) == 0
    assert capsys.readouterr().out == ""


def test_every_outline_title_has_a_portuguese_version():
    """Exam, domain, group and skill titles all read in pt-BR, and none is the English text left in place."""
    for bp in load_blueprints().blueprints.values():
        parts = bp.titled_parts()
        assert len(parts) > 45, bp.id  # AI-300's reported outline is shorter than DP-100's
        for _, part in parts:
            english, portuguese = part.title_in("en"), part.title_in("pt-BR")
            assert english == part.title and portuguese.strip(), part.id
            assert portuguese.casefold() != english.casefold(), part.id


def _edit_outline(tree, old: str, new: str) -> Path:
    path = tree.root / "blueprints" / "dp-100-2025.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_content_check_reports_a_missing_pt_br_title(tree):
    _edit_outline(tree, "    title_pt-BR: Treinar e implantar modelos\n", "")
    problems = [str(p) for p in check_all(tree.root / "notes", tree.root / "bank", tree.root / "blueprints")]
    assert any(p.endswith("dp-100-2025.yaml:" + str(_line_of(tree, "  - id: 2025.train-deploy")) +
                          ": domains[2].title_pt-BR: required field is missing") for p in problems), problems


def test_content_check_reports_a_pt_br_title_left_in_english(tree, capsys):
    _edit_outline(tree, "title_pt-BR: Gerenciar modelos\n", "title_pt-BR: Manage models\n")
    folders = [f"--{name}={tree.root / name}" for name in ("notes", "bank", "blueprints")]
    assert main(["content", "check", *folders]) == 1
    line = _line_of(tree, "title_pt-BR: Manage models")
    assert (f"dp-100-2025.yaml:{line}: missing translation: the pt-BR title of '2025.models' is the English text"
            in capsys.readouterr().out)


def _line_of(tree, text: str) -> int:
    lines = (tree.root / "blueprints" / "dp-100-2025.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_real_bank_has_every_item_type():
    content = load_all()
    types = {q.type for q in content.bank.questions.values()}
    assert types == {"single", "multiple", "ordering", "match", "dropdown", "yesno", "case_study"}


def test_seed_questions_are_in_the_bank():
    bank = load_all().bank
    for qid in ("ws-config-json-fields", "ws-gpu-vm-size", "ws-datastore-not-supported", "ws-r-tools-yesno"):
        assert qid in bank.questions


def _authoring_examples() -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", AUTHORING.read_text(encoding="utf-8"), flags=re.S)
    return [b for b in blocks if b.startswith("- id: example-")]


def test_authoring_guide_has_one_valid_example_per_item_type(tmp_path):
    examples = _authoring_examples()
    body = "".join("  " + "\n  ".join(b.rstrip("\n").splitlines()) + "\n" for b in examples)
    (tmp_path / "examples.yaml").write_text("questions:\n" + body, encoding="utf-8")
    content = load_all()
    bank = load_bank(tmp_path, load_blueprints(), content.notes.anchors())
    assert bank.problems == []
    assert sorted(q.type for q in bank.questions.values()) == sorted(
        ["single", "multiple", "ordering", "match", "dropdown", "yesno", "case_study"]
    )


@pytest.mark.parametrize("lang", ["en", "pt-BR"])
def test_workspace_note_has_the_same_anchors_in_both_languages(lang):
    notes = load_all().notes
    assert notes.notes[lang]["workspace"].anchors() == notes.notes["en"]["workspace"].anchors()


def test_content_check_names_a_missing_folder(tmp_path, capsys):
    assert main(["content", "check", "--bank", str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_content_check_exits_non_zero_and_prints_file_line(tmp_path, capsys):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "broken.yaml").write_text("questions:\n  - id: only-an-id\n", encoding="utf-8")
    assert main(["content", "check", "--bank", str(bank)]) == 1
    out = capsys.readouterr().out
    assert f"{bank / 'broken.yaml'}:2: [only-an-id]" in out


def test_content_stats_command(capsys):
    assert main(["content", "stats"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("questions: ") and "by_type:" in out and "  pt-BR: " in out
    by_outline = out.split("by_outline:\n", 1)[1].split("\nverified:", 1)[0].splitlines()
    # The current exam's outline first, then the retired ones newest first.
    assert [line.split(":")[0].strip() for line in by_outline] == ["ai-300", "dp-100-2025", "dp-100-2020"]
    assert all(int(line.split(":")[1]) > 200 for line in by_outline)
    verified = out.split("verified:\n", 1)[1].splitlines()[:2]
    assert verified[0].startswith("  questions: ") and int(verified[0].split(": ")[1]) >= 16
    by_domain = dict(line.strip().split(": ") for line in out.split("by_domain:\n", 1)[1].splitlines())
    # AI-300's first two domains: new questions plus DP-100 ones mapped to their skills.
    assert int(by_domain["ai300.mlops-infra"]) >= 60 and int(by_domain["ai300.model-lifecycle"]) >= 60
    assert {"2025.design", "2020.resources"} <= set(by_domain)


def test_content_schema_command_writes_json_schemas(tmp_path, capsys):
    import json

    assert main(["content", "schema", "-o", str(tmp_path)]) == 0
    bank = json.loads((tmp_path / "question-bank.schema.json").read_text(encoding="utf-8"))
    names = set(bank["$defs"])
    assert {"SingleChoice", "MultipleChoice", "Ordering", "Match", "Dropdown", "YesNo", "CaseStudy"} <= names
    assert (tmp_path / "blueprint.schema.json").exists() and (tmp_path / "note-front-matter.schema.json").exists()
