"""Review mode: spaced repetition of questions with FSRS (the `fsrs` package).

An answer becomes an FSRS rating: wrong -> Again; right but slow or unsure -> Hard; right -> Good;
right, fast and sure -> Easy. Cards live in the learner's record, so a review survives restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler

from progress import Record

# An answer faster than this share of the question's expected time counts as "fast".
FAST_SHARE = 0.5
SLOW_SHARE = 1.5


@dataclass(frozen=True)
class ReviewOutcome:
    """What a review did to a card: the rating given and when the question comes back."""

    question_id: str
    rating: str
    due: datetime


def rating_for(correct: bool, seconds: float, expected_seconds: float, sure: bool = True) -> Rating:
    """Turn one answer into an FSRS rating.

    Args:
        correct: whether the answer was fully right.
        seconds: time taken to answer.
        expected_seconds: a typical time for this question (longer for case studies).
        sure: the learner's own confidence (the "I guessed" box unticked).
    """
    if not correct:
        return Rating.Again
    if not sure or seconds > SLOW_SHARE * expected_seconds:
        return Rating.Hard
    if seconds < FAST_SHARE * expected_seconds:
        return Rating.Easy
    return Rating.Good


def review(record: Record, question_id: str, rating: Rating, when: datetime | None = None,
           scheduler: Scheduler | None = None) -> ReviewOutcome:
    """Apply one rating to a question's card and store the new card."""
    moment = when or datetime.now(UTC)
    stored = record.card(question_id)
    card = Card.from_dict(stored) if stored else Card()
    # No fuzzing: the same answers give the same schedule, which learners (and tests) can reason about.
    sched = scheduler or Scheduler(enable_fuzzing=False)
    card, _log = sched.review_card(card, rating, review_datetime=moment)
    record.save_card(question_id, card.to_dict(), card.due)
    return ReviewOutcome(question_id, rating.name, card.due)


def due_questions(record: Record, known_ids: set[str], when: datetime | None = None) -> list[str]:
    """Due questions that still exist in the bank, most overdue first."""
    return [qid for qid in record.due_cards(when) if qid in known_ids]


def missed_without_card(record: Record, known_ids: set[str]) -> list[str]:
    """Questions answered wrong at least once that have no review card yet (they join the queue)."""
    missed = {a["question_id"] for a in record.answers() if not a["correct"]}
    return sorted(qid for qid in missed & known_ids if record.card(qid) is None)


def review_queue(record: Record, known_ids: set[str], when: datetime | None = None) -> list[str]:
    """What Review shows, in order: due cards (most overdue first), then missed questions with no card yet.

    Home counts this same list, so its "reviews due" always agrees with the Review mode.
    """
    return due_questions(record, known_ids, when) + missed_without_card(record, known_ids)
