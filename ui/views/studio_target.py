"""The Studio page opened by a studio link (`?ws=...&tab=experiments&run=...`, see `sim.studio_links`).

A link's query parameters are read once: they choose the workspace, the item in its tab (through the tabs' own
widget keys) and the tab shown first, then leave the address, so the learner's later choices are not undone.
"""

from __future__ import annotations

import streamlit as st

from sim import studio_links

KEYS = ("ws", "tab", "experiment", "experiment_id", "run", "model", "version", "endpoint", "compute", "data",
        "environment")
PENDING, TAB, WORKSPACE = "studio_link", "studio_link_tab", "studio_link_ws"
# The item a link names, by the widget key of the tab that picks it.
PICKERS = {"endpoint": "studio_endpoint", "compute": "studio_compute_pick", "data": "studio_dataset",
           "environment": "studio_environment"}


def take_link(rows: list[dict]) -> None:
    """Before the workspace picker is drawn: keep a link's parameters and choose its workspace."""
    link = {k: st.query_params[k] for k in KEYS if k in st.query_params}
    if not link:
        return
    for key in link:
        del st.query_params[key]
    st.session_state[PENDING] = link
    st.session_state[TAB] = link.get("tab")
    index = studio_links.workspace_index(rows, link["ws"]) if "ws" in link else None
    if index is not None:
        # The picker's own value would win over its index: drop it, and let `first_workspace` give the index
        # (setting the picker's value here instead makes Streamlit warn that it is set twice).
        st.session_state.pop("studio_ws", None)
        st.session_state[WORKSPACE] = index


def first_workspace(newest: int) -> int:
    """The index the workspace picker starts on: the linked workspace once, else the newest."""
    return st.session_state.pop(WORKSPACE, newest)


def open_item(ws) -> None:
    """Once the workspace is open: choose the link's item in its tab."""
    link = st.session_state.pop(PENDING, None)
    if not link:
        return
    experiment = (studio_links.experiment_of_run(ws, link["run"]) if "run" in link
                  else studio_links.experiment_named_by_id(ws, link["experiment_id"]) if "experiment_id" in link
                  else link.get("experiment"))
    if experiment:
        st.session_state["studio_experiment"] = experiment
        st.session_state.pop("studio_run_page", None)  # the linked run is a new one: on the first page
        st.session_state.pop("studio_run", None)
    if "run" in link and experiment:
        st.session_state["studio_run"] = link["run"]
    for name, key in PICKERS.items():
        if name in link:
            st.session_state[key] = link[name]


def first_tab(labels: list[str]) -> str | None:
    """The label of the tab a link asked for (in the page's tab order), or None for the first tab."""
    tab = st.session_state.get(TAB)
    return labels[studio_links.TABS.index(tab)] if tab in studio_links.TABS else None
