"""Show a lab cell's outputs the way a notebook does: text, tables, images and errors."""

from __future__ import annotations

import base64

import streamlit as st

from ui.i18n import t


def _display(data: dict) -> None:
    if "image/png" in data:
        st.image(base64.b64decode(data["image/png"]))
    elif "text/html" in data:
        st.html(data["text/html"])  # pandas DataFrames arrive as HTML tables
    elif "text/markdown" in data:
        st.markdown(data["text/markdown"])
    elif "text/plain" in data:
        st.code(data["text/plain"], language=None)


def show_outputs(result) -> None:
    """Render a `labs.kernel.CellResult`."""
    for out in result.outputs:
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
    if result.message:
        st.error(result.message)
    if result.restarted:
        st.info(t("lab.restarted"))
    st.caption(t("lab.cell_time", s=f"{result.seconds:.1f}"))


def show_checks(report) -> None:
    """A verdict, then a table of a step's checks with messages, expected vs found, hints and note links."""
    if report.passed:
        st.success(t("lab.step_passed"))
    else:
        st.error(report.message)
    rows = []
    for r in report.results:
        mark = "⚠️" if r.broken else ("✅" if r.passed else "❌")
        rows.append({t("lab.col_check"): f"{mark} {r.name}", t("lab.col_message"): r.message,
                     t("lab.col_expected"): "" if r.expected is None else str(r.expected),
                     t("lab.col_found"): "" if r.found is None else str(r.found)})
    st.dataframe(rows, hide_index=True, width="stretch")
    for r in report.results:
        if r.broken:
            st.warning(t("lab.broken_check", name=r.name))
            st.code(r.error, language=None)
        elif not r.passed and (r.hint or r.note):
            st.info(" ".join(x for x in (r.hint, t("lab.read_note", note=r.note) if r.note else "") if x))
