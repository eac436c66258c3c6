"""Per-session helpers shared by pages: the learner's record and friendly set-up errors."""

from __future__ import annotations

import streamlit as st

from dp100.errors import SetupError
from progress import Record


def record() -> Record:
    """The learner's record, or stop the page with a one-sentence explanation when it cannot open."""
    try:
        return Record()
    except SetupError as exc:
        st.error(str(exc))
        st.stop()
