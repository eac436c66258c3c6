"""The notice that the learner's record was found damaged and started afresh (progress.repair), until dismissed."""

from __future__ import annotations

import streamlit as st

from progress import repair
from progress.record import Record
from ui.i18n import t


def damaged_record_notice(rec: Record, key: str) -> None:
    """Show where the damaged record went and how to get its readable rows back; a button dismisses it."""
    found = repair.notice(rec)
    if found is None:
        return
    text = t("progress.damaged", reason=found.reason, moved_to=found.moved_to, export_to=found.export_to,
             n=found.rows_saved)
    if found.incomplete_tables:
        text += " " + t("progress.damaged_incomplete", tables=", ".join(found.incomplete_tables))
    st.warning(text, icon=":material/warning:")
    if st.button(t("progress.damaged_dismiss"), key=key):
        repair.dismiss(rec)
        st.rerun()
