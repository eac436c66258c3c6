"""UI text in English and Brazilian Portuguese. Every visible string of the app comes through `t()`.

The texts live in `ui/texts.yaml` (key -> {en, pt-BR}); a test checks that every key used in the code
exists in both languages.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit as st
import yaml

LANGUAGES = {"en": "English", "pt-BR": "Português (Brasil)"}
TEXTS_FILE = Path(__file__).with_name("texts.yaml")


@cache
def texts() -> dict[str, dict[str, str]]:
    """Every UI text by key, then language."""
    return yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))


def language() -> str:
    """The learner's language: remembered in their record, cached in the session."""
    if "lang" not in st.session_state:
        from ui.session import record

        saved = record().get_setting("language", "en")
        st.session_state["lang"] = saved if saved in LANGUAGES else "en"
    return st.session_state["lang"]


def set_language(lang: str) -> None:
    """Switch and remember the language."""
    from ui.session import record

    record().set_setting("language", lang)
    st.session_state["lang"] = lang


def t(key: str, **values) -> str:
    """The text for `key` in the learner's language, formatted with `values`."""
    entry = texts()[key]
    text = entry.get(language()) or entry["en"]
    return text.format(**values) if values else text


def outline_title(part) -> str:
    """The title of an exam outline, domain, skill group or skill in the learner's language."""
    return part.title_in(language())
