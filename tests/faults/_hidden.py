"""A lab kernel whose sandbox hides DP100_HOME (what the hidden-home probes run their cells in)."""

from __future__ import annotations

import contextlib

from labs import sandbox
from labs.kernel import LabKernel, Limits
from labs.sandbox.detect import HIDE_HOME_ENV


@contextlib.contextmanager
def hidden_kernel_in(monkeypatch, folder):
    """Start a hidden-home kernel working in `folder` (made if missing); shut it down at the end."""
    sandbox.detect.forget()
    monkeypatch.setenv(HIDE_HOME_ENV, "1")
    folder.mkdir(parents=True, exist_ok=True)
    kernel = LabKernel(folder, Limits(cell_seconds=300, max_processes=16, disk_mb=256))
    kernel.start(timeout=120)
    try:
        yield kernel
    finally:
        kernel.shutdown()
        sandbox.detect.forget()
