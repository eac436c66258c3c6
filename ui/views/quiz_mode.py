"""Which quiz mode the Quiz page shows: the one on screen survives a reload, and a running exam comes first."""

from __future__ import annotations

import streamlit as st

from ui.views import quiz_exam

MODES = ("practice", "exam", "review")


def first_mode() -> str:
    """The mode a page drawn afresh opens on: the address's, else a running exam's, else practice.

    A reload starts a new session, which knows only the address and the learner's record: without this an
    exam under way hid behind Practice while its clock ran on.
    """
    asked = st.query_params.get("mode")
    if asked in MODES:
        return asked
    return "exam" if quiz_exam.in_progress() else "practice"


def remember_mode(key: str) -> None:
    """Write the chosen mode into the address (a callback), so a reload opens the mode that was on screen."""
    st.query_params["mode"] = st.session_state[key]
