"""Cross-field rules per item type, and the scoring parts each type exposes."""

from __future__ import annotations

import pytest

from quizzes import rules
from quizzes.items import QUESTION_ADAPTER

COMMON = {
    "skills": ["2020.workspace.create"], "sdk": "v1", "difficulty": "easy", "stem": "Stem.",
    "references": ["workspace#create-workspace", "https://learn.microsoft.com/en-us/azure/machine-learning/"],
}


def opt(i: str) -> dict:
    return {"id": i, "text": f"text {i}", "rationale": f"why {i}"}


def make(**fields):
    return QUESTION_ADAPTER.validate_python({"id": "q-x", **COMMON, **fields})


def messages(question) -> list[str]:
    return [f"{rules_loc(loc)} {msg}" for loc, msg in rules.question_findings(question)]


def rules_loc(loc) -> str:
    return ".".join(str(p) for p in loc)


def test_multiple_choose_must_match_the_answer():
    q = make(type="multiple", choose=3, options=[opt("a"), opt("b"), opt("c"), opt("d")], answer=["a", "b"])
    assert messages(q) == ["choose choose is 3 but the answer lists 2 options"]


def test_multiple_needs_more_options_than_choose():
    q = make(type="multiple", choose=3, options=[opt("a"), opt("b"), opt("c")], answer=["a", "b", "c"])
    assert any("needs more than 3 options" in m for m in messages(q))


def test_ordering_answer_must_name_items_once():
    q = make(type="ordering", items=[opt("a"), opt("b"), opt("c")], answer=["a", "a", "z"])
    found = messages(q)
    assert any(m.startswith("answer.2 answer 'z' is not among") for m in found)
    assert any("more than once" in m for m in found)


def test_ordering_parts_are_positions():
    q = make(type="ordering", items=[opt("a"), opt("b"), opt("c")], answer=["b", "a"])
    assert messages(q) == []
    assert q.parts() == [("position-1", 1.0), ("position-2", 1.0)]


def test_match_targets_must_point_at_values_and_a_value_may_serve_twice():
    targets = [{"id": "t1", "text": "x", "answer": "a"}, {"id": "t2", "text": "y", "answer": "a"}]
    assert messages(make(type="match", values=[opt("a"), opt("b")], targets=targets)) == []
    targets[1]["answer"] = "q"
    assert messages(make(type="match", values=[opt("a"), opt("b")], targets=targets)) == [
        "targets.1.answer answer 'q' is not among the option ids (a, b)"
    ]


def test_dropdown_gaps_and_code_marks_must_agree():
    gaps = [{"id": "g1", "options": [opt("a"), opt("b")], "answer": "a"},
            {"id": "g2", "options": [opt("a"), opt("b")], "answer": "b"}]
    q = make(type="dropdown", code="x = {{g1}}\ny = {{g3}}\n", gaps=gaps)
    found = messages(q)
    assert "gaps.1.id the code must hold '{{g2}}' exactly once" in found
    assert "code the code has a gap '{{g3}}' with no entry under gaps" in found


def test_dropdown_parts_are_gaps_with_custom_points():
    gaps = [{"id": "g1", "options": [opt("a"), opt("b")], "answer": "a"},
            {"id": "g2", "options": [opt("a"), opt("b")], "answer": "b"}]
    q = make(type="dropdown", code="{{g1}}({{g2}})", gaps=gaps, scoring={"points": {"g2": 2}})
    assert messages(q) == []
    assert q.parts() == [("g1", 1.0), ("g2", 2.0)] and q.max_points == 3.0


def test_yesno_statement_ids_are_unique():
    st = {"id": "s", "text": "t", "answer": True, "rationale": "r"}
    assert messages(make(type="yesno", statements=[st, st])) == ["statements.1.id duplicate statement id 's'"]


def test_case_study_checks_sub_questions_and_prefixes_parts():
    sub1 = {"id": "s1", "type": "single", "stem": "a?", "options": [opt("a"), opt("b")], "answer": "a"}
    sub2 = {"id": "s2", "type": "yesno", "stem": "b?",
            "statements": [{"id": "x", "text": "t", "answer": False, "rationale": "r"},
                           {"id": "y", "text": "t", "answer": True, "rationale": "r"}]}
    q = make(type="case_study", tabs=[{"id": "o", "title": "Overview", "body": "..."}], questions=[sub1, sub2])
    assert messages(q) == []
    assert [p for p, _ in q.parts()] == ["s1/answer", "s2/x", "s2/y"]
    sub1["answer"] = "nope"
    q = make(type="case_study", tabs=[{"id": "o", "title": "Overview", "body": "..."}], questions=[sub1, sub2])
    assert messages(q) == ["questions.0.answer answer 'nope' is not among the option ids (a, b)"]


def test_case_study_cannot_nest_case_studies():
    inner = {"id": "s1", "type": "case_study", "stem": "x", "tabs": [], "questions": []}
    with pytest.raises(ValueError):
        make(type="case_study", tabs=[{"id": "o", "title": "T", "body": "B"}], questions=[inner, inner])


def test_unknown_fields_are_rejected():
    with pytest.raises(ValueError, match="extra"):
        make(type="single", options=[opt("a"), opt("b")], answer="a", explanation="misspelt field")
