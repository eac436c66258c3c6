"""The head of a lab's page: its title, what it teaches and what it expects the learner to know or have done."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from labs import api
from ui.i18n import language, t


def lab_about(lab_id: str, steps: list[dict], open_lab: Callable[[str], None]) -> None:
    """Title, then goals and prerequisites (open until the learner checks a step; a prerequisite lab opens)."""
    about = api.about(lab_id, language())
    st.subheader(f"{about['id']} · {about['title']}")
    started = any(s["result"] is not None for s in steps)
    with st.expander(t("lab.about"), expanded=not started, icon=":material/flag:"):
        st.write(about["summary"])
        goals, needs = st.columns(2)
        goals.markdown(f"**{t('lab.goals')}**\n\n" + "\n".join(f"- {g}" for g in about["goals"]))
        with needs:
            st.markdown(f"**{t('lab.prerequisites')}**")
            for need in about["prerequisites"]:
                _prerequisite(need, open_lab)


def _prerequisite(need: dict, open_lab: Callable[[str], None]) -> None:
    """One prerequisite: a lab to open (marked when finished), or something to know."""
    if not need["lab"]:
        st.markdown(f"- {need['text']}")
        return
    icon = ":material/check_circle:" if need["done"] else ":material/science:"
    st.button(need["text"], key=f"lab-prereq-{need['lab']}", icon=icon, type="tertiary",
              help=t("lab.prereq_done" if need["done"] else "lab.prereq_open"), on_click=open_lab,
              args=(need["lab"],))
