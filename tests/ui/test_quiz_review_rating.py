"""Review: Again/Hard/Good/Easy with the automatic rating chosen, and the forecast Home agrees with."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from progress import Record
from quizzes.review import next_due_by_rating
from tests.ui.test_home_page import home
from tests.ui.test_quiz_page import quiz

KEY = "review-ui-single-1-0-rating"


def _answer(at, choice: str):
    at.radio[0].set_value(choice).run()
    at.button(key="review_check").click().run()
    assert not at.exception
    return at


def test_a_right_answer_comes_rated_and_the_learner_can_rate_it_otherwise(page_test, sample_bank):
    Record().record_answer("ui-single-1", "B", False)
    at = _answer(quiz(page_test, "review"), "A")  # right, at once and sure: Easy
    control = at.button_group(key=KEY)
    assert control.value == "Easy"
    assert [o.split(" · ")[0] for o in control.options] == ["Again", "Hard", "Good", "Easy"]
    assert control.options[0].endswith(" min") and control.options[3].endswith(" d")  # each one's next interval
    easy_due = datetime.fromisoformat(Record().card("ui-single-1")["due"])
    control.set_value("Hard").run()
    outcome = at.session_state["review_result"][2]
    assert outcome.rating == "Hard" and "Rated Hard" in at.info[0].value
    expected = next_due_by_rating(None, outcome.reviewed_at)
    card_due = datetime.fromisoformat(Record().card("ui-single-1")["due"])
    assert card_due == expected["Hard"] < easy_due  # one review, rated Hard: not a second review on top
    assert at.button_group(key=KEY).value == "Hard"


def test_a_wrong_answer_comes_rated_again(page_test, sample_bank):
    Record().record_answer("ui-single-1", "B", False)
    at = _answer(quiz(page_test, "review"), "B")
    assert at.button_group(key=KEY).value == "Again"
    assert "Rated Again" in at.info[0].value


def test_the_forecast_and_home_count_the_same_reviews(page_test, sample_bank):
    rec = Record()
    rec.record_answer("ui-single-1", "B", False)  # waiting now (no card yet)
    rec.save_card("ui-yesno-1", {}, datetime.now(UTC) + timedelta(days=2))  # falls due later this week
    at = quiz(page_test, "review")
    forecast = next(e for e in at.expander if e.label.startswith("Reviews in the next 7 days"))
    assert forecast.label.endswith(": 1")
    assert "Due now: 1" in forecast.caption[0].value
    assert at.get("vega_lite_chart")
    start = home()
    assert start.metric[0].value == "1"  # the same queue
    assert any("1 more in the next 7 days" in c.value for c in start.caption)
