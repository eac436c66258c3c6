"""Labs: the catalogue, then one lab as a checklist of auto-graded steps."""

import streamlit as st

from ui.i18n import t
from ui.views.lab_place import open_lab
from ui.views.lab_view import catalogue, lab

st.title(t("lab.title"))
opened = open_lab()
if opened:
    lab(opened)
else:
    catalogue()
