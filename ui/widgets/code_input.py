"""A code editor with Python highlighting that works offline, with a plain text area as fallback.

The editor is `streamlit-code-editor` (its JavaScript ships in the wheel). It hands the code to Python
when the learner presses Ctrl+Enter or its Run button; the fallback text area sends it on every change.
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import t

try:
    from code_editor import code_editor
except ImportError:  # the plain text area still works
    code_editor = None

# Ace's live autocompletion pops a list up while typing and Enter takes its first entry, so typing
# `ws.name⏎` could insert a different word: completion stays on demand (Ctrl+Space) only.
EDITOR_PROPS = {"enableLiveAutocompletion": False, "enableBasicAutocompletion": True, "enableSnippets": False}
RUN_BUTTON = {"name": "Run", "feather": "Play", "primary": True, "hasText": True, "showWithIcon": True,
              "commands": ["submit"], "style": {"bottom": "0.44rem", "right": "0.4rem"}}


def code_input(initial: str, key: str, generation: int = 0) -> tuple[str, bool]:
    """Show the editor; return (the latest code, whether the learner asked to run it just now).

    Args:
        initial: the code to start from.
        key: the widget key prefix.
        generation: bump it to replace the editor (its browser side keeps its own text otherwise).
    """
    store = f"{key}-text"
    st.session_state.setdefault(store, initial)
    plain = code_editor is None or st.toggle(t("lab.plain_editor"), key=f"{key}-plain")
    if plain:
        text = st.text_area(t("lab.code"), value=st.session_state[store], height=260, key=f"{key}-area")
        st.session_state[store] = text
        return text, False
    buttons = [{**RUN_BUTTON, "name": t("lab.run")}]
    response = code_editor(st.session_state[store], lang="python", height=[12, 30], buttons=buttons, props=EDITOR_PROPS,
                           key=f"{key}-editor-{generation}")
    submitted = bool(response and response.get("type") == "submit" and response.get("id")
                     and response["id"] != st.session_state.get(f"{key}-last-id"))
    if submitted:
        st.session_state[f"{key}-last-id"] = response["id"]
        st.session_state[store] = response["text"]
    return st.session_state[store], submitted
