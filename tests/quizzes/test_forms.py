"""Exam forms follow the blueprint's weights and the exam's section rules."""

from __future__ import annotations

from collections import Counter

import pytest

from quizzes.blueprint import Blueprint
from quizzes.forms import allocate, assemble
from quizzes.items import QUESTION_ADAPTER

BP = Blueprint.model_validate({
    "id": "t-exam", "key": "t", "exam": "T-1", "title": "Test outline", "title_pt-BR": "Roteiro de teste",
    "status": "current", "date": "2026-01-01",
    "domains": [
        {"id": "t.a", "title": "Domain A", "title_pt-BR": "Domínio A", "weight": [40, 50],
         "groups": [{"id": "t.ga", "title": "Group A", "title_pt-BR": "Grupo A",
                     "skills": [{"id": "t.ga.s1", "title": "Skill A1", "title_pt-BR": "Habilidade A1"}]}]},
        {"id": "t.b", "title": "Domain B", "title_pt-BR": "Domínio B", "weight": [50, 60],
         "groups": [{"id": "t.gb", "title": "Group B", "title_pt-BR": "Grupo B",
                     "skills": [{"id": "t.gb.s1", "title": "Skill B1", "title_pt-BR": "Habilidade B1"}]}]},
    ]})


def make(qid, skill, kind="single"):
    base = {"id": qid, "skills": [skill], "sdk": "none", "difficulty": "easy", "stem": "S?",
            "references": ["n#a", "https://learn.microsoft.com/x"]}
    opts = [{"id": "A", "text": "a", "rationale": "r"}, {"id": "B", "text": "b", "rationale": "r"}]
    if kind == "yesno":
        base |= {"type": "yesno", "statements": [{"id": "s1", "text": "x", "answer": True, "rationale": "r"},
                                                 {"id": "s2", "text": "y", "answer": False, "rationale": "r"}]}
    else:
        base |= {"type": "single", "options": opts, "answer": "A"}
    return QUESTION_ADAPTER.validate_python(base)


BANK = [make(f"a-{i}", "t.ga.s1") for i in range(30)] + [make(f"b-{i}", "t.gb.s1") for i in range(30)] + [
    make("yn-1", "t.ga.s1", "yesno"), make("other", "z.other.skill")]


def test_allocation_follows_weight_midpoints_and_sums_to_total():
    assert allocate(BP, 10) == {"t.a": 5, "t.b": 5}  # midpoints 45 and 55: 4.5 and 5.5, remainders tie
    counts = allocate(BP, 20)
    assert sum(counts.values()) == 20 and counts["t.b"] > counts["t.a"]


def test_form_has_the_right_length_domains_and_no_foreign_questions():
    form = assemble(BANK, BP, total=20, seed=1)
    assert len(form.items) == 20 and len({i.question_id for i in form.items}) == 20
    assert "other" not in {i.question_id for i in form.items}
    assert Counter(i.domain_id for i in form.items) == Counter(allocate(BP, 20))


def test_non_revisitable_sections_come_last():
    form = assemble(BANK, BP, total=61, seed=3)
    sections = [i.section for i in form.items]
    assert sections.index("yesno") > max(i for i, s in enumerate(sections) if s == "main")
    assert not form.items[-1].revisitable


def test_same_seed_same_form_and_shortfall_is_reported():
    assert assemble(BANK, BP, 10, seed=7) == assemble(BANK, BP, 10, seed=7)
    small = [make("a-only", "t.ga.s1")] + [make(f"b-{i}", "t.gb.s1") for i in range(10)]
    form = assemble(small, BP, total=6, seed=0)
    assert form.shortfall == {"t.a": allocate(BP, 6)["t.a"] - 1} and len(form.items) == 6


def test_bad_sizes_and_empty_banks_are_refused():
    with pytest.raises(ValueError, match="at least 1 question"):
        assemble(BANK, BP, total=0)
    with pytest.raises(ValueError, match="No question"):
        assemble([make("x-1", "z.other.skill")], BP, total=5)
