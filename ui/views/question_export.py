"""Take the question bank away: an Anki deck, a Moodle GIFT file or JSON, in the learner's language."""

from __future__ import annotations

import streamlit as st

from quizzes.export import DEFAULT_NAMES, FORMATS, export_bytes, fits
from ui.i18n import language, t

MIME = {"anki": "application/octet-stream", "gift": "text/plain", "json": "application/json"}


def question_export(bank) -> None:
    """A format picker and a download button; the file is built only when the learner clicks."""
    # Labels as the options themselves: a format_func would be re-run by AppTest outside the session's language.
    labels = {t(f"progress.deck_{f}"): f for f in FORMATS}
    fmt = labels[st.selectbox(t("progress.deck_format"), list(labels), key="progress_deck_format")]
    lang = language()
    kept = sum(fits(fmt, q.type) for q in bank.questions.values())
    st.caption(t("progress.deck_count", n=kept, total=len(bank.questions)))  # the rest cannot be expressed
    st.download_button(t("progress.deck_download"), lambda: export_bytes(bank, fmt, lang)[0],
                       file_name=DEFAULT_NAMES[fmt], mime=MIME[fmt], key="progress_deck_download",
                       icon=":material/download:", on_click="ignore")
