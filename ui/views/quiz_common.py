"""Pieces every quiz mode shares: timing an answer, reporting a problem, picking an outline."""

from __future__ import annotations

import time

import streamlit as st

from ui.data import Catalog
from ui.i18n import outline_title, t
from ui.session import record
from ui.widgets.exam_status import exam_status_box, status_label


def started_at(key: str) -> float:
    """When the question under `key` was first shown (kept across reruns)."""
    return st.session_state.setdefault(f"{key}-shown", time.time())


def seconds_since(key: str) -> float:
    return round(time.time() - started_at(key), 1)


def report_problem(question_id: str, key: str) -> None:
    """A small form that records a problem report with the question id."""
    with st.expander(t("q.report")):
        text = st.text_area(t("q.report_what"), key=f"{key}-report-text")
        st.button(t("q.report_send"), key=f"{key}-report", disabled=not text.strip(),
                  on_click=_send_report, args=(question_id, f"{key}-report-text"))


def _send_report(question_id: str, text_key: str) -> None:
    # A callback, so the box can be emptied before it is drawn again: a second click cannot file it twice.
    record().report_problem(question_id, st.session_state[text_key])
    st.session_state[text_key] = ""
    st.toast(t("q.report_thanks", qid=question_id))


def choose_blueprint(cat: Catalog, key: str):
    """A select box of the loaded outlines (current first, then newest), with the chosen exam's status under it."""
    bps = cat.blueprints.ordered()
    if not bps:
        st.error(t("data.no_blueprints"))
        st.stop()
    by_id = {b.id: b for b in bps}
    # Labels made now, in this run's language (a format_func may also be called later, outside the run).
    labels = {i: f"{outline_title(b)} ({status_label(cat.blueprints, b)})" for i, b in by_id.items()}
    chosen = st.selectbox(t("quiz.outline"), list(by_id), key=key, format_func=labels.get)
    exam_status_box(cat.blueprints, by_id[chosen], key=f"{key}_status")
    return by_id[chosen]
