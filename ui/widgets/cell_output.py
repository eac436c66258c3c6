"""Show a lab cell's outputs the way a notebook does: text, tables, images and errors."""

from __future__ import annotations

import base64

import streamlit as st

from labs.grading import readable
from sim import studio_links
from ui.i18n import language, t
from ui.widgets.studio_links import studio_links_for


def _display(data: dict) -> None:
    image = data.get("image/png") or data.get("image/jpeg")
    if image:
        st.image(base64.b64decode(image))
    elif "text/html" in data:
        # pandas DataFrames arrive as HTML tables; an SDK v2 job's table links to the studio (here: our Studio)
        st.html(studio_links.localize_links(data["text/html"]))
    elif "text/markdown" in data:
        st.markdown(data["text/markdown"])
    elif "application/json" in data:
        st.json(data["application/json"])  # IPython.display.JSON
    elif "text/plain" in data:
        st.code(data["text/plain"], language=None)
    elif data:  # a kind the page cannot draw: name it rather than show nothing
        st.caption(", ".join(sorted(data)))


def show_outputs(result) -> None:
    """Render a `labs.kernel.CellResult`."""
    show_streamed(result)
    if result.message:
        st.error(result.message)
    if result.restarted:
        st.info(t("lab.restarted"))
    studio_links_for(result)
    st.caption(t("lab.cell_time", s=f"{result.seconds:.1f}"))


def show_streamed(result) -> None:
    """Render the outputs a cell has given so far (while it runs, another thread keeps adding to them)."""
    for out in list(result.outputs):
        kind = out["type"]
        if kind == "stream":
            text = out["text"].rstrip("\n")
            if text:
                st.code(text, language=None) if out["name"] == "stdout" else st.warning(text)
        elif kind == "display":
            _display(out["data"])
        elif kind == "error":
            st.error(f"{out['ename']}: {out['evalue']}")
            with st.expander(t("lab.traceback")):
                st.code("\n".join(out.get("traceback", [])), language=None)


MARKS = {"passed": "✓", "failed": "✗", "broken": "⚠", "not_run": "○"}  # characters every font has (no emoji font)


def check_mark(result) -> str:
    """The mark of one requirement: passed, failed, not run (a check it needs failed) or a broken check."""
    return MARKS["broken" if result.broken else "not_run" if result.not_run else "passed" if result.passed
                 else "failed"]


def note_label(note: str) -> str:
    """"Note title › Section title" for a `note-id#anchor` reference (the reference itself when unknown)."""
    from ui.data import catalog
    from ui.i18n import language

    titles = catalog().note_titles(language())
    if note in titles:
        return titles[note]
    note_id = note.split("#", 1)[0]
    found = catalog().notes.get(note_id, language())
    return found.title if found else note


def open_note(note: str) -> None:
    """Go to the Study page's reader on a `note-id#anchor` reference."""
    note_id, _, anchor = note.partition("#")
    st.session_state.update(study_note=note_id, study_anchor=anchor)
    st.switch_page("ui/pages/study_page.py")


def note_button(note: str, key: str) -> None:
    """A link-like button that opens a note section in the Study page."""
    if st.button(t("lab.read_note", note=note_label(note)), key=key, icon=":material/menu_book:", type="tertiary"):
        open_note(note)


def check_rows(report) -> list[dict]:
    """The table of a step's requirements: each one's name, mark and message, with expected/found only where a
    check gives them."""
    show_expected = any(r.expected is not None or r.found is not None for r in report.results)
    rows = []
    for r in report.results:
        row = {t("lab.col_requirement"): readable(r.name), t("lab.col_check"): check_mark(r),
               t("lab.col_message"): r.message_in(language())}
        if show_expected:
            row[t("lab.col_expected")] = "" if r.expected is None else str(r.expected)
            row[t("lab.col_found")] = "" if r.found is None else str(r.found)
        rows.append(row)
    return rows


def show_checks(report) -> None:
    """A verdict, then a table of a step's checks with messages, expected vs found, hints and note links."""
    if report.passed:
        st.success(t("lab.step_passed"), icon=":material/check_circle:")
    else:
        st.error(report.message_in(language()), icon=":material/cancel:")
    st.table(check_rows(report), hide_index=True)  # a plain table: long messages wrap instead of being cut
    st.caption(t("lab.marks_legend"))
    notes = []
    for r in report.results:
        if r.broken:
            st.warning(t("lab.broken_check", name=r.name))
            st.code(r.error, language=None)
        elif not r.passed and not r.not_run:
            if r.hint:
                st.info(r.hint, icon=":material/lightbulb:")
            if r.note and r.note not in notes:
                notes.append(r.note)
    for i, note in enumerate(notes):
        note_button(note, f"lab-check-note-{report.step_id}-{i}")
