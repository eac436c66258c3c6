"""Settings: language, realistic delays, and a confirmed reset of everything."""

import streamlit as st

from dp100 import paths
from dp100.reset import wipe_home
from ui.i18n import LANGUAGES, language, set_language, t
from ui.session import apply_delays, record

st.title(t("settings.title"))
rec = record()
current = language()
choice = st.radio(t("settings.language"), list(LANGUAGES), format_func=LANGUAGES.get,
                  index=list(LANGUAGES).index(current), key="settings_language")
if choice != current:
    set_language(choice)
    st.rerun()

delays = st.toggle(t("settings.delays"), value=bool(rec.get_setting("realistic_delays", False)),
                   help=t("settings.delays_help"), key="settings_delays")
if delays != bool(rec.get_setting("realistic_delays", False)):
    rec.set_setting("realistic_delays", delays)
    apply_delays(delays)

st.subheader(t("settings.reset_title"))
st.write(t("settings.reset_what", path=paths.home()))
confirm = st.text_input(t("settings.reset_type"), key="settings_reset_confirm")
if st.button(t("settings.reset"), disabled=confirm != "RESET", type="primary", key="settings_reset"):
    removed = wipe_home()
    apply_delays(False)
    # Forget this session too (language, widgets, an exam or lab left open): otherwise the delays toggle, still
    # on, would write its setting back into the fresh record on the next rerun. The message survives the rerun.
    st.session_state.clear()
    st.session_state["settings_reset_done"] = len(removed)
    st.rerun()
if "settings_reset_done" in st.session_state:
    st.success(t("settings.reset_done", n=st.session_state.pop("settings_reset_done")))
