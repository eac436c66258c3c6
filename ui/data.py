"""Study content loaded once per server process (it is read-only), with the problems found."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from content.notes import NoteLibrary, load_notes
from content.problems import Problem
from content.search import SearchIndex
from quizzes.bank import Bank, load_bank
from quizzes.blueprint import BlueprintSet, load_blueprints


@dataclass(frozen=True)
class Catalog:
    """Blueprints, notes and the question bank, plus every problem found while loading them."""

    blueprints: BlueprintSet
    notes: NoteLibrary
    bank: Bank
    search: SearchIndex

    @property
    def problems(self) -> list[Problem]:
        return [*self.blueprints.problems, *self.notes.problems, *self.bank.problems]

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
    """Load everything once; a broken file is reported, never fatal."""
    blueprints = load_blueprints()
    notes = load_notes()
    bank = load_bank(blueprints=blueprints, note_anchors=notes.anchors())
    return Catalog(blueprints, notes, bank, SearchIndex(notes))


def show_problems(cat: Catalog) -> None:
    """A collapsed warning naming each broken file, so the rest is still served."""
    if cat.problems:
        from ui.i18n import t

        with st.expander(t("data.problems", n=len(cat.problems)), icon="⚠️"):
            st.code("\n".join(str(p) for p in cat.problems[:50]), language=None)
