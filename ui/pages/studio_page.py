"""Studio page (placeholder until its issue lands)."""

import streamlit as st

st.title("Studio")
st.info("Coming soon: A simulated Azure ML studio over your workspaces: compute, data, runs, models, endpoints.")
