"""DP-100 study and lab platform. This file only routes: every page lives in ui/pages/."""

from pathlib import Path

import streamlit as st

from ui.navigation import pages

# A file shipped with the app: a ":material/…" page icon is an image Streamlit's frontend fetches from a font CDN.
ICON = Path(__file__).parent / "ui" / "favicon.png"
st.set_page_config(page_title="DP-100 Study & Lab", page_icon=str(ICON), layout="wide")
st.navigation(pages()).run()
