"""Study content loaded once per server process (it is read-only), with the problems found."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from content.notes import NoteLibrary
from content.search import SearchIndex
from curriculum.check import load_all
from datafiles.problems import Problem
from quizzes.bank import Bank
from quizzes.blueprint import BlueprintSet


@dataclass(frozen=True)
class Catalog:
    """Blueprints, notes and the question bank, plus every problem found while loading them."""

    blueprints: BlueprintSet
    notes: NoteLibrary
    bank: Bank
    search: SearchIndex
    problems: list[Problem]

    def note_titles(self, lang: str) -> dict[str, str]:
        """`note-id#anchor` -> "Note title › Section title", for showing references."""
        out = {}
        for note in self.notes.ordered(lang):
            for section in note.sections:
                if section.anchor:
                    out[f"{note.id}#{section.anchor}"] = f"{note.title} › {section.title}"
        return out


@st.cache_resource(show_spinner=False)
def catalog() -> Catalog:
    """Load everything once; a broken file is reported (as `dp100 content check` would), never fatal."""
    content = load_all()
    return Catalog(content.blueprints, content.notes, content.bank, SearchIndex(content.notes), content.problems)


def show_problems(cat: Catalog) -> None:
    """A collapsed warning naming each broken file, so the rest is still served."""
    if cat.problems:
        from ui.i18n import t

        with st.expander(t("data.problems", n=len(cat.problems)), icon=":material/warning:"):
            st.code("\n".join(str(p) for p in cat.problems[:50]), language=None)
