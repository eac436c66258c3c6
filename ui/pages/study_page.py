"""Study page (placeholder until its issue lands)."""

import streamlit as st

st.title("Study")
st.info("Coming soon: Read the notes of the DP-100 outline by domain and skill, in English or Portuguese.")
