"""Scoring: partial credit per part for every item type, all-or-nothing when asked, scaled exam score."""

from __future__ import annotations

import pytest

from quizzes.items import QUESTION_ADAPTER
from quizzes.scoring import PASS_MARK, Score, exam_report, scaled_score, score

COMMON = {"skills": ["2020.x.y"], "sdk": "v1", "difficulty": "easy", "stem": "Pick.",
          "references": ["n#a", "https://learn.microsoft.com/x"]}


def opt(i, text="t"):
    return {"id": i, "text": text, "rationale": "because"}


def q(**fields):
    return QUESTION_ADAPTER.validate_python({"id": "q-1", **COMMON, **fields})


def test_single_choice():
    item = q(type="single", options=[opt("A"), opt("B")], answer="B")
    assert score(item, "B").correct and not score(item, "A").correct


def test_multiple_choice_gives_a_point_per_right_option_and_refuses_too_many():
    item = q(type="multiple", choose=2, options=[opt("A"), opt("B"), opt("C"), opt("D")], answer=["A", "C"])
    assert score(item, ["A", "D"]).points == 1
    assert score(item, ["A", "C"]).correct
    assert score(item, ["A", "C", "D"]).points == 0


def test_ordering_scores_each_position():
    item = q(type="ordering", items=[opt("a"), opt("b"), opt("c"), opt("x")], answer=["a", "b", "c"])
    assert score(item, ["a", "c", "b"]).points == 1
    assert score(item, ["a", "b"]).points == 2
    assert score(item, ["a", "b", "c"]).correct


def test_match_allows_a_value_to_be_used_twice():
    item = q(type="match", values=[opt("v1"), opt("v2"), opt("v3")],
             targets=[{"id": "t1", "text": "x", "answer": "v1"}, {"id": "t2", "text": "y", "answer": "v1"}])
    assert score(item, {"t1": "v1", "t2": "v1"}).correct
    assert score(item, {"t1": "v1", "t2": "v2"}).points == 1


def test_dropdown_and_yesno_score_per_gap_and_statement():
    drop = q(type="dropdown", code="ws = {{g1}}.{{g2}}()", gaps=[
        {"id": "g1", "options": [opt("a"), opt("b")], "answer": "a"},
        {"id": "g2", "options": [opt("c"), opt("d")], "answer": "d"}])
    assert score(drop, {"g1": "a", "g2": "c"}).parts == {"g1": True, "g2": False}
    yn = q(type="yesno", statements=[{"id": "s1", "text": "x", "answer": True, "rationale": "r"},
                                     {"id": "s2", "text": "y", "answer": False, "rationale": "r"}])
    assert score(yn, {"s1": True, "s2": False}).correct
    assert score(yn, {"s1": True}).points == 1


def test_case_study_sums_its_sub_questions():
    case = q(type="case_study", tabs=[{"id": "overview", "title": "Overview", "body": "A company."}], questions=[
        {"id": "q1", "stem": "One?", "type": "single", "options": [opt("A"), opt("B")], "answer": "A"},
        {"id": "q2", "stem": "Two?", "type": "multiple", "choose": 2,
         "options": [opt("A"), opt("B"), opt("C")], "answer": ["B", "C"]}])
    result = score(case, {"q1": "A", "q2": ["B"]})
    assert (result.points, result.max_points) == (2, 3)


def test_all_or_nothing_when_partial_credit_is_off():
    item = q(type="multiple", choose=2, options=[opt("A"), opt("B"), opt("C")], answer=["A", "B"],
             scoring={"partial_credit": False})
    assert score(item, ["A", "C"]).points == 0


@pytest.mark.parametrize(("share", "scaled"), [(0, 1), (1, 1000), (0.7, 700), (0.5, 500)])
def test_scaled_score_is_a_linear_estimate(share, scaled):
    assert scaled_score(share * 100, 100) == scaled


def test_exam_report_per_domain_and_pass_line():
    scored = [("d1", Score(1, 1)), ("d1", Score(0, 1)), ("d2", Score(2, 2))]
    report = exam_report(scored, {"d1": "Domain one", "d2": "Domain two", "d3": "Unused"})
    assert [d.domain_id for d in report.domains] == ["d1", "d2"]
    assert report.domains[0].share == 0.5
    assert report.scaled == scaled_score(3, 4) and report.passed == (report.scaled >= PASS_MARK)


def test_an_answer_is_complete_only_when_every_part_has_a_choice():
    from quizzes.scoring import is_complete

    multiple = q(type="multiple", choose=2, options=[opt("A"), opt("B"), opt("C")], answer=["A", "B"])
    assert not is_complete(multiple, None) and not is_complete(multiple, ["A"]) and is_complete(multiple, ["A", "C"])
    order = q(type="ordering", items=[opt("a"), opt("b"), opt("x")], answer=["a", "b"])
    assert is_complete(order, ["b", "a"]) and not is_complete(order, ["a", None])
    match = q(type="match", values=[opt("v1"), opt("v2")],
              targets=[{"id": "t1", "text": "x", "answer": "v1"}, {"id": "t2", "text": "y", "answer": "v2"}])
    assert not is_complete(match, {"t1": "v1", "t2": None}) and is_complete(match, {"t1": "v2", "t2": "v2"})
    yn = q(type="yesno", statements=[{"id": "s1", "text": "x", "answer": True, "rationale": "r"},
                                     {"id": "s2", "text": "y", "answer": False, "rationale": "r"}])
    assert is_complete(yn, {"s1": False, "s2": False}) and not is_complete(yn, {"s1": True})
    case = q(type="case_study", tabs=[{"id": "overview", "title": "Overview", "body": "A company."}], questions=[
        {"id": "q1", "stem": "One?", "type": "single", "options": [opt("A"), opt("B")], "answer": "A"},
        {"id": "q2", "stem": "Two?", "type": "single", "options": [opt("A"), opt("B")], "answer": "B"}])
    assert not is_complete(case, {"q1": "A", "q2": None}) and is_complete(case, {"q1": "B", "q2": "B"})
