"""Long work (a lab cell, grading a whole lab) runs in a background thread, so the page stays usable.

A job lives in the learner's session state under a key; `show_job` draws its state and polls while it
runs (a fragment that reruns itself every half second), then draws the result once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from ui.i18n import t

# Few threads: jobs wait on kernels and subprocesses, not on the CPU.
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dp100-job")


@dataclass
class Job:
    """A unit of background work, when it started, and what it has produced so far (`live`, if it shares any)."""

    future: Future
    started: float = field(default_factory=time.time)
    live: Any = None

    @property
    def running(self) -> bool:
        return not self.future.done()


def start(key: str, fn: Callable, *args, live: Any = None, **kwargs) -> Job:
    """Start `fn(*args, **kwargs)` in the background under `key` (a job already running is kept).

    `live` is an object the work fills as it goes (for example a cell's outputs), shown while it runs.
    """
    job = st.session_state.get(key)
    if isinstance(job, Job) and job.running:
        return job
    job = Job(_POOL.submit(fn, *args, **kwargs), live=live)
    st.session_state[key] = job
    return job


def finished(key: str, result: Any) -> Job:
    """Put a job that already ended with `result` under `key` (a result kept from an earlier session)."""
    future: Future = Future()
    future.set_result(result)
    job = st.session_state[key] = Job(future)
    return job


def show_job(key: str, render: Callable, running_text: str, render_live: Callable | None = None) -> None:
    """Draw a job: a live "running" line while it works (and `render_live(job.live)` under it, when given),
    then `render(result)` (or its error)."""
    job = st.session_state.get(key)
    if not isinstance(job, Job):
        return
    # Whether the page around this job was drawn while it ran: if so, the buttons and step marks on it
    # are stale once it ends, and the poll that sees the end redraws the page once.
    drawn_running = job.running

    @st.fragment(run_every=0.5 if drawn_running else None)
    def _view() -> None:
        current = st.session_state.get(key)
        if not isinstance(current, Job):
            return
        if current.running:
            # A bundled Material icon: the hourglass emoji is a box where no emoji font is installed.
            st.info(f"{running_text} ({time.time() - current.started:.0f} s)", icon=":material/hourglass_top:")
            if render_live is not None and current.live is not None:
                render_live(current.live)
            return
        error = current.future.exception()
        if error is not None:
            st.error(t("job.failed", error=f"{type(error).__name__}: {error}"))
        else:
            render(current.future.result())
        if drawn_running:  # it finished while polling: redraw the page once so marks and buttons match it
            st.rerun()

    _view()
