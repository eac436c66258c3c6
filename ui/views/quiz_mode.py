"""Which quiz mode the Quiz page shows: the one on screen survives a reload, and a running exam comes first."""

from __future__ import annotations

import streamlit as st

from ui.views import quiz_exam

MODES = ("practice", "exam", "review")
LAST = "quiz_last_mode"  # the mode on screen when the learner last left the page, in this session


def first_mode() -> str:
    """The mode a page drawn afresh opens on: the address's, else a running exam's, else the one left in this
    session (a note link followed from the feedback, then the menu), else practice.

    A reload starts a new session, which knows only the address and the learner's record: without this an
    exam under way hid behind Practice while its clock ran on.
    """
    asked = st.query_params.get("mode")
    if asked in MODES:
        return asked
    if quiz_exam.in_progress():
        return "exam"
    return st.session_state.get(LAST, "practice")


def remember_mode(key: str) -> None:
    """Write the chosen mode into the address (a callback), so a reload opens the mode that was on screen."""
    st.query_params["mode"] = st.session_state[key]


def keep_last_mode(mode: str) -> None:
    """Remember the mode on screen in a plain session value (a widget's own value is dropped with its page)."""
    st.session_state[LAST] = mode
