"""The exam history: every finished exam with its date, outline, scaled score and verdict, and the trend.

Shown on the exam set-up screen (before the next attempt, where a learner asks "am I getting there?") and on
the Progress page.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from quizzes.history import RECENT, summarize
from quizzes.scoring import PASS_MARK
from ui.data import Catalog
from ui.i18n import t
from ui.session import record


def exam_history(cat: Catalog, key: str) -> None:
    """The learner's finished exams, newest first, under a summary and a chart of the scaled scores."""
    attempts = record().exam_attempts()
    summary = summarize(attempts)
    with st.container(key=key):
        st.subheader(t("history.title"))
        if summary is None:
            st.caption(t("history.none"))
            return
        change = t("history.change", delta=f"{summary.change:+d}") if summary.change is not None else ""
        st.markdown(t("history.summary", n=summary.exams, passed=summary.passed, best=summary.best,
                      last=summary.last, change=change, k=min(RECENT, summary.exams),
                      average=summary.recent_average))
        if len(attempts) > 1:  # one point is no trend
            st.line_chart(_trend(attempts), x_label="#", y_label=t("history.col_score"))
        st.dataframe(_table(cat, attempts), hide_index=True)


def _trend(attempts: list[dict]) -> pd.DataFrame:
    """Scaled scores in the order the exams were taken, beside the pass line."""
    numbers = range(1, len(attempts) + 1)
    return pd.DataFrame({t("history.col_score"): [a["scaled"] for a in attempts],
                         t("history.pass_line", mark=PASS_MARK): [PASS_MARK] * len(attempts)},
                        index=pd.Index(numbers, name="#"))


def _table(cat: Catalog, attempts: list[dict]) -> pd.DataFrame:
    rows = [{t("history.col_date"): a["finished_at"].strftime("%Y-%m-%d %H:%M UTC"),
             t("history.col_outline"): _outline_name(cat, a["blueprint_id"]),
             t("history.col_questions"): a["questions"],
             t("history.col_minutes"): a["minutes"],
             t("history.col_score"): a["scaled"],
             t("history.col_result"): t("history.pass") if a["passed"] else t("history.fail")}
            for a in reversed(attempts)]
    return pd.DataFrame(rows)


def _outline_name(cat: Catalog, blueprint_id: str) -> str:
    """A short name for an outline ("DP-100 2025"); the id of an outline no longer loaded."""
    bp = cat.blueprints.blueprints.get(blueprint_id)
    return f"{bp.exam} {bp.key}" if bp else blueprint_id
