"""Settings: language and a confirmed reset of everything."""

import streamlit as st

from dp100 import paths
from dp100.reset import wipe_home
from ui.session import record

LANGUAGES = {"en": "English", "pt-BR": "Português (Brasil)"}

st.title("Settings")
rec = record()
current = rec.get_setting("language", "en")
choice = st.radio("Language", list(LANGUAGES), format_func=LANGUAGES.get,
                  index=list(LANGUAGES).index(current) if current in LANGUAGES else 0, key="settings_language")
if choice != current:
    rec.set_setting("language", choice)

st.subheader("Reset everything")
st.write(f"Deletes your progress, lab folders and simulated workspaces under {paths.home()}.")
confirm = st.text_input("Type RESET to confirm", key="settings_reset_confirm")
if st.button("Reset everything", disabled=confirm != "RESET", type="primary", key="settings_reset"):
    removed = wipe_home()
    st.success(f"Removed {len(removed)} item(s). You start afresh.")
