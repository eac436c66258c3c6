"""Home: what the platform is and where to go next."""

import streamlit as st

from dp100 import paths
from ui.session import record

st.title("DP-100 Study & Lab")
st.write(
    "Prepare for Microsoft's DP-100 exam (Azure Data Scientist Associate) offline: read concise notes, "
    "drill practice questions and do hands-on labs in a simulated Azure Machine Learning workspace."
)
rec = record()
answered = rec.answers()
c1, c2, c3 = st.columns(3)
c1.metric("Questions answered", len(answered))
c2.metric("Notes read", len(rec.notes_read()))
c3.metric("Reviews due", len(rec.due_cards()))
st.caption(f"Your data lives in {paths.home()}.")
