"""Start an IPython kernel for a lab session with resource limits applied to its own process.

Run as `python -m labs._launcher --mem-mb N --nproc N -f CONNECTION_FILE`. The limits are set here,
before the kernel imports anything, so they bind the kernel and every process it starts. The simulator is
activated (when it is installed) so `from azureml.core import Workspace` works in the first cell.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys


def _set_limit(kind: int, value: int) -> None:
    # Never raise a hard limit we were given; only lower it.
    soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, hard if hard != resource.RLIM_INFINITY else resource.RLIM_INFINITY))


def apply_limits(mem_mb: int, nproc: int) -> None:
    """Limit the address space (bytes) and the number of processes of this process and its children."""
    if mem_mb > 0:
        _set_limit(resource.RLIMIT_AS, mem_mb * 1024 * 1024)
    if nproc > 0:
        # RLIMIT_NPROC counts all processes of the user, so allow what already runs plus `nproc`.
        # (root ignores it; the engine's watchdog enforces the count for every user.)
        running = sum(1 for name in os.listdir("/proc") if name.isdigit())
        _set_limit(resource.RLIMIT_NPROC, running + nproc)


def activate_simulator() -> None:
    """Activate the simulator if it is importable; a lab kernel still starts without it."""
    try:
        import sim

        sim.activate()
    except Exception as exc:  # noqa: BLE001 - any failure only means "no simulator"
        print(f"[lab] simulator not active: {exc}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="labs._launcher")
    parser.add_argument("--mem-mb", type=int, default=0)
    parser.add_argument("--nproc", type=int, default=0)
    known, rest = parser.parse_known_args(argv)
    apply_limits(known.mem_mb, known.nproc)
    activate_simulator()
    sys.path.insert(0, os.getcwd())  # like `python -m ipykernel_launcher`: modules in the lab folder import
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=rest)


if __name__ == "__main__":
    main()
