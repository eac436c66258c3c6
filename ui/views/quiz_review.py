"""Review mode: spaced repetition (FSRS) of missed and due questions."""

from __future__ import annotations

import streamlit as st

from quizzes.review import rating_for, review, review_queue
from quizzes.scoring import score
from ui.data import Catalog
from ui.i18n import language, t
from ui.session import record
from ui.views.quiz_common import report_problem, seconds_since, started_at
from ui.widgets.bookmark import bookmark_button
from ui.widgets.question import answer_input, feedback

# Typical seconds per item; case studies and code completion take longer to read.
EXPECTED_SECONDS = {"case_study": 240, "dropdown": 90, "yesno": 90, "match": 90, "ordering": 90}


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
    outcome = review(rec, qid, rating)
    rec.record_answer(qid, answer, s.correct, score=s.share, seconds=secs, mode="review")
    st.session_state["review_result"] = (answer, s, outcome)


def render(cat: Catalog) -> None:
    """The review mode view."""
    result = st.session_state.get("review_result")
    if result is None:
        queue = _queue(cat)
        if not queue:
            st.success(t("review.nothing_due"))
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
        return
    answer, s, outcome = result
    feedback(q, answer, s, note_titles=cat.note_titles(language()))
    st.info(t("review.next_due", rating=t(f"rating.{outcome.rating}"), due=f"{outcome.due:%Y-%m-%d %H:%M} UTC"))
    st.button(t("q.next"), key="review_next", on_click=_next)
    bookmark_button(qid, f"{key}-bookmark")
    report_problem(qid, key)
