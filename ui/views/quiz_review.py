"""Review mode: spaced repetition (FSRS) of missed and due questions, rated Again/Hard/Good/Easy."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st
from fsrs import Rating

from quizzes.review import (
    FORECAST_DAYS,
    forecast,
    next_due_by_rating,
    rate_again,
    rating_for,
    review,
    review_queue,
)
from quizzes.scoring import score
from ui.data import Catalog
from ui.i18n import language, t
from ui.session import record
from ui.views.quiz_common import report_problem, seconds_since, started_at
from ui.widgets.bookmark import bookmark_button
from ui.widgets.question import answer_input, feedback

# Typical seconds per item; case studies and code completion take longer to read.
EXPECTED_SECONDS = {"case_study": 240, "dropdown": 90, "yesno": 90, "match": 90, "ordering": 90}
RATINGS = ("Again", "Hard", "Good", "Easy")


def _queue(cat: Catalog) -> list[str]:
    return review_queue(record(), set(cat.bank.questions))


def _next() -> None:
    st.session_state["review_result"] = None
    st.session_state.pop("review_current", None)
    st.session_state["review_round"] = st.session_state.get("review_round", 0) + 1


def _check(cat: Catalog, qid: str, key: str) -> None:
    # A callback: the page then draws the feedback in the same run as the click.
    q = cat.bank.questions[qid]
    answer = st.session_state.get(f"{key}-answer")
    s = score(q, answer)
    secs = seconds_since(key)
    sure = not st.session_state.get(f"{key}-unsure", False)
    rating = rating_for(s.correct, secs, EXPECTED_SECONDS.get(q.type, 60), sure=sure)
    rec = record()
    # The automatic rating is applied at once (leaving now loses nothing); the buttons may replace it.
    outcome = review(rec, qid, rating)
    rec.record_answer(qid, answer, s.correct, score=s.share, seconds=secs, mode="review")
    st.session_state["review_result"] = (answer, s, outcome, rating.name)


def _rerate(key: str) -> None:
    """The learner chose another rating: the card is rated again from its state before this review."""
    answer, s, outcome, automatic = st.session_state["review_result"]
    chosen = st.session_state[key]
    if chosen != outcome.rating:
        st.session_state["review_result"] = (answer, s, rate_again(record(), outcome, Rating[chosen]), automatic)


def _interval(delta: timedelta) -> str:
    """How long until the question comes back, in the unit a learner reads at a glance."""
    minutes = delta.total_seconds() / 60
    if minutes < 60:
        return t("review.in_minutes", n=max(1, round(minutes)))
    if minutes < 24 * 60:
        return t("review.in_hours", n=round(minutes / 60))
    return t("review.in_days", n=round(minutes / (24 * 60)))


def _rating_buttons(outcome, automatic: str, key: str) -> None:
    """Again/Hard/Good/Easy with each one's next interval; the rating the answer earned is chosen already."""
    dues = next_due_by_rating(outcome.prior_card, outcome.reviewed_at)
    labels = {r: f"{t(f'rating.{r}')} · {_interval(dues[r] - outcome.reviewed_at)}" for r in RATINGS}
    st.segmented_control(t("review.rate"), RATINGS, format_func=labels.get, default=automatic, required=True,
                         key=f"{key}-rating", on_change=_rerate, args=(f"{key}-rating",),
                         help=t("review.rate_help"))


def _forecast(cat: Catalog, expanded: bool) -> None:
    """Reviews due now (Home's count) and those falling due on each of the next days."""
    f = forecast(record(), set(cat.bank.questions), days=FORECAST_DAYS)
    with st.expander(t("review.forecast_title", days=FORECAST_DAYS, n=f.coming), expanded=expanded,
                     icon=":material/calendar_month:"):
        st.caption(t("review.forecast_now", n=f.due_now))
        counts = pd.DataFrame({t("review.forecast_reviews"): [n for _, n in f.days]},
                              index=pd.Index([d.isoformat() for d, _ in f.days], name=t("review.forecast_day")))
        st.bar_chart(counts, x_label=t("review.forecast_day"), y_label=t("review.forecast_reviews"))


def render(cat: Catalog) -> None:
    """The review mode view."""
    result = st.session_state.get("review_result")
    if result is None:
        queue = _queue(cat)
        if not queue:
            st.success(t("review.nothing_due"))
            _forecast(cat, expanded=True)
            return
        # Keep the question on screen until it is answered: a card falling due meanwhile waits its turn
        # instead of replacing the question under the learner's pointer.
        if st.session_state.get("review_current") not in queue:
            st.session_state["review_current"] = queue[0]
        st.caption(t("review.due_count", n=len(queue)))
    qid = st.session_state["review_current"]
    q = cat.bank.get(qid, language())
    key = f"review-{qid}-{st.session_state.get('review_round', 0)}"
    started_at(key)
    answer = answer_input(q, key, disabled=result is not None,
                          english_only=not cat.bank.has_translation(qid, language()))
    st.session_state[f"{key}-answer"] = answer
    if result is None:
        st.checkbox(t("review.unsure"), key=f"{key}-unsure")
        st.button(t("q.check"), key="review_check", type="primary", disabled=answer is None,
                  on_click=_check, args=(cat, qid, key))
        bookmark_button(qid, f"{key}-bookmark")
        report_problem(qid, key)  # a flawed question can be reported before answering it, as in practice
        _forecast(cat, expanded=False)
        return
    answer, s, outcome, automatic = result
    feedback(q, answer, s, key=key, note_titles=cat.note_titles(language()))
    _rating_buttons(outcome, automatic, key)
    st.info(t("review.next_due", rating=t(f"rating.{outcome.rating}"), due=f"{outcome.due:%Y-%m-%d %H:%M} UTC"))
    st.button(t("q.next"), key="review_next", on_click=_next)
    bookmark_button(qid, f"{key}-bookmark")
    report_problem(qid, key)
