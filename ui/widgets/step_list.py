"""A lab's steps as a list of buttons, each with one mark: passed, failed or not checked yet."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui.i18n import t

# One icon per step says its state; the chosen step is the one drawn as a bordered button.
ICONS = {True: ":material/check_circle:", False: ":material/cancel:", None: ":material/radio_button_unchecked:"}
STATES = {True: "lab.step_passed_mark", False: "lab.step_failed_mark", None: "lab.step_unchecked_mark"}
# A list reads from the left: Streamlit centres a button's label, which scatters the marks of long titles.
ALIGN_LEFT = ("<style>[class*='st-key-lab-step-list-'] button, [class*='st-key-lab-step-list-'] button > div "
              "{justify-content: flex-start; text-align: left;}</style>")


def step_state(step: dict) -> bool | None:
    """True (its last check passed), False (it failed) or None (never checked)."""
    result = step["result"]
    return None if result is None else bool(result["passed"])


def step_list(lab_id: str, steps: list[dict], chosen: str, on_choose: Callable[[str, str], None]) -> None:
    """Draw the steps; clicking one calls `on_choose(lab_id, step_id)` before the page is drawn again."""
    st.markdown(f"**{t('lab.steps')}**")
    st.html(ALIGN_LEFT)
    with st.container(key=f"lab-step-list-{lab_id}", gap="small"):
        for step in steps:
            state = step_state(step)
            st.button(f"{step['number']}. {step['title']}", key=f"lab-goto-{lab_id}-{step['id']}",
                      icon=ICONS[state], help=t(STATES[state]), width="stretch",
                      type="secondary" if step["id"] == chosen else "tertiary",
                      on_click=on_choose, args=(lab_id, step["id"]))
