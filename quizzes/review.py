"""Review mode: spaced repetition of questions with FSRS (the `fsrs` package).

An answer becomes an FSRS rating: wrong -> Again; right but slow or unsure -> Hard; right -> Good;
right, fast and sure -> Easy. That rating is applied at once, and the learner may replace it with their own
(Anki's Again/Hard/Good/Easy): the card is then rated again from its state before the review.
Cards live in the learner's record, so a review survives restarts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from fsrs import Card, Rating, Scheduler

from progress import Record

# An answer faster than this share of the question's expected time counts as "fast".
FAST_SHARE = 0.5
SLOW_SHARE = 1.5
# How many days ahead the forecast of reviews looks (Review's chart, Home's "more in the next days").
FORECAST_DAYS = 7


@dataclass(frozen=True)
class ReviewOutcome:
    """What a review did to a card: the rating given and when the question comes back.

    `prior_card` (the card before this review, None for a new one) and `reviewed_at` let the rating be replaced.
    """

    question_id: str
    rating: str
    due: datetime
    prior_card: dict | None = field(default=None, compare=False)
    reviewed_at: datetime | None = None


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
    return _apply(record, question_id, record.card(question_id), rating, when or datetime.now(UTC), scheduler)


def rate_again(record: Record, outcome: ReviewOutcome, rating: Rating,
               scheduler: Scheduler | None = None) -> ReviewOutcome:
    """Replace the rating of the review that gave `outcome`: the card is rated from its state before that review,
    at the same moment, so choosing Hard after the automatic Good is one review, not two."""
    return _apply(record, outcome.question_id, outcome.prior_card, rating, outcome.reviewed_at, scheduler)


def next_due_by_rating(prior_card: dict | None, when: datetime,
                       scheduler: Scheduler | None = None) -> dict[str, datetime]:
    """When the question would come back under each rating (for the rating buttons), by rating name."""
    sched = scheduler or _scheduler()
    card = Card.from_dict(prior_card) if prior_card else Card()
    return {r.name: sched.review_card(card, r, review_datetime=when)[0].due for r in Rating}


def _apply(record: Record, question_id: str, prior: dict | None, rating: Rating, moment: datetime,
           scheduler: Scheduler | None) -> ReviewOutcome:
    card = Card.from_dict(prior) if prior else Card()
    card, _log = (scheduler or _scheduler()).review_card(card, rating, review_datetime=moment)
    record.save_card(question_id, card.to_dict(), card.due)
    return ReviewOutcome(question_id, rating.name, card.due, prior_card=prior, reviewed_at=moment)


def _scheduler() -> Scheduler:
    # No fuzzing: the same answers give the same schedule, which learners (and tests) can reason about.
    return Scheduler(enable_fuzzing=False)


def due_questions(record: Record, known_ids: set[str], when: datetime | None = None) -> list[str]:
    """Due questions that still exist in the bank, most overdue first."""
    return [qid for qid in record.due_cards(when) if qid in known_ids]


def missed_without_card(record: Record, known_ids: set[str]) -> list[str]:
    """Questions answered wrong at least once that have no review card yet (they join the queue)."""
    carded = set(record.card_dues())
    return sorted((record.missed_ids() & known_ids) - carded)


def review_queue(record: Record, known_ids: set[str], when: datetime | None = None) -> list[str]:
    """What Review shows, in order: due cards (most overdue first), then missed questions with no card yet.

    Home counts this same list, so its "reviews due" always agrees with the Review mode.
    """
    return due_questions(record, known_ids, when) + missed_without_card(record, known_ids)


@dataclass(frozen=True)
class ReviewForecast:
    """How many reviews wait now and how many fall due on each coming day.

    Attributes:
        due_now: the length of `review_queue` now (what Review shows and Home counts).
        days: (UTC date, reviews falling due that day after now), for today and the days after it.
    """

    due_now: int
    days: list[tuple[date, int]]

    @property
    def coming(self) -> int:
        """Reviews that fall due over the forecast's days (not counting those due now)."""
        return sum(n for _, n in self.days)


def forecast(record: Record, known_ids: set[str], days: int = FORECAST_DAYS,
             when: datetime | None = None) -> ReviewForecast:
    """Reviews due now, then those falling due on each of `days` calendar days (UTC) from today on."""
    now = when or datetime.now(UTC)
    dates = [now.date() + timedelta(days=i) for i in range(days)]
    counts = dict.fromkeys(dates, 0)
    for qid, due in record.card_dues().items():
        if qid in known_ids and due > now and due.date() in counts:
            counts[due.date()] += 1
    return ReviewForecast(len(review_queue(record, known_ids, now)), [(d, counts[d]) for d in dates])
