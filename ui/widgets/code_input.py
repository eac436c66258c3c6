"""The lab's code editor, with a plain text area as fallback.

The editor is a small Streamlit component (`code_editor.js`, `code_editor.css`, inline: no build step, no
network): Python highlighting, Tab indents, Enter keeps the indentation. It sends its text when it loses
the focus, which happens on the mouse press of any button under it, so the Run button always runs the code
on screen; Ctrl+Enter sends the text and asks for a run. The plain text area sends its text the same way.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui.i18n import t

_HERE = Path(__file__).parent
# Registered once, at import: the name must be unique in the app.
_EDITOR = st.components.v2.component(
    "dp100_code_editor",
    js=(_HERE / "code_editor.js").read_text(encoding="utf-8"),
    css=(_HERE / "code_editor.css").read_text(encoding="utf-8"),
)


def _ignore() -> None:
    """The component's change callback: there is nothing to do then, `code_input` reads the new value."""


def _rich_editor(key: str, code: str) -> bool:
    """Draw the editor component under `key`; return whether Ctrl+Enter asked for a run."""
    result = _EDITOR(
        key=key,
        # The browser only reads `code` when it builds the editor (first draw, or a new generation): later
        # reruns that carry the text it sent back leave the learner's caret and newer keystrokes alone.
        data={"code": code, "label": t("lab.code")},
        default={"text": None},
        on_text_change=_ignore,
        on_run_change=_ignore,
    )
    return bool(result.get("run"))


def _take_editor_text(store: str, editor_key: str) -> None:
    """Keep the text the editor sent last in `store`, also in a run that does not draw the editor.

    Clicking the plain-editor switch first takes the focus from the editor, which sends its text; that run
    draws the text area instead, so the text is read from the editor's state, not from its result. Streamlit
    drops the state of a widget that a run did not draw, so an old text is never taken twice.
    """
    state = st.session_state.get(editor_key)
    if state and state.get("text") is not None:  # None until the learner edits the text
        st.session_state[store] = state["text"]


def code_input(initial: str, key: str, generation: int = 0) -> tuple[str, bool]:
    """Show the editor; return (the code on screen, whether the learner asked to run it from the editor).

    Args:
        initial: the code to start from.
        key: the widget key prefix.
        generation: bump it to replace the editor (its browser side keeps its own text otherwise).
    """
    store, editor = f"{key}-text", f"{key}-editor-{generation}"  # store: the latest text, from either editor
    st.session_state.setdefault(store, initial)
    _take_editor_text(store, editor)
    if st.toggle(t("lab.plain_editor"), key=f"{key}-plain"):
        area = f"{key}-area"
        # Once the area has a state (typed, or set by `replace_code`) it shows that; passing the text as its
        # value as well would make Streamlit warn that the value is set twice.
        st.session_state[store] = st.text_area(t("lab.code"), height=260, key=area,
                                               value=None if area in st.session_state else st.session_state[store])
        return st.session_state[store], False
    run = _rich_editor(editor, st.session_state[store])
    st.caption(t("lab.editor_keys"))
    return st.session_state[store], run


def replace_code(key: str, code: str) -> None:
    """Put `code` in the editor drawn under `key` (call it from a callback, before the editor is drawn).

    The rich editor's browser side keeps its own text: the caller must also draw it under a new generation.
    """
    st.session_state[f"{key}-text"] = code
    if f"{key}-area" in st.session_state:
        st.session_state[f"{key}-area"] = code
