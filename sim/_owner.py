"""Which process a scoring server belongs to, so no server outlives the program that runs the simulator.

The rule: a scoring server is tied to its *owner*, the long-lived process that hosts the learner's work, and
exits within a second of the owner's end. The app claims ownership when it starts (`claim`); a process that
starts lab kernels hands its owner - or, with none, itself - to them (`for_kernels`), so a test run or a script
driving labs owns their servers too. Everything below inherits the owner through `OWNER_ENV`: a lab kernel, the
`az` shim and job runners it starts. So closing a lab keeps a deployed service running (as a notebook's end does
not delete an Azure endpoint), while stopping the app stops every server; a read of a service whose server has
gone starts it again. A server started with no owner at all (a script or `az` run on its own in a terminal)
lives on like a cloud service, until it is deleted, its workspace is deleted or `dp100 reset` runs. (When the
simulated cloud becomes a process of its own, it will be the owner.)

An owner is written as `<pid>:<start time>` (the start time from /proc, where there is one), so a recycled pid
is never taken for the owner.
"""

from __future__ import annotations

import contextlib
import contextvars
import os

OWNER_ENV = "DP100_SIM_OWNER"
# In the simulated Azure's service: the process that sent the request being answered (its pid from the Unix
# socket's peer credentials, in the service's own PID namespace even for a sandboxed kernel). Per server thread.
_request_peer: contextvars.ContextVar[int | None] = contextvars.ContextVar("request_peer", default=None)


def _start_time(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[19]  # field 22: start time in clock ticks
    except (OSError, IndexError):
        return ""


def token(pid: int | None = None) -> str:
    """The owner token of a process (default: this one)."""
    pid = os.getpid() if pid is None else pid
    return f"{pid}:{_start_time(pid)}"


def caller_token() -> str:
    """The owner token of the process a run or file is made for: the requesting process in the service (when the
    socket told its pid), else this process."""
    peer = _request_peer.get()
    return token(peer) if peer else token()


@contextlib.contextmanager
def answering(peer_pid: int | None):
    """Make the calls inside the block count as made for `peer_pid` (`caller_token`); None changes nothing."""
    marker = _request_peer.set(peer_pid if isinstance(peer_pid, int) and peer_pid > 0 else None)
    try:
        yield
    finally:
        _request_peer.reset(marker)


def alive(owner: str | None) -> bool:
    """True while the process named by an owner token runs (a malformed token counts as alive: never kill on
    a doubt)."""
    pid_text, _, started = (owner or "").partition(":")
    if not pid_text.isdigit():
        return True
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    now = _start_time(pid)
    return not (started and now and now != started) and not _zombie(pid)


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def current() -> str | None:
    """The owner that servers started from this process belong to (the inherited one, while it runs), or None."""
    inherited = os.environ.get(OWNER_ENV, "")
    if inherited.partition(":")[0].isdigit() and alive(inherited):
        return inherited
    return None


def claim() -> None:
    """Make this process the owner of every server started from it or from what it starts (the app does)."""
    os.environ[OWNER_ENV] = token()


def for_kernels() -> str:
    """The owner to hand to lab kernels this process starts: the current one, else this process."""
    return current() or token()
