"""Freshness: `verified` and `valid_until` on questions and note sections, and what the check reports."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pydantic import ValidationError

from curriculum.check import load_all
from datafiles.freshness import Freshness
from dp100.cli import main

QUESTION = """
questions:
  - id: gpu-size
    type: single
    skills: [2025.resources.compute]
    sdk: none
    difficulty: easy
{extra}    stem: Which size has a GPU?
    options:
      - id: nc
        text: Standard_NC8as_T4_v3
        rationale: An NC size with a T4 GPU.
      - id: d
        text: Standard_D4s_v5
        rationale: A CPU size.
    answer: nc
    references:
      - demo#first
      - https://learn.microsoft.com/en-us/azure/virtual-machines/sizes
"""

NOTE = """
---
id: demo
title: Demo note
order: 1
sdk: v2
skills: [2025.resources.compute]
sections:
  first: [2025.resources.compute]
{extra}---

## First section {{#first}}

Some text.

## Second section {{#second}}

More text.
"""

PT_NOTE = """
---
id: demo
title: Nota de demonstração
{extra}---

## Primeira seção {{#first}}

Algum texto.

## Segunda seção {{#second}}

Mais texto.
"""


def _write(tree, question_extra: str = "", note_extra: str = "", pt_extra: str = "") -> None:
    tree("bank/demo.yaml", QUESTION.format(extra=question_extra))
    tree("notes/en/demo.md", NOTE.format(extra=note_extra))
    tree("notes/pt-BR/demo.md", PT_NOTE.format(extra=pt_extra))


def _problems(tree, today: dt.date = dt.date(2026, 12, 6)) -> list[str]:
    root = tree.root
    content = load_all(root / "notes", root / "bank", root / "blueprints", today=today)
    return [str(p) for p in content.problems]


def test_year_month_accepts_only_a_year_and_month():
    assert Freshness(verified="2026-12").verified == "2026-12"
    for bad in ("2026-13", "2026-1", "December 2026", dt.date(2026, 12, 1)):
        with pytest.raises(ValidationError, match="YYYY-MM"):
            Freshness(verified=bad)


def test_section_freshness_falls_back_to_the_note():
    own = Freshness(valid_until=dt.date(2027, 4, 14))
    merged = own.over(Freshness(verified="2026-12", valid_until=dt.date(2030, 1, 1)))
    assert merged == Freshness(verified="2026-12", valid_until=dt.date(2027, 4, 14))
    assert merged.expired(dt.date(2027, 4, 15)) and not merged.expired(dt.date(2027, 4, 14))
    assert merged.verified_before("2027-01") and not merged.verified_before("2026-12")
    assert Freshness().verified_before("2000-01")


def test_fresh_content_has_no_problems(tree):
    _write(tree, "    verified: 2026-12\n    valid_until: 2027-04-14\n",
           "verified: 2026-12\nfreshness:\n  second: {valid_until: 2027-04-14}\n")
    assert _problems(tree) == []


def test_a_question_past_its_valid_until_is_reported_at_its_line(tree):
    _write(tree, "    verified: 2025-06\n    valid_until: 2026-09-30\n")
    problems = _problems(tree)
    assert len(problems) == 1
    assert "demo.yaml:8: [gpu-size] valid_until 2026-09-30 has passed" in problems[0]
    assert _problems(tree, today=dt.date(2026, 9, 30)) == []


def test_a_note_section_past_its_valid_until_is_reported_at_its_heading(tree):
    _write(tree, note_extra="freshness:\n  second: {verified: 2026-01, valid_until: 2026-03-31}\n")
    problems = _problems(tree)
    assert len(problems) == 1 and "en/demo.md:17: section 'demo#second' valid_until 2026-03-31" in problems[0]


def test_a_note_wide_valid_until_covers_every_section(tree):
    _write(tree, note_extra="valid_until: 2026-01-31\n")
    problems = _problems(tree)
    assert [p.split(": ", 1)[1].split(" valid_until")[0] for p in problems] == [
        "section 'demo#first'", "section 'demo#second'"]


def test_bad_freshness_values_are_schema_problems(tree):
    _write(tree, "    verified: 2026-12-01\n", "freshness:\n  third: {verified: 2026-12}\n")
    problems = _problems(tree)
    assert any("demo.yaml:7: [gpu-size] questions[0].verified: must be a year and month written YYYY-MM" in p
               for p in problems), problems
    assert any("en/demo.md:1: front matter 'freshness' names 'third', which is not a section anchor" in p
               for p in problems), problems


def test_a_translation_cannot_change_the_freshness(tree):
    _write(tree, note_extra="verified: 2026-12\n", pt_extra="verified: 2025-01\n")
    problems = _problems(tree)
    assert any("pt-BR/demo.md:1: front matter 'verified' differs from" in p for p in problems), problems


def test_cli_lists_items_not_verified_since_a_month(tree, capsys):
    _write(tree, "    verified: 2025-06\n", "freshness:\n  first: {verified: 2026-12}\n")
    root = tree.root
    args = ["content", "check", "--notes", str(root / "notes"), "--bank", str(root / "bank"),
            "--blueprints", str(root / "blueprints")]
    assert main(args) == 0
    assert main([*args, "--verified-since", "2026-12"]) == 1
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert any("[gpu-size] not verified since 2026-12 (last verified 2025-06)" in line for line in lines)
    assert any("section 'demo#second' not verified since 2026-12 (never verified)" in line for line in lines)
    assert not any("demo#first" in line for line in lines)
    assert "2 item(s) not verified since 2026-12" in out.err
    assert main([*args, "--verified-since", "2025-06"]) == 1  # the second section was never verified


def test_cli_as_of_judges_valid_until_on_another_day(tree, capsys):
    _write(tree, "    valid_until: 2027-04-14\n")
    root = tree.root
    args = ["content", "check", "--notes", str(root / "notes"), "--bank", str(root / "bank"),
            "--blueprints", str(root / "blueprints")]
    assert main([*args, "--as-of", "2027-04-14"]) == 0
    assert main([*args, "--as-of", "2027-04-15"]) == 1
    assert "[gpu-size] valid_until 2027-04-14 has passed" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main([*args, "--as-of", "next week"])
    assert "give a date written YYYY-MM-DD" in capsys.readouterr().err


def test_schemas_describe_the_freshness_fields(tmp_path):
    assert main(["content", "schema", "-o", str(tmp_path)]) == 0
    bank = (tmp_path / "question-bank.schema.json").read_text()
    front = json.loads((tmp_path / "note-front-matter.schema.json").read_text())
    assert '"verified"' in bank and '"valid_until"' in bank
    assert {"verified", "valid_until", "freshness"} <= set(front["properties"])
