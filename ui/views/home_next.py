"""What the Home page suggests next in the labs, and the jumps that land a learner on the right lab step."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from labs import api
from ui.i18n import language

LABS_PAGE = "ui/pages/labs_page.py"


@dataclass(frozen=True)
class NextStep:
    """The first lab step not yet passed, in catalogue order."""

    lab_id: str
    lab_title: str
    step_id: str
    step_title: str


def next_lab_step() -> NextStep | None:
    """The first step not yet passed, in catalogue order; None when every step passes."""
    for card in api.list_labs(language()):
        if card["passed"] >= card["steps"]:
            continue
        for step in api.steps(card["id"], language()):
            if not (step["result"] and step["result"]["passed"]):
                return NextStep(card["id"], card["title"], step["id"], step["title"])
    return None


def first_unfinished_step(lab_id: str) -> str | None:
    """The id of a lab's first step not yet passed (None when all pass)."""
    for step in api.steps(lab_id, language()):
        if not (step["result"] and step["result"]["passed"]):
            return step["id"]
    return None


def open_lab(lab_id: str, step_id: str | None = None) -> None:
    """Go to the Labs page with a lab open on a step (default: its first step not yet passed).

    The Labs page reads `lab_open` and the chosen step's key (`ui.views.lab_place`); setting them before the page
    is drawn is what lands the learner on the step instead of on the catalogue or a lab left open earlier.
    """
    step_id = step_id or first_unfinished_step(lab_id)
    st.session_state["lab_open"] = lab_id
    if step_id:
        st.session_state[f"lab-step-{lab_id}"] = step_id
    st.switch_page(LABS_PAGE)


def study_domain(blueprint_id: str, domain_id: str) -> None:
    """Go to the Study page with an outline's domain chosen in its tree (the Study page's widget keys)."""
    st.session_state.update(study_bp=blueprint_id, study_domain=domain_id)
    st.switch_page("ui/pages/study_page.py")
