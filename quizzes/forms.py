"""Exam forms: a set of questions drawn by the blueprint's domain weights, in the exam's sections.

As in the real exam, yes/no statement series and case studies sit in sections of their own at the end;
sections run in order and close once left, and inside those two a single item locks once left.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from quizzes.blueprint import Blueprint

DEFAULT_QUESTIONS = 50
# Time scales with the form: the real exam gives about 100 minutes for about 50 questions.
MINUTES_PER_QUESTION = 2
DEFAULT_MINUTES = DEFAULT_QUESTIONS * MINUTES_PER_QUESTION
# Sections in the order the exam presents them; only in the first can items be revisited (until it is left).
SECTIONS = ("main", "yesno", "case_study")
REVISITABLE = {"main"}


@dataclass(frozen=True)
class FormItem:
    """One question of a form, with the domain it counts towards and its section."""

    question_id: str
    domain_id: str
    section: str

    @property
    def revisitable(self) -> bool:
        """Whether the learner may come back to it after moving on."""
        return self.section in REVISITABLE


@dataclass(frozen=True)
class ExamForm:
    """An assembled exam: items in presentation order, its time limit, and any shortfall."""

    blueprint_id: str
    items: list[FormItem]
    minutes: int
    shortfall: dict[str, int] = field(default_factory=dict)  # domain id -> questions the bank lacked


def question_domain(question, blueprint: Blueprint) -> str | None:
    """The blueprint domain a question counts towards: that of its first skill in this outline."""
    skills = list(question.skills)
    for sub in getattr(question, "questions", []):  # case-study sub-questions may add skills
        skills += list(sub.skills)
    for skill in skills:
        domain = blueprint.domain_of(skill)
        if domain:
            return domain.id
    return None


def allocate(blueprint: Blueprint, total: int) -> dict[str, int]:
    """Share `total` questions between domains by the midpoints of their weight ranges.

    Largest-remainder rounding, so the shares always add up to `total`.
    """
    weights = {d.id: d.weight_mid for d in blueprint.domains}
    whole = sum(weights.values())
    exact = {d: total * w / whole for d, w in weights.items()}
    counts = {d: int(x) for d, x in exact.items()}
    leftovers = sorted(exact, key=lambda d: exact[d] - counts[d], reverse=True)
    for d in leftovers[: total - sum(counts.values())]:
        counts[d] += 1
    return counts


def exam_minutes(total: int, per_question: float | None = None) -> int:
    """The time limit of a form of `total` questions: `per_question` minutes each (default 2), at least 1."""
    return max(1, round(total * (per_question or MINUTES_PER_QUESTION)))


def questions_by_domain(questions: Iterable, blueprint: Blueprint) -> dict[str, list]:
    """The bank's questions that test this outline, grouped by the domain each counts towards."""
    by_domain: dict[str, list] = {d.id: [] for d in blueprint.domains}
    for q in questions:
        domain = question_domain(q, blueprint)
        if domain:
            by_domain[domain].append(q)
    return by_domain


def thin_domains(questions: Iterable, blueprint: Blueprint, total: int) -> dict[str, tuple[int, int]]:
    """Domains whose questions cannot fill their share of a `total`-question form: id -> (have, wanted).

    Lets a screen say before the exam starts that an outline's bank is still growing (a new outline such
    as AI-300 begins with few questions in some domains), instead of the learner finding out mid-exam.
    """
    have = {d: len(qs) for d, qs in questions_by_domain(questions, blueprint).items()}
    return {d: (have[d], n) for d, n in allocate(blueprint, total).items() if have[d] < n}


def _section(question) -> str:
    return question.type if question.type in ("yesno", "case_study") else "main"


def assemble(questions: Iterable, blueprint: Blueprint, total: int = DEFAULT_QUESTIONS,
             minutes: int = DEFAULT_MINUTES, seed: int | None = None) -> ExamForm:
    """Draw an exam form from the bank.

    Args:
        questions: the bank's questions (any that do not test this outline are ignored).
        blueprint: the outline whose weights shape the form.
        total: number of questions wanted.
        minutes: the time limit.
        seed: makes the draw repeatable.

    Raises:
        ValueError: `total` or `minutes` is not positive, or no question tests this outline.
    """
    if total < 1 or minutes < 1:
        raise ValueError("An exam needs at least 1 question and 1 minute; choose larger values.")
    rng = random.Random(seed)
    by_domain = questions_by_domain(questions, blueprint)
    if not any(by_domain.values()):
        raise ValueError(f"No question in the bank tests the {blueprint.title} outline.")
    picked, shortfall = _draw(by_domain, allocate(blueprint, total), rng)
    items = [FormItem(q.id, d, _section(q)) for d, q in picked]
    rng.shuffle(items)
    items.sort(key=lambda it: SECTIONS.index(it.section))  # stable: shuffled within each section
    return ExamForm(blueprint.id, items, minutes, shortfall)


def _draw(by_domain: dict[str, list], wanted: dict[str, int], rng: random.Random):
    picked, shortfall, spare = [], {}, []
    for domain, pool in by_domain.items():
        pool = pool[:]
        rng.shuffle(pool)
        take = wanted.get(domain, 0)
        picked += [(domain, q) for q in pool[:take]]
        spare += [(domain, q) for q in pool[take:]]
        if len(pool) < take:
            shortfall[domain] = take - len(pool)
    # A domain with too few questions is topped up from the others so the form keeps its length.
    missing = sum(shortfall.values())
    rng.shuffle(spare)
    picked += spare[:missing]
    return picked, shortfall
