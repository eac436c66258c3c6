"""The learner's exam history: each finished exam stored once, and the trend of the scaled scores.

A practice exam is only worth its trend: one 640 says little, 540 → 610 → 700 says the learner is getting there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from progress import Record
from quizzes.exam import ExamSession
from quizzes.scoring import ExamReport

# How many of the latest exams the "recent average" covers.
RECENT = 3


@dataclass(frozen=True)
class HistorySummary:
    """What the history says at a glance.

    Attributes:
        exams: how many exams were finished.
        passed: how many of them reached the pass mark.
        best: the highest scaled score.
        last: the latest scaled score.
        change: the latest score minus the one before it (None after a single exam).
        recent_average: the mean of the latest `RECENT` scores.
    """

    exams: int
    passed: int
    best: int
    last: int
    change: int | None
    recent_average: int


def save_attempt(record: Record, exam: ExamSession, report: ExamReport) -> None:
    """Store a finished exam in the learner's record (its outline, size, score, verdict and domain shares)."""
    if not exam.finished:
        raise ValueError("Only a finished exam goes into the history; finish it first.")
    record.record_exam(
        exam.form.blueprint_id, started_at=_utc(exam.started), finished_at=_utc(exam.finished_at),
        questions=len(exam.form.items), minutes=exam.form.minutes, scaled=report.scaled, passed=report.passed,
        domains={d.domain_id: round(d.share, 4) for d in report.domains})


def summarize(attempts: list[dict]) -> HistorySummary | None:
    """The summary of the record's exam attempts (oldest first); None before the first exam."""
    if not attempts:
        return None
    scores = [a["scaled"] for a in attempts]
    recent = scores[-RECENT:]
    return HistorySummary(
        exams=len(scores), passed=sum(bool(a["passed"]) for a in attempts), best=max(scores), last=scores[-1],
        change=scores[-1] - scores[-2] if len(scores) > 1 else None,
        recent_average=round(sum(recent) / len(recent)))


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
