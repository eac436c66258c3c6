"""Which exam an outline leads to and whether it can still be taken, said plainly in the learner's language.

The facts (state, dates, successor, how sure a date is) come from `BlueprintSet.exam_status`; this module
only chooses the sentences.
"""

from __future__ import annotations

import streamlit as st

from quizzes.blueprint import Blueprint, BlueprintSet, ExamStatus
from ui.i18n import language, outline_title, t

ABOUT_NOTE = "about-certification"


def status_label(blueprints: BlueprintSet, blueprint: Blueprint) -> str:
    """A short status for an outline's name in a select box: current, retired, or retired with a successor."""
    status = blueprints.exam_status(blueprint)
    if blueprint.status == "current":
        return t("quiz.outline_current")
    successor = status.retirement.successor if status.retirement else None
    if successor and not status.outline_replaced:
        return t("quiz.outline_retired_successor", successor=successor.exam)
    return t("quiz.outline_retired")


def status_text(status: ExamStatus) -> str:
    """The paragraphs that explain an outline's exam status (markdown)."""
    exam = status.latest.exam
    parts = []
    if status.outline_replaced:
        parts.append(t("examstatus.outline_replaced", exam=exam, outline=outline_title(status.latest)))
    if status.exam_offered:
        parts.append(t("examstatus.current", exam=exam))
        if status.outline.confirmed_by_microsoft is False:  # e.g. AI-300's outline, known from study sites
            parts.append(t("examstatus.reported_outline", exam=exam))
        return "\n\n".join(parts)
    if status.retirement:
        hedge = "" if status.retirement.confirmed_by_microsoft else t("examstatus.third_party_date")
        parts.append(t("examstatus.retired", exam=exam, date=status.retirement.retired_on.isoformat(), hedge=hedge,
                       cert=status.latest.certification or exam))
        if status.retirement.successor:
            successor = status.retirement.successor
            parts.append(t("examstatus.successor", exam=successor.exam, title=successor.title_in(language()),
                           cert=successor.certification))
    return "\n\n".join(parts)


def exam_status_box(blueprints: BlueprintSet, blueprint: Blueprint | None, key: str) -> None:
    """An information box on the outline's exam status, with a link to the note about the certification."""
    if blueprint is None:
        return
    status = blueprints.exam_status(blueprint)
    replaced = blueprints.predecessors(blueprint)  # a learner who came for the retired exam must read that too
    with st.container(border=True, key=key):
        if status.exam_offered and not status.outline_replaced and not replaced:
            st.caption(status_text(status))
            return
        st.markdown(status_text(status))
        for old in replaced:
            st.markdown(status_text(blueprints.exam_status(old)))
        if st.button(t("examstatus.about"), key=f"{key}_about", icon=":material/workspace_premium:", type="tertiary"):
            open_about_note()


def open_about_note() -> None:
    """Show the note about the certification in Study (the reader's own session keys)."""
    st.session_state.update(study_note=ABOUT_NOTE, study_anchor="")
    st.switch_page("ui/pages/study_page.py")
