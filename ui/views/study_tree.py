"""The Study page's parts: the outline as a tree, the note reader and the search box."""

from __future__ import annotations

import streamlit as st

from ui.data import Catalog
from ui.i18n import language, t
from ui.session import record


def open_section(note_id: str, anchor: str = "") -> None:
    st.session_state.update(study_note=note_id, study_anchor=anchor)


def sections_for_skill(cat: Catalog, skill_id: str, lang: str) -> list[tuple[str, str, str]]:
    """(note id, anchor, "note › section") of every note section that teaches a skill."""
    out = []
    for note in cat.notes.ordered(lang):
        for section in note.sections:
            if section.anchor and skill_id in section.skills:
                out.append((note.id, section.anchor, f"{note.title} › {section.title}"))
    return out


def _skill_row(cat: Catalog, skill, lang: str) -> None:
    st.markdown(f"**{skill.title}**  \n`{skill.id}`")
    sections = sections_for_skill(cat, skill.id, lang)
    if not sections:
        st.caption(t("study.no_note"))
    for note_id, anchor, label in sections:
        st.button(f"📖 {label}", key=f"study-open-{skill.id}-{note_id}-{anchor}", on_click=open_section,
                  args=(note_id, anchor))
    c1, c2 = st.columns(2)
    c1.page_link("ui/pages/quiz_page.py", label=t("study.practise"), icon="📝",
                 query_params={"mode": "practice", "skill": skill.id})
    c2.page_link("ui/pages/labs_page.py", label=t("study.lab_for"), icon="🧪", query_params={"skill": skill.id})


def outline_tree(cat: Catalog, blueprint) -> None:
    """Domains -> skill groups -> skills, each skill with its note sections and practice links."""
    lang = language()
    domain_ids = [d.id for d in blueprint.domains]
    titles = {d.id: f"{d.title} ({d.weight[0]}–{d.weight[1]}%)" for d in blueprint.domains}
    chosen = st.selectbox(t("study.domain"), domain_ids, format_func=titles.get, key="study_domain")
    domain = next(d for d in blueprint.domains if d.id == chosen)
    for group in domain.groups:
        with st.expander(group.title):
            for skill in group.skills:
                _skill_row(cat, skill, lang)


def note_reader(cat: Catalog) -> None:
    """The chosen note (or one of its sections), with "mark as read"."""
    lang = language()
    notes = cat.notes.ordered(lang)
    if not notes:
        st.info(t("study.no_notes"))
        return
    ids = [n.id for n in notes]
    current = st.session_state.get("study_note") or ids[0]
    note_id = st.selectbox(t("study.note"), ids, index=ids.index(current) if current in ids else 0,
                           format_func=lambda i: cat.notes.get(i, lang).title, key="study_note_pick")
    if note_id != current:
        open_section(note_id)
    note = cat.notes.get(note_id, lang)
    anchor = st.session_state.get("study_anchor", "") if note_id == current else ""
    section = note.section(anchor) if anchor else None
    rec = record()
    if section:
        st.subheader(section.title)
        st.markdown(section.body)
        st.button(t("study.whole_note"), key="study_whole", on_click=open_section, args=(note.id, ""))
        _mark_read(rec, note.id, section.anchor, lang)
    else:
        st.header(note.title)
        st.markdown(note.markdown())
        _mark_read(rec, note.id, "", lang)


def _mark_read(rec, note_id: str, anchor: str, lang: str) -> None:
    if (note_id, anchor) in rec.notes_read():
        st.success(t("study.read_already"))
    elif st.button(t("study.mark_read"), key=f"study-read-{note_id}-{anchor}"):
        rec.mark_note_read(note_id, anchor, lang)
        st.rerun()


def search_box(cat: Catalog) -> None:
    """Full-text search over the notes of the chosen language; a hit opens its section."""
    query = st.text_input(t("study.search"), key="study_search")
    if not query.strip():
        return
    hits = cat.search.search(query, lang=language(), limit=10)
    if not hits:
        st.caption(t("study.no_hits"))
    for i, hit in enumerate(hits):
        st.button(f"🔎 {hit.note_title} › {hit.section_title}", key=f"study-hit-{i}", on_click=open_section,
                  args=(hit.note_id, hit.anchor))
        st.caption(hit.snippet)
