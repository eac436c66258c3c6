"""The Progress page's parts: quiz history charts and notes read per note."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from ui.data import Catalog
from ui.i18n import t


def history_frame(answers: list[dict]) -> pd.DataFrame:
    """Answers per day and mode, with the day's average score (0..1), in the learner's words."""
    frame = pd.DataFrame(answers)
    # Days as labels (YYYY-MM-DD): a time axis stretches a single day's bar across the chart.
    frame["day"] = pd.to_datetime(frame["answered_at"], utc=True).dt.strftime("%Y-%m-%d")
    frame["mode"] = frame["mode"].map(lambda m: t(f"quiz.mode_{m}"))
    return frame


def history_charts(answers: list[dict]) -> None:
    """Answers per day (stacked by quiz mode) and the average score per day, with points so one day shows."""
    frame = history_frame(answers)
    day = alt.X("day:O", title=t("progress.day"), axis=alt.Axis(labelAngle=0))
    counts = frame.groupby(["day", "mode"], as_index=False).agg(n=("id", "count"))
    st.altair_chart(alt.Chart(counts).mark_bar().encode(
        day, alt.Y("n:Q", title=t("progress.answers_axis")), alt.Color("mode:N", title=t("quiz.mode")),
        tooltip=["day:O", "mode:N", "n:Q"]).properties(height=200), width="stretch")
    daily = frame.groupby("day", as_index=False).agg(score=("score", "mean"))
    score = alt.Y("score:Q", title=t("progress.score_axis"), axis=alt.Axis(format="%"),
                  scale=alt.Scale(domain=[0, 1]))
    tip = alt.Tooltip("score:Q", title=t("progress.score_axis"), format=".0%")
    st.altair_chart(alt.Chart(daily).mark_line(point=True).encode(day, score, tooltip=["day:O", tip])
                    .properties(height=200), width="stretch")
    st.caption(t("progress.totals", n=len(frame), share=f"{frame['score'].mean():.0%}"))


def notes_read(cat: Catalog, read: set[tuple[str, str]], lang: str) -> None:
    """Sections read out of each note's sections (a note marked read as a whole counts all of them)."""
    total_read = total = 0
    for note in cat.notes.ordered(lang):
        anchors = [s.anchor for s in note.sections if s.anchor]
        done = len(anchors) if (note.id, "") in read else sum((note.id, a) in read for a in anchors)
        total_read, total = total_read + done, total + len(anchors)
        if anchors:
            st.progress(done / len(anchors), text=f"{note.title}: {done}/{len(anchors)}")
    st.caption(t("progress.notes_read", n=total_read, total=total))
