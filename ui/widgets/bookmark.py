"""A bookmark on a question, kept in the learner's record; Practice can then serve the bookmarked questions."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t
from ui.session import record


def bookmark_button(question_id: str, key: str) -> None:
    """A small button that bookmarks the question, or removes its bookmark when it has one."""
    marked = question_id in record().bookmarks()
    st.button(t("q.bookmarked") if marked else t("q.bookmark"), key=key, type="tertiary",
              icon=":material/bookmark_added:" if marked else ":material/bookmark_add:",
              on_click=record().set_bookmark, args=(question_id, not marked))
