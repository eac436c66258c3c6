"""Quiz page (placeholder until its issue lands)."""

import streamlit as st

st.title("Quiz")
st.info("Coming soon: Practice, exam and review modes over the question bank.")
