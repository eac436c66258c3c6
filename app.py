"""DP-100 study and lab platform. This file only routes: every page lives in ui/pages/."""

import streamlit as st

from ui.navigation import pages

st.set_page_config(page_title="DP-100 Study & Lab", page_icon=":material/school:", layout="wide")
st.navigation(pages()).run()
