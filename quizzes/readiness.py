"""Readiness per exam domain, and the picking of practice questions.

Readiness is deliberately simple and explained on the Home page: for each domain, the average of the
learner's latest score on every question of that domain, with `PRIOR_MISSES` imaginary misses added so a
handful of lucky answers does not look like mastery.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from quizzes.blueprint import Blueprint
from quizzes.forms import question_domain

PRIOR_MISSES = 5


@dataclass(frozen=True)
class DomainReadiness:
    domain_id: str
    title: str
    answered: int
    available: int
    readiness: float  # 0..1


def latest_scores(answers: Iterable[dict]) -> dict[str, float]:
    """The latest score (0..1) for each question id, from the record's answers (oldest first)."""
    return {a["question_id"]: float(a["score"]) for a in answers}


def latest_misses(latest: dict[str, float]) -> set[str]:
    """Question ids whose latest answer was not fully right (what "practise my misses" serves).

    Args:
        latest: the latest score of each question (`latest_scores`, or the record's own `latest_scores()`).
    """
    return {qid for qid, share in latest.items() if share < 1.0}


def overall(blueprint: Blueprint, domains: list[DomainReadiness]) -> float:
    """An outline's estimated readiness: its domains' readiness weighted by the middle of their weight ranges."""
    weights = {d.id: sum(d.weight) / 2 for d in blueprint.domains}
    total = sum(weights[d.domain_id] for d in domains)
    return sum(d.readiness * weights[d.domain_id] for d in domains) / total if total else 0.0


def readiness(blueprint: Blueprint, questions: dict, answers: Iterable[dict]) -> list[DomainReadiness]:
    """Estimated readiness for every domain of an outline."""
    latest = latest_scores(answers)
    out = []
    for domain in blueprint.domains:
        ids = [qid for qid, q in questions.items() if question_domain(q, blueprint) == domain.id]
        scores = [latest[qid] for qid in ids if qid in latest]
        value = sum(scores) / (len(scores) + PRIOR_MISSES)
        out.append(DomainReadiness(domain.id, domain.title, len(scores), len(ids), value))
    return out


def weakest(domains: list[DomainReadiness]) -> DomainReadiness | None:
    """The domain to work on next: lowest readiness, ties broken by fewest answers."""
    return min(domains, key=lambda d: (d.readiness, d.answered)) if domains else None


def select_practice(questions: dict, blueprint: Blueprint, *, domains: set[str] | None = None,
                    skills: set[str] | None = None, types: set[str] | None = None,
                    difficulties: set[str] | None = None, among: set[str] | None = None) -> list[str]:
    """Question ids of this outline matching the practice filters (an empty or None filter means "any").

    A question none of whose skills is in the outline (a retired SDK v1 item under the current outline) is left out.
    `among`, when given (even empty), keeps only those ids: the learner's misses or bookmarks.
    """
    picked = []
    for qid, q in questions.items():
        if among is not None and qid not in among:
            continue
        domain = question_domain(q, blueprint)
        if domain is None or (domains and domain not in domains):
            continue
        if skills and not skills & set(q.skills):
            continue
        if types and q.type not in types:
            continue
        if difficulties and q.difficulty not in difficulties:
            continue
        picked.append(qid)
    return picked
