"""One line on the Labs page: how well learner code is isolated on this machine ("full / partial / none") and why.

The words come from ui/texts.yaml (both languages); the facts from labs.sandbox, which `dp100 doctor` prints in
full.
"""

from __future__ import annotations

import streamlit as st

from labs.sandbox import FULL, NONE, isolation
from ui.i18n import t


def isolation_key() -> tuple[str, dict[str, str]]:
    """The text key that describes this machine's isolation, with its placeholders."""
    found = isolation()
    cgroup = found.cgroup.describe() if found.cgroup else ""
    if found.level == NONE:
        return ("lab.isolation_off" if found.switched_off else "lab.isolation_none"), {}
    if found.level == FULL:
        return "lab.isolation_full", {"cgroup": cgroup}
    if found.bwrap:
        return "lab.isolation_partial_no_cgroup", {}
    return "lab.isolation_partial_no_bwrap", {"cgroup": cgroup}


def isolation_caption() -> None:
    """Show the line."""
    key, values = isolation_key()
    st.caption(t(key, **values))
