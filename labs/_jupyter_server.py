"""Run JupyterLab for `labs.jupyter`, ending it when the process that owns it ends.

Run as `python -m labs._jupyter_server --owner PID -- <JupyterLab arguments>` (started by `labs.jupyter`,
never by hand). With an owner (the app's process), a watchdog thread stops the server once the owner is gone,
even when the owner was killed and had no chance to stop it: the server shuts its kernels and terminals down on
SIGTERM, and whatever is left after a grace period is killed. Owner 0 means no owner: the server runs until
`dp100 lab jupyter stop`.
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="labs._jupyter_server")
    parser.add_argument("--owner", type=int, default=0)
    known, rest = parser.parse_known_args(argv)
    if rest[:1] == ["--"]:
        rest = rest[1:]
    _own_scoring_servers(known.owner)
    if known.owner:
        threading.Thread(target=_watch_owner, args=(known.owner,), name="owner-watch", daemon=True).start()
    # jsonschema checks the "iri" string format with rfc3987_syntax when it can import it, and that import
    # builds a grammar for seconds (most of the server's start-up on a busy machine). The server's event
    # schemas use no "iri" format, so it is left out here; jsonschema skips a format whose checker is missing.
    sys.modules.setdefault("rfc3987_syntax", None)
    from jupyterlab.labapp import LabApp

    LabApp.launch_instance(argv=rest)


if __name__ == "__main__":
    main(sys.argv[1:])
