"""Scoring answers the way the exam does: points per correct part, scaled exam scores, domain reports.

Answer shapes, by item type (ids, never positions, so options can be shuffled):
single -> option id; multiple -> list of option ids; ordering -> list of item ids in order;
match -> {target id: value id}; dropdown -> {gap id: option id}; yesno -> {statement id: bool};
case_study -> {sub-question id: the sub-question's own answer shape}.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

PASS_MARK = 700
SCALE_MIN, SCALE_MAX = 1, 1000


@dataclass(frozen=True)
class Score:
    """The result of one answer: points earned of the maximum, and which parts were right."""

    points: float
    max_points: float
    parts: dict[str, bool] = field(default_factory=dict)

    @property
    def correct(self) -> bool:
        """Fully right (every part)."""
        return self.points >= self.max_points

    @property
    def share(self) -> float:
        """Points as a share of the maximum, 0..1."""
        return self.points / self.max_points if self.max_points else 0.0


def _parts_single(q, answer) -> dict[str, bool]:
    return {"answer": answer == q.answer}


def _parts_multiple(q, answer) -> dict[str, bool]:
    chosen = list(answer or [])
    if len(chosen) > q.choose:  # the exam never lets more than N through; treat it as wrong everywhere
        return {opt: False for opt in q.answer}
    return {opt: opt in chosen for opt in q.answer}


def _parts_ordering(q, answer) -> dict[str, bool]:
    given = list(answer or [])
    return {f"position-{i + 1}": i < len(given) and given[i] == item for i, item in enumerate(q.answer)}


def _parts_match(q, answer) -> dict[str, bool]:
    given = answer or {}
    return {t.id: given.get(t.id) == t.answer for t in q.targets}


def _parts_dropdown(q, answer) -> dict[str, bool]:
    given = answer or {}
    return {g.id: given.get(g.id) == g.answer for g in q.gaps}


def _parts_yesno(q, answer) -> dict[str, bool]:
    given = answer or {}
    return {s.id: given.get(s.id) is s.answer for s in q.statements}


def _parts_case_study(q, answer) -> dict[str, bool]:
    given = answer or {}
    out = {}
    for sub in q.questions:
        for part, ok in part_results(sub, given.get(sub.id)).items():
            out[f"{sub.id}/{part}"] = ok
    return out


_PARTS = {
    "single": _parts_single, "multiple": _parts_multiple, "ordering": _parts_ordering,
    "match": _parts_match, "dropdown": _parts_dropdown, "yesno": _parts_yesno, "case_study": _parts_case_study,
}


def part_results(question, answer: Any) -> dict[str, bool]:
    """Which parts of a question (or case-study sub-question) the answer got right."""
    return _PARTS[question.type](question, answer)


def is_complete(question, answer: Any) -> bool:
    """Whether every part of the question has a choice (the exam's review screen flags the rest as incomplete)."""
    if answer is None:
        return False
    kind = question.type
    if kind == "single":
        return True
    if kind == "multiple":
        return len(answer) >= question.choose
    if kind == "ordering":
        return len(answer) == len(question.answer) and all(a is not None for a in answer)
    if kind == "case_study":
        return all(is_complete(sub, answer.get(sub.id)) for sub in question.questions)
    parts = getattr(question, {"match": "targets", "dropdown": "gaps", "yesno": "statements"}[kind])
    return all(answer.get(p.id) is not None for p in parts)


def score(question, answer: Any) -> Score:
    """Score one answer with the question's scoring rule (partial credit per part, or all or nothing)."""
    parts = part_results(question, answer)
    weights = dict(question.parts())
    max_points = sum(weights.values())
    earned = sum(weights.get(p, 1.0) for p, ok in parts.items() if ok)
    if not question.scoring.partial_credit and earned < max_points:
        earned = 0.0
    return Score(points=earned, max_points=max_points, parts=parts)


def scaled_score(points: float, max_points: float) -> int:
    """An estimate of the exam's 1-1000 scaled score from raw points.

    Microsoft does not publish how raw points become scaled scores (it depends on each form's
    difficulty), so this is a linear estimate: 0% -> 1, 100% -> 1000, about 70% -> 700.
    """
    share = points / max_points if max_points else 0.0
    return round(SCALE_MIN + (SCALE_MAX - SCALE_MIN) * max(0.0, min(1.0, share)))


@dataclass(frozen=True)
class DomainResult:
    """Points per exam domain, for the score report's bars."""

    domain_id: str
    title: str
    points: float
    max_points: float

    @property
    def share(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


@dataclass(frozen=True)
class ExamReport:
    """The end of an exam: scaled score (an estimate), pass or fail, and per-domain results."""

    scaled: int
    passed: bool
    points: float
    max_points: float
    domains: list[DomainResult]


def exam_report(scored: Iterable[tuple[str | None, Score]], domain_titles: dict[str, str]) -> ExamReport:
    """Build the score report from (domain id, score) pairs, one per question of the form."""
    totals: dict[str, list[float]] = {d: [0.0, 0.0] for d in domain_titles}
    points = max_points = 0.0
    for domain_id, s in scored:
        points += s.points
        max_points += s.max_points
        if domain_id in totals:
            totals[domain_id][0] += s.points
            totals[domain_id][1] += s.max_points
    domains = [DomainResult(d, domain_titles[d], p, m) for d, (p, m) in totals.items() if m]
    scaled = scaled_score(points, max_points)
    return ExamReport(scaled, scaled >= PASS_MARK, points, max_points, domains)
