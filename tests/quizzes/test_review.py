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


def test_replacing_the_automatic_rating_is_one_review_from_the_card_before_it(tmp_path):
    from quizzes.review import rate_again

    rec, alone = Record(), Record(f"sqlite:///{tmp_path / 'other.db'}")  # the same reviews, one rating each
    first = review(rec, "q", Rating.Good, T0)
    review(alone, "q", Rating.Good, T0)
    later = first.due
    automatic = review(rec, "q", Rating.Good, later)  # the rating the answer gave
    chosen = rate_again(rec, automatic, Rating.Hard)  # the learner picks Hard instead
    direct = review(alone, "q", Rating.Hard, later)  # what a single Hard review gives
    assert (chosen.rating, chosen.due) == ("Hard", direct.due)
    def state(card):  # a card's id is drawn when it is made: the two records' cards differ only there
        return {k: v for k, v in card.items() if k != "card_id"}

    assert state(rec.card("q")) == state(alone.card("q"))
    assert rate_again(rec, chosen, Rating.Good).due == automatic.due  # and back again: still one review


def test_each_rating_shows_when_the_question_would_come_back():
    from quizzes.review import next_due_by_rating

    dues = next_due_by_rating(None, T0)
    assert dues["Again"] < dues["Hard"] <= dues["Good"] < dues["Easy"]
    assert all(d > T0 for d in dues.values())


def test_the_forecast_counts_what_is_due_now_and_on_each_coming_day():
    from quizzes.review import forecast, review_queue

    rec = Record()
    rec.record_answer("missed", "A", False)  # no card yet: due now, like a due card
    now = T0
    for qid, delta in (("overdue", -timedelta(hours=2)), ("tonight", timedelta(hours=5)),
                       ("tomorrow", timedelta(days=1)), ("in-6-days", timedelta(days=6)),
                       ("in-9-days", timedelta(days=9)), ("gone", timedelta(days=1))):
        rec.save_card(qid, {}, now + delta)
    known = {"missed", "overdue", "tonight", "tomorrow", "in-6-days", "in-9-days"}
    f = forecast(rec, known, when=now)
    assert f.due_now == len(review_queue(rec, known, now)) == 2
    assert [n for _, n in f.days] == [1, 1, 0, 0, 0, 0, 1] and f.coming == 3
    assert f.days[0][0] == now.date() and len(f.days) == 7
