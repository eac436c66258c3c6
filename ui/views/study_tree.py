"""The Study page's parts: the outline as a tree and the search box (the reader is `ui.views.study_reader`)."""

from __future__ import annotations

import streamlit as st

from labs import api as labs_api
from ui.data import Catalog
from ui.i18n import language, t
from ui.session import record
from ui.views.home_next import open_lab


def open_section(note_id: str, anchor: str = "", skill_id: str | None = None, query: str = "",
                 scroll: bool = True) -> None:
    """Show a note (or one section of it) in the reader.

    Args:
        note_id: the note.
        anchor: the section ("" for the whole note).
        skill_id: keeps that skill's group of the outline open.
        query: the search that found it; its words are marked in the text.
        scroll: bring the section into view (every opening the learner asks for does).
    """
    state = st.session_state
    state.update(study_note=note_id, study_anchor=anchor, study_highlight=query)
    if scroll:
        state["study_scroll"] = state.get("study_scroll", 0) + 1
    if skill_id:
        state["study_skill"] = skill_id


def sections_for_skill(cat: Catalog, skill_id: str, lang: str) -> list[tuple[str, str, str]]:
    """(note id, anchor, "note › section") of every note section that teaches a skill."""
    out = []
    for note in cat.notes.ordered(lang):
        for section in note.sections:
            if section.anchor and skill_id in section.skills:
                out.append((note.id, section.anchor, f"{note.title} › {section.title}"))
    return out


def related_labs(cat: Catalog, labs: list[dict], skill_id: str, lang: str) -> list[dict]:
    """The labs that practise a skill: those listing it, else those listing a skill its note sections teach.

    SDK v1 labs name the 2020 outline's skills and SDK v2 labs the current one's; a current-outline skill no v2
    lab practises yet reaches v1 labs through the note sections that teach both outlines' skills.
    """
    direct = [lab for lab in labs if skill_id in lab["skills"]]
    if direct:
        return direct
    taught_with = {other for note in cat.notes.ordered(lang) for section in note.sections
                   if skill_id in section.skills for other in section.skills}
    return [lab for lab in labs if taught_with & set(lab["skills"])]


def _skill_row(cat: Catalog, skill, labs: list[dict], lang: str) -> None:
    st.markdown(f"**{skill.title_in(lang)}**")
    sections = sections_for_skill(cat, skill.id, lang)
    if not sections:
        st.caption(t("study.no_note"))
    for note_id, anchor, label in sections:
        st.button(label, key=f"study-open-{skill.id}-{note_id}-{anchor}", on_click=open_section,
                  args=(note_id, anchor, skill.id), icon=":material/menu_book:")
    st.page_link("ui/pages/quiz_page.py", label=t("study.practise"), icon=":material/quiz:",
                 query_params={"mode": "practice", "skill": skill.id})
    related = related_labs(cat, labs, skill.id, lang)
    if not related:
        st.caption(t("study.no_lab"))
    for lab in related:
        if st.button(t("study.lab_for", lab=f"{lab['id']} · {lab['title']}"), key=f"study-lab-{skill.id}-{lab['id']}",
                     icon=":material/science:", type="tertiary"):
            open_lab(lab["id"])


def relabel_outline_boxes() -> None:
    """Hand the outline and domain boxes their own choice again, so the browser shows it in the new language.

    A keyed select box keeps its identity when only its labels change, and the browser went on showing the
    chosen option's old label; a value set through the session state is sent with its label in this run's language.
    """
    for key in ("study_bp", "study_domain"):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def outline_tree(cat: Catalog, blueprint) -> None:
    """Domains -> skill groups -> skills, each skill with its note sections and practice links."""
    lang = language()
    domain_ids = [d.id for d in blueprint.domains]
    # The weight first: a long title is cut at its end in the narrow column, and the weight must stay visible.
    titles = {d.id: f"{d.weight[0]}–{d.weight[1]}% · {d.title_in(lang)}" for d in blueprint.domains}
    chosen = st.selectbox(t("study.domain"), domain_ids, format_func=titles.get, key="study_domain")
    domain = next(d for d in blueprint.domains if d.id == chosen)
    labs = labs_api.list_labs(lang)
    opened_skill = st.session_state.get("study_skill")
    for group in domain.groups:
        # The group of the section last opened stays open when the learner comes back to the page.
        with st.expander(group.title_in(lang), expanded=any(s.id == opened_skill for s in group.skills)):
            for skill in group.skills:
                _skill_row(cat, skill, labs, lang)


def search_box(cat: Catalog) -> None:
    """Full-text search over the notes of the chosen language; a hit opens its section."""
    query = st.text_input(t("study.search"), key="study_search")
    if not query.strip():
        return
    hits = cat.search.search(query, lang=language(), limit=10)
    if not hits:
        st.caption(t("study.no_hits"))
    for i, hit in enumerate(hits):
        st.button(f"{hit.note_title} › {hit.section_title}", key=f"study-hit-{i}", on_click=open_section,
                  args=(hit.note_id, hit.anchor, None, query), icon=":material/search:")
        st.caption(hit.snippet)


START_SEEN = "study_start_seen"  # the learner's record: "Start here" was closed
ABOUT_NOTE = "about-certification"  # the note on the exams' status, when the notes have it


def start_here(cat: Catalog) -> None:
    """A first visit's box: which outline is which, which labs serve which, and where to read more."""
    rec = record()
    if rec.get_setting(START_SEEN):
        return
    lang = language()
    labs = labs_api.list_labs(lang)
    by_sdk = {sdk: ", ".join(lab["id"] for lab in labs if lab["sdk"] == sdk) or "—" for sdk in ("v1", "v2")}
    with st.container(border=True, key="study_start"):
        st.markdown(f"**{t('study.start_title')}**")
        st.markdown(t("study.start_here", v1_labs=by_sdk["v1"], v2_labs=by_sdk["v2"]))
        about = cat.notes.get(ABOUT_NOTE, lang)
        if about is not None:
            st.button(t("study.start_about", title=about.title), key="study_start_about", icon=":material/info:",
                      on_click=open_section, args=(ABOUT_NOTE,))
        st.button(t("study.start_close"), key="study_start_close", on_click=rec.set_setting, args=(START_SEEN, True))
