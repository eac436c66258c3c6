"""The Study page's reader: one note or one section of it, reached by a click, a search hit or a deep link.

A deep link opens a section from anywhere in the app (the Quiz links its feedback references this way):
`study?note=<note id>&section=<section anchor>`, e.g. `study?note=workspace&section=datastores`; `section`
may be left out to open the whole note. `deep_link("note-id#anchor")` gives those parameters. The reader
keeps the same two parameters in the address, so a reload or a bookmark comes back to the same place.
"""

from __future__ import annotations

import json

import streamlit as st

from content.search import highlight
from ui.data import Catalog
from ui.i18n import language, t
from ui.session import record
from ui.views.study_tree import open_section

STUDY_PAGE = "ui/pages/study_page.py"
# The address this session last wrote: an address that differs from it is a new deep link to follow.
_ADDRESS = "study_address"


def deep_link(ref: str) -> dict[str, str]:
    """The Study page's query parameters that open a `note-id#anchor` reference (a bare note id: the whole note).

    For example `st.page_link(STUDY_PAGE, label=..., query_params=deep_link("workspace#datastores"))`.
    """
    note_id, _, anchor = ref.partition("#")
    return {"note": note_id, "section": anchor} if anchor else {"note": note_id}


def note_reader(cat: Catalog) -> None:
    """The chosen note (or one of its sections), with "mark as read" and, for a section, previous/next."""
    lang = language()
    notes = cat.notes.ordered(lang)
    if not notes:
        st.info(t("study.no_notes"))
        return
    ids = [n.id for n in notes]
    note_id, anchor = _reading_position(ids)
    # The picker follows the note opened from the tree or a search hit (a stale pick would reopen the old one).
    st.session_state["study_note_pick"] = note_id
    st.selectbox(t("study.note"), ids, format_func=lambda i: cat.notes.get(i, lang).title, key="study_note_pick",
                 on_change=lambda: open_section(st.session_state["study_note_pick"]))
    note = cat.notes.get(note_id, lang)
    _write_address(note_id, anchor)
    section = note.section(anchor) if anchor else None
    if section:
        _show_section(cat, note, section, lang)
    else:
        st.header(note.title)
        st.markdown(_marked(note.markdown()))
        _mark_read(note.id, "", lang)


def _show_section(cat: Catalog, note, section, lang: str) -> None:
    st.subheader(section.title, anchor=section.anchor)
    _scroll_into_view(section.anchor)
    st.markdown(_marked(section.body))
    _previous_next(cat, note.id, section.anchor, lang)
    st.button(t("study.whole_note"), key="study_whole", on_click=open_section, args=(note.id, ""))
    _mark_read(note.id, section.anchor, lang)


def _reading_position(ids: list[str]) -> tuple[str, str]:
    """(note id, section anchor) to show: a new deep link's, else this session's, else the first note."""
    address = (st.query_params.get("note"), st.query_params.get("section", ""))
    if address[0] in ids and list(address) != st.session_state.get(_ADDRESS):
        open_section(*address)
    note_id = st.session_state.get("study_note")
    if note_id not in ids:
        open_section(ids[0], scroll=False)
        note_id = ids[0]
    return note_id, st.session_state.get("study_anchor", "")


def _write_address(note_id: str, anchor: str) -> None:
    """Put the reading position in the address, so a refresh (or a bookmark) reopens the same place."""
    st.query_params["note"] = note_id
    if anchor:
        st.query_params["section"] = anchor
    else:
        st.query_params.pop("section", None)
    st.session_state[_ADDRESS] = [note_id, anchor]


def reading_order(cat: Catalog, lang: str) -> list[tuple[str, str, str]]:
    """(note id, anchor, section title) of every section with an anchor, in reading order across the notes."""
    return [(note.id, s.anchor, s.title) for note in cat.notes.ordered(lang) for s in note.sections if s.anchor]


def _previous_next(cat: Catalog, note_id: str, anchor: str, lang: str) -> None:
    order = reading_order(cat, lang)
    here = [(n, a) for n, a, _ in order].index((note_id, anchor))
    before, after = st.columns(2)
    if here > 0:
        prev_id, prev_anchor, title = order[here - 1]
        before.button(t("study.previous", title=title), key="study_prev", icon=":material/arrow_back:",
                      on_click=open_section, args=(prev_id, prev_anchor), width="stretch")
    if here + 1 < len(order):
        next_id, next_anchor, title = order[here + 1]
        after.button(t("study.next", title=title), key="study_next", icon=":material/arrow_forward:",
                     on_click=open_section, args=(next_id, next_anchor), width="stretch")


def _marked(markdown: str) -> str:
    """The text with the words of the search that opened it marked (nothing marked after other openings)."""
    query = st.session_state.get("study_highlight") or ""
    return highlight(markdown, query, lambda word: f":orange-background[{word}]") if query.strip() else markdown


def _scroll_into_view(anchor: str) -> None:
    """Bring a section just opened into view (the click may come from far down the page, or another page).

    The script is sent once per opening (its nonce changes), so later reruns leave the learner's scrolling alone.
    """
    nonce = st.session_state.get("study_scroll", 0)
    if not nonce or st.session_state.get("study_scrolled") == nonce:
        return
    st.session_state["study_scrolled"] = nonce
    target = json.dumps(anchor)
    st.html(f"""<script data-opening="{nonce}">
(function () {{
  let tries = 0;
  const go = () => {{
    const heading = document.getElementById({target});
    if (heading) heading.scrollIntoView({{block: "start"}});
    else if (tries++ < 100) setTimeout(go, 50);
  }};
  go();
}})();
</script>""", unsafe_allow_javascript=True)


def _mark_read(note_id: str, anchor: str, lang: str) -> None:
    rec = record()
    read = rec.notes_read()
    if (note_id, anchor) in read or (note_id, "") in read:  # a note read as a whole counts for its sections
        st.success(t("study.read_already"))
    elif st.button(t("study.mark_read"), key=f"study-read-{note_id}-{anchor}"):
        rec.mark_note_read(note_id, anchor, lang)
        st.rerun()
