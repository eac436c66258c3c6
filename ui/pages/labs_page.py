"""Labs page (placeholder until its issue lands)."""

import streamlit as st

st.title("Labs")
st.info("Coming soon: Guided hands-on labs in the simulated Azure ML workspace, checked step by step.")
