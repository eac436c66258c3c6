"""Readiness estimates and practice filters."""

from __future__ import annotations

from quizzes.readiness import PRIOR_MISSES, readiness, select_practice, weakest
from tests.quizzes.test_forms import BP, make

QUESTIONS = {q.id: q for q in [make("a-1", "t.ga.s1"), make("a-2", "t.ga.s1"), make("b-1", "t.gb.s1"),
                               make("yn-1", "t.gb.s1", "yesno")]}


def test_readiness_uses_latest_scores_and_the_prior():
    answers = [{"question_id": "a-1", "score": 0.0}, {"question_id": "a-1", "score": 1.0},
               {"question_id": "a-2", "score": 1.0}]
    by_id = {d.domain_id: d for d in readiness(BP, QUESTIONS, answers)}
    assert by_id["t.a"].readiness == 2 / (2 + PRIOR_MISSES)
    assert (by_id["t.b"].answered, by_id["t.b"].available, by_id["t.b"].readiness) == (0, 2, 0)
    assert weakest(list(by_id.values())).domain_id == "t.b"


def test_practice_filters_combine():
    assert select_practice(QUESTIONS, BP, domains={"t.b"}) == ["b-1", "yn-1"]
    assert select_practice(QUESTIONS, BP, domains={"t.b"}, types={"yesno"}) == ["yn-1"]
    assert select_practice(QUESTIONS, BP, skills={"t.ga.s1"}, difficulties={"hard"}) == []
    assert len(select_practice(QUESTIONS, BP)) == 4


def test_practice_leaves_out_questions_of_other_outlines():
    other = make("old-1", "x.retired.skill")
    assert select_practice({**QUESTIONS, other.id: other}, BP) == list(QUESTIONS)


def test_misses_are_questions_whose_latest_answer_was_not_fully_right():
    from quizzes.readiness import latest_misses, latest_scores

    answers = [{"question_id": "a-1", "score": 0.0}, {"question_id": "a-1", "score": 1.0},  # fixed since
               {"question_id": "a-2", "score": 0.5}, {"question_id": "b-1", "score": 1.0},
               {"question_id": "yn-1", "score": 1.0}, {"question_id": "yn-1", "score": 0.0}]  # lost since
    assert latest_misses(latest_scores(answers)) == {"a-2", "yn-1"}
    assert select_practice(QUESTIONS, BP, among={"a-2", "yn-1"}) == ["a-2", "yn-1"]
    assert select_practice(QUESTIONS, BP, among={"a-2", "yn-1"}, types={"yesno"}) == ["yn-1"]
    assert select_practice(QUESTIONS, BP, among=set()) == []  # no misses: nothing, not everything
