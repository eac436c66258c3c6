"""Work the app does once per server process, in the background so the first page is not delayed."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

import streamlit as st

log = logging.getLogger(__name__)


def _prepare_simulator() -> None:
    from sim.cloud import services, workspaces

    # MLflow's migrations (~2 s of CPU) run in a low-priority process of their own: in a thread they would
    # hold the GIL while the learner's first pages render. The first Workspace.create then copies the result.
    warmup = subprocess.Popen([sys.executable, "-m", "sim", "warmup"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, preexec_fn=lambda: os.nice(10))
    for record in workspaces.list_workspaces():
        services.restore_all(record)  # deployed services come back after a restart; dead ones are marked
    warmup.wait()  # reap it: no zombie left behind


def _guarded() -> None:
    try:
        _prepare_simulator()
    except Exception:  # a failure here must never take the app down; the simulator reports it when used
        log.exception("simulator start-up work failed")


@st.cache_resource(show_spinner=False)
def once() -> threading.Thread:
    """Make what the app creates private (umask 077, DP100_HOME 0700), own the scoring servers it starts, start
    the start-up work (once per process) and return its thread."""
    from dp100 import paths
    from sim import _owner

    paths.keep_private()  # before any page, kernel or server writes a file (ensure_home closes the folder)
    _owner.claim()  # the scoring servers started from the app, its kernels and their jobs stop with it
    thread = threading.Thread(target=_guarded, name="dp100-startup", daemon=True)
    thread.start()
    return thread


def _warm_checks() -> None:
    try:
        from labs import grading

        grading.warm_up()
    except Exception:  # the first Check then imports what it needs itself
        log.exception("warming up the lab checks failed")


@st.cache_resource(show_spinner=False)
def checks_warmed() -> threading.Thread:
    """Import what lab checks use (MLflow) in the background, once per process. Called when a lab opens: the
    learner reads and runs code before the first Check, which then does not wait for the imports."""
    thread = threading.Thread(target=_warm_checks, name="dp100-checks-warm-up", daemon=True)
    thread.start()
    return thread
