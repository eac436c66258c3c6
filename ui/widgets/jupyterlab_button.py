""""Open in JupyterLab": the lab's compute instance (the real JupyterLab, `labs.jupyter`) in a new tab.

The button starts the server in the background (a first start takes seconds); once it answers, a link opens
the lab's notebook there. The server belongs to the app's process: it stops when the app stops.
"""

from __future__ import annotations

import os

import streamlit as st

from labs import jupyter
from ui import jobs
from ui.i18n import language, t


def _open_lab(lab_id: str, lang: str) -> str:
    """Runs in a job thread: start (or reuse) the server and return the lab's URL."""
    return jupyter.start(lab_id, language=lang, owner=os.getpid())


def _link(url: str) -> None:
    if jupyter.status() is None:  # stopped since (`dp100 lab jupyter stop`): the button starts it again
        return
    st.link_button(t("lab.jupyter_link"), url, type="primary", width="stretch")
    st.caption(t("lab.jupyter_help"))


def jupyterlab_button(lab_id: str) -> None:
    """Draw the button and, once JupyterLab is up, the link that opens this lab in it."""
    key = f"lab-{lab_id}-jupyterlab"  # a lab's own key: a reset of the lab drops it
    if st.button(t("lab.jupyter_open"), key="lab_jupyterlab", icon=":material/terminal:", width="stretch"):
        jobs.start(key, _open_lab, lab_id, language())
    jobs.show_job(key, _link, t("lab.jupyter_starting"))
