"""Run JupyterLab for `labs.jupyter`, ending it when the process that owns it ends.

Run as `python -m labs._jupyter_server --owner PID -- <JupyterLab arguments>` (started by `labs.jupyter`,
never by hand). With an owner (the app's process), a watchdog thread stops the server once the owner is gone,
even when the owner was killed and had no chance to stop it: the server shuts its kernels and terminals down on
SIGTERM, and whatever is left after a grace period is killed. Owner 0 means no owner: the server runs until
`dp100 lab jupyter stop`.

With DP100_HOME hidden from kernels (the default where bubblewrap works), a kernel reaches the simulated Azure only
through the service's socket and cannot start the service itself; the app's kernels are kept by the app before each
cell, but nothing outside sees a JupyterLab cell start. So while this server has sandboxed kernels or terminals, a
thread here keeps the service running (started again if it stopped, and pinged well within its idle time).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time

WATCH_SECONDS = 1.0
GRACE_SECONDS = 10.0
KEEP_SERVICE_SECONDS = 30.0  # at most; a third of the service's idle time when that is shorter
SANDBOXED = (b"labs.sandbox.supervise", b"--sandbox")  # command-line marks of a sandboxed kernel or terminal


def _alive(pid: int) -> bool:
    """True when `pid` runs and is not a zombie (read from /proc, so no signal is sent)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _watch_owner(owner: int) -> None:
    while _alive(owner):
        time.sleep(WATCH_SECONDS)
    # The server's own SIGTERM handler stops kernels and terminals cleanly; if it hangs, force it.
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    from labs.kernel import _children

    for pid in _children(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    os._exit(1)


def _own_scoring_servers(owner: int) -> None:
    """Scoring servers deployed from this server's kernels live as long as the server's owner, or as long as
    the server itself when it has none (sim._owner; kernels and their subprocesses inherit the variable)."""
    from sim import _owner

    os.environ[_owner.OWNER_ENV] = _owner.token(owner or os.getpid())


def keep_service_while_sandboxed() -> None:
    """Keep this home's simulated Azure service up while the server has sandboxed kernels or terminals (a thread's
    body: it returns at once when kernels see the home, since they can start the service themselves)."""
    from labs.sandbox.detect import Policy
    from sim.service import locations

    if not Policy.from_env().hide_home:
        return
    interval = min(KEEP_SERVICE_SECONDS, locations.idle_seconds() / 3)
    while True:
        time.sleep(interval)
        if sandboxed_children():
            touch_service()


def sandboxed_children() -> list[int]:
    """This server's processes that keep a kernel's or a terminal's sandbox."""
    from labs.kernel import _children

    found = []
    for pid in _children(os.getpid()):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                argv = fh.read().split(b"\0")
        except OSError:
            continue
        if any(mark in argv for mark in SANDBOXED):
            found.append(pid)
    return found


def touch_service() -> None:
    """Start the service if it stopped, and ping it (a request resets its idle time). A failure is logged: the next
    tick tries again, and a kernel's call meanwhile says the service is unreachable."""
    from sim.service import channel, launcher

    try:
        channel.control(launcher.ensure_running(), "GET", "/_sim/ping")
    except Exception as exc:  # noqa: BLE001 - the server must live on; the kernel's own call reports the cause
        print(f"[dp100] could not keep the simulated Azure service running: {exc}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="labs._jupyter_server")
    parser.add_argument("--owner", type=int, default=0)
    known, rest = parser.parse_known_args(argv)
    if rest[:1] == ["--"]:
        rest = rest[1:]
    _own_scoring_servers(known.owner)
    if known.owner:
        threading.Thread(target=_watch_owner, args=(known.owner,), name="owner-watch", daemon=True).start()
    threading.Thread(target=keep_service_while_sandboxed, name="service-keeper", daemon=True).start()
    # jsonschema checks the "iri" string format with rfc3987_syntax when it can import it, and that import
    # builds a grammar for seconds (most of the server's start-up on a busy machine). The server's event
    # schemas use no "iri" format, so it is left out here; jsonschema skips a format whose checker is missing.
    sys.modules.setdefault("rfc3987_syntax", None)
    from jupyterlab.labapp import LabApp

    LabApp.launch_instance(argv=rest)


if __name__ == "__main__":
    main(sys.argv[1:])
