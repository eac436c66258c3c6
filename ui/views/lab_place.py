"""Where the learner is on the Labs page: the open lab and the step chosen in each lab.

Three places keep it, each for what it outlives:
- the session (`lab_open`, `lab-step-<lab>`: plain values, not widget state, which Streamlit drops while the
  Labs page is not drawn), so going Home and back returns to the same lab and step;
- the address (`/labs?lab=01&step=inline-run`), so a reload (a new session) opens them again;
- the learner's record (`lab_steps_chosen`), so a lab reopened from the list, even days later, lands on the
  step last chosen rather than on its first unfinished one.
"""

from __future__ import annotations

import streamlit as st

from labs.spec import catalog
from ui.session import record

OPEN = "lab_open"
CHOSEN = "lab_steps_chosen"  # the record's setting: {lab id: step id}


def step_key(lab_id: str) -> str:
    """The session key of the step chosen in a lab (other pages set it to open a lab on a step)."""
    return f"lab-step-{lab_id}"


def open_lab() -> str | None:
    """The lab to show: the session's, or, in a new session (a reload), the one the address names."""
    if OPEN not in st.session_state:
        lab_id, step_id = st.query_params.get("lab"), st.query_params.get("step")
        if lab_id in catalog():
            st.session_state[OPEN] = lab_id
            if step_id:
                st.session_state[step_key(lab_id)] = step_id
    return st.session_state.get(OPEN)


def chosen_step(lab_id: str, steps: list[dict]) -> str:
    """The step to show in a lab: the session's, else the one chosen last time, else the first not passed."""
    key, ids = step_key(lab_id), [s["id"] for s in steps]
    if st.session_state.get(key) not in ids:
        remembered = (record().get_setting(CHOSEN, {}) or {}).get(lab_id)
        todo = [s["id"] for s in steps if not (s["result"] and s["result"]["passed"])]
        st.session_state[key] = remembered if remembered in ids else (todo or ids)[0]
    _show_in_address(lab_id, st.session_state[key])
    return st.session_state[key]


def choose_step(lab_id: str, step_id: str) -> None:
    """Go to a step of a lab (a button's callback); it is remembered for the next visit too."""
    st.session_state[step_key(lab_id)] = step_id
    rec = record()
    rec.set_setting(CHOSEN, {**(rec.get_setting(CHOSEN, {}) or {}), lab_id: step_id})


def close_lab() -> None:
    """Back to the list of labs (the lab's step stays remembered)."""
    st.session_state.pop(OPEN, None)
    for name in ("lab", "step"):
        if name in st.query_params:
            del st.query_params[name]


def _show_in_address(lab_id: str, step_id: str) -> None:
    """Put the lab and step in the address, so a reload opens them again."""
    if st.query_params.get("lab") != lab_id or st.query_params.get("step") != step_id:
        st.query_params.update(lab=lab_id, step=step_id)


def forget_step(lab_id: str) -> None:
    """A reset lab starts again on its first step."""
    st.session_state.pop(step_key(lab_id), None)
    rec = record()
    rec.set_setting(CHOSEN, {k: v for k, v in (rec.get_setting(CHOSEN, {}) or {}).items() if k != lab_id})
