"""Per-session helpers shared by pages: the learner's record, friendly set-up errors, applied settings."""

from __future__ import annotations

import os

import streamlit as st

from dp100.errors import SetupError
from progress import Record

# Seconds a new compute stays "Creating" when realistic delays are on (real clusters take minutes).
REALISTIC_COMPUTE_DELAY = 15
DELAY_ENV = "DP100_SIM_COMPUTE_DELAY"  # read by sim.cloud.compute, here and in the lab kernels it starts


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
    os.environ[DELAY_ENV] = str(REALISTIC_COMPUTE_DELAY if on else 0)
