"""Review mode: answers become FSRS ratings, cards are stored, due questions come back in order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fsrs import Rating

from progress import Record
from quizzes.review import due_questions, missed_without_card, rating_for, review

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_ratings_follow_correctness_speed_and_confidence():
    assert rating_for(False, 10, 60) == Rating.Again
    assert rating_for(True, 100, 60) == Rating.Hard
    assert rating_for(True, 40, 60, sure=False) == Rating.Hard
    assert rating_for(True, 40, 60) == Rating.Good
    assert rating_for(True, 10, 60) == Rating.Easy


def test_a_wrong_answer_comes_back_sooner_than_an_easy_one():
    rec = Record()
    again = review(rec, "q-wrong", Rating.Again, T0)
    easy = review(rec, "q-easy", Rating.Easy, T0)
    assert again.due < easy.due
    assert rec.card("q-wrong")["stability"] < rec.card("q-easy")["stability"]


def test_repeated_good_reviews_push_the_card_further_out():
    rec = Record()
    first = review(rec, "q", Rating.Good, T0)
    second = review(rec, "q", Rating.Good, first.due)
    third = review(rec, "q", Rating.Good, second.due)
    assert (second.due - first.due) < (third.due - second.due)


def test_due_questions_skip_ids_no_longer_in_the_bank():
    rec = Record()
    review(rec, "kept", Rating.Again, T0)
    review(rec, "removed", Rating.Again, T0)
    later = T0 + timedelta(days=1)
    assert due_questions(rec, {"kept"}, later) == ["kept"]


def test_missed_questions_without_a_card_join_the_queue():
    rec = Record()
    rec.record_answer("m1", "A", False)
    rec.record_answer("ok", "B", True)
    rec.record_answer("m2", "C", False)
    review(rec, "m2", Rating.Again, T0)
    assert missed_without_card(rec, {"m1", "m2", "ok"}) == ["m1"]
