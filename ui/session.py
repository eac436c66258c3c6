"""Per-session helpers shared by pages: the learner's record, friendly set-up errors, applied settings."""

from __future__ import annotations

import os

import streamlit as st

from dp100.errors import SetupError
from progress import Record

# Seconds each long operation takes when realistic delays are on (in Azure they take minutes), by the
# variable the simulator reads, here and in the lab kernels and jobs it starts.
REALISTIC_DELAYS = {
    "DP100_SIM_COMPUTE_DELAY": 15,  # a new compute stays "Creating"
    "DP100_SIM_RUN_DELAY": 5,  # a submitted run stays "Preparing"
    "DP100_SIM_DEPLOY_DELAY": 10,  # a deployment stays "Transitioning"
}


def record() -> Record:
    """The learner's record, or stop the page with a one-sentence explanation when it cannot open."""
    try:
        rec = Record()
    except SetupError as exc:
        st.error(str(exc))
        st.stop()
    apply_delays(rec.get_setting("realistic_delays", False))
    return rec


def apply_delays(on: bool) -> None:
    """Turn realistic provisioning delays on or off for this server and the processes it starts."""
    for variable, seconds in REALISTIC_DELAYS.items():
        os.environ[variable] = str(seconds if on else 0)
