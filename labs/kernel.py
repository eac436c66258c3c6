"""A lab session's Jupyter kernel: start it, run cells with limits, restart it, shut it down cleanly.

The kernel is a real IPython kernel (ipykernel, driven through jupyter_client) started in the lab folder
with the simulator active, so notebook habits work: `%%writefile`, variables shared across cells, plots.
It runs in a sandbox (labs.sandbox: bubblewrap and a cgroup, where the machine has them), which holds
everything the kernel starts and is torn down with it.
Limits: wall time per cell (interrupt, then restart if the cell ignores the interrupt), address space and file
size of each process (hard RLIMIT_AS and RLIMIT_FSIZE, set by `labs._launcher`), memory and tasks of the sandbox
as a whole (its cgroup), the number of processes (a watchdog counts the cgroup's, or reads /proc without one),
and the lab folder's disk use (the same watchdog). Hitting a limit gives a clear message and a fresh kernel; it
never raises into the caller.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from dp100 import paths
from labs.kernel_env import (  # noqa: F401 - their old home, still used
    FOLLOWED_ENV,
    followed_env,
    ipython_dir,
    kernel_bin_dir,
    kernel_env,
    kernel_files,
    shared_folders,
    socket_dir,
)
from labs.sandbox import Sandbox, SandboxLimits
from labs.sandbox.quota import disk_use, largest_file, over_quota, quota_mb

DEFAULT_CELL_SECONDS = 120.0
DEFAULT_MEMORY_MB = 4096
DEFAULT_MAX_PROCESSES = 64
TASKS_PER_PROCESS = 8  # the cgroup's pids ceiling counts threads too: room for a few threads per process
DISK_CHECK_SECONDS = 2.0  # how often the watchdog measures the lab folder while a cell runs
INTERRUPT_GRACE_SECONDS = 3.0
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class Limits:
    """Resource limits of one lab kernel."""

    cell_seconds: float = DEFAULT_CELL_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB
    max_processes: int = DEFAULT_MAX_PROCESSES
    disk_mb: int = field(default_factory=quota_mb)  # the lab folder's quota (DP100_LAB_DISK_MB; 0: none)

    def sandbox_limits(self) -> SandboxLimits:
        """The ceilings of the kernel's sandbox as a whole (all its processes together)."""
        return SandboxLimits(memory_mb=self.memory_mb, max_tasks=self.max_processes * TASKS_PER_PROCESS)


@dataclass
class CellResult:
    """What running one cell gave.

    Attributes:
        status: "ok", "error" (the code raised), or the limit that stopped it: "timeout", "memory",
            "processes", "died" (the kernel process ended).
        outputs: in order; each a dict with `type` "stream" (`name`, `text`), "display" (`data`: mime ->
            content, e.g. text/plain, text/html, image/png as base64) or "error" (`ename`, `evalue`,
            `traceback` as plain text lines).
        message: a sentence for the learner when a limit was hit (empty otherwise).
        restarted: True when the kernel was restarted after this cell (variables are gone).
        execution_count: the kernel's counter for this cell.
        seconds: wall time of the cell.
    """

    status: str
    outputs: list[dict] = field(default_factory=list)
    message: str = ""
    restarted: bool = False
    execution_count: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def stdout(self) -> str:
        return "".join(o["text"] for o in self.outputs if o["type"] == "stream" and o["name"] == "stdout")

    @property
    def stderr(self) -> str:
        return "".join(o["text"] for o in self.outputs if o["type"] == "stream" and o["name"] == "stderr")

    @property
    def error(self) -> dict | None:
        return next((o for o in self.outputs if o["type"] == "error"), None)

    def text(self) -> str:
        """Every textual output joined (stdout, stderr, text/plain results, error lines)."""
        parts = []
        for out in self.outputs:
            if out["type"] == "stream":
                parts.append(out["text"])
            elif out["type"] == "display":
                parts.append(out["data"].get("text/plain", ""))
            elif out["type"] == "error":
                parts.append("\n".join(out["traceback"]) or f"{out['ename']}: {out['evalue']}")
        return "".join(p if p.endswith("\n") else p + "\n" for p in parts if p)


def _children(pid: int) -> list[int]:
    """Every live descendant of `pid` (read from /proc; zombies excluded)."""
    parents: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents.setdefault(int(fields[1]), []).append(int(name))
    found, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        found.extend(kids)
        todo.extend(kids)
    return found


def pid_alive(pid: int) -> bool:
    """True when `pid` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class LabKernel:
    """One IPython kernel for one learner's lab, started in `folder`.

    Args:
        folder: the lab working folder (the kernel's current directory).
        limits: resource limits; defaults are `Limits()`.
        env: extra environment variables.
    """

    def __init__(self, folder: Path, limits: Limits | None = None, env: dict[str, str] | None = None):
        self.folder = Path(folder)
        self.limits = limits or Limits()
        self._extra_env = env or {}
        self._km: KernelManager | None = None
        self._kc = None
        self.pid: int | None = None
        self._pgid: int | None = None
        self.log_path: Path | None = None
        self._followed: dict[str, str] = {}
        self.sandbox: Sandbox | None = None
        self._disk_baseline = 0  # bytes in the lab folder when the running cell started

    # -- life cycle ----------------------------------------------------------------------------------
    def start(self, timeout: float = 30.0) -> None:
        """Start the kernel and wait until it answers."""
        self.folder.mkdir(parents=True, exist_ok=True)
        runtime = paths.subdir("kernels", "run")
        token = uuid.uuid4().hex[:12]
        # IPC sockets (see socket_dir): no TCP port is opened and nothing lands in the lab folder.
        # No kernel-spec folders to search (the command is ours, below): jupyter_client would otherwise look in,
        # and create, ~/.ipython in this process.
        km = KernelManager(transport="ipc", ip=str(socket_dir() / f"ipc-{token}"),
                           connection_file=str(runtime / f"kernel-{token}.json"),
                           kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
        self.sandbox = Sandbox(self.folder, paths.home(), self.limits.sandbox_limits(), kernel_files=kernel_files(),
                               shared=shared_folders())
        self.sandbox.prepare()  # before the launcher's command: whether there is a cgroup decides its --nproc
        km.format_kernel_cmd = lambda extra_arguments=None: self.sandbox.command(  # type: ignore
            self._command(km.connection_file))
        self.log_path = runtime / f"kernel-{token}.log"
        env = kernel_env({**self.sandbox.env(), **self._extra_env})
        with open(self.log_path, "ab") as log:
            try:
                km.start_kernel(cwd=str(self.folder), env=env, stdout=log, stderr=log)
            except Exception:
                self.sandbox.close()
                raise
        self._km = km
        self.pid = km.provisioner.process.pid if km.provisioner else None
        self._pgid = getattr(km.provisioner, "pgid", None)
        self._kc = km.blocking_client()
        self._kc.start_channels()
        self._followed = followed_env(kernel_env(self._extra_env))
        try:
            self._kc.wait_for_ready(timeout=timeout)
        except RuntimeError:
            self.shutdown()
            raise

    def _command(self, connection_file: str) -> list[str]:
        # No input history on disk: a secret typed in a cell must not stay in a history file after the lab.
        # RLIMIT_NPROC only where the sandbox has no cgroup to count processes (it counts all of the user's).
        nproc = 0 if self.sandbox and self.sandbox.cgroup else self.limits.max_processes
        return [sys.executable, "-m", "labs._launcher", "--mem-mb", str(self.limits.memory_mb), "--nproc", str(nproc),
                "--fsize-mb", str(self.limits.disk_mb), "-f", connection_file, "--HistoryManager.enabled=False"]

    @property
    def alive(self) -> bool:
        return bool(self._km and self._km.is_alive())

    def restart(self) -> None:
        """Replace the kernel by a fresh one (all variables are lost)."""
        self.shutdown()
        self.start()

    def shutdown(self) -> None:
        """Stop the kernel and every process it started. Safe to call twice."""
        km, kc = self._km, self._kc
        self._km = self._kc = None
        if km is None:
            return
        leftovers = _children(self.pid) if self.pid else []
        if kc is not None:
            kc.stop_channels()
        try:
            km.shutdown_kernel(now=not km.is_alive(), restart=False)
        except Exception:  # noqa: BLE001 - fall through to the hard kill below
            pass
        if km.has_kernel:
            try:
                km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001
                pass
        self._kill_leftovers(leftovers)
        if self.sandbox is not None:
            self.sandbox.close()  # everything in it, a double-forked daemon included
        try:
            km.cleanup_resources()
        except Exception:  # noqa: BLE001 - files already gone
            pass
        if self.log_path:
            self.log_path.unlink(missing_ok=True)

    def _kill_leftovers(self, pids: list[int]) -> None:
        # Learner code may start processes (and new sessions); none may outlive the kernel.
        if self._pgid:
            try:
                os.killpg(self._pgid, signal.SIGKILL)
            except OSError:
                pass
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in pids:  # reap our own children, if any
            try:
                os.waitpid(pid, os.WNOHANG)
            except OSError:
                pass

    # -- running code --------------------------------------------------------------------------------
    def execute(self, code: str, timeout: float | None = None, into: CellResult | None = None) -> CellResult:
        """Run one cell and collect its outputs; never raises for what the cell does.

        Args:
            code: the cell's source.
            timeout: wall-time limit in seconds (default: the session's `cell_seconds`).
            into: a result to fill as outputs arrive (another thread may show them while the cell runs, as a
                notebook streams them); a new one by default. It is also what this returns.
        """
        if not self.alive:
            self.restart()
        limit = self.limits.cell_seconds if timeout is None else timeout
        self._follow_env()
        if self.sandbox is not None and self.sandbox.policy.hide_home:
            self.sandbox.keep_service()  # the kernel reaches it only through its socket, and it stops when idle
        self._disk_baseline = disk_use(self.folder) if self.limits.disk_mb > 0 else 0
        started = time.monotonic()
        msg_id = self._kc.execute(code, store_history=True, allow_stdin=False)
        result = into if into is not None else CellResult(status="ok")
        outcome = self._collect(msg_id, result, started + limit)
        result.seconds = time.monotonic() - started
        if outcome is None and over_quota(self.folder, self.limits.disk_mb, self._disk_baseline):
            outcome = "disk"  # a cell that filled the folder faster than the watchdog looked
        if outcome is not None:
            self._handle_limit(outcome, result, limit)
        elif _is_memory_error(result):
            result.status = "memory"
            result.message = (f"The cell needed more memory than the lab allows ({self.limits.memory_mb} MB). "
                              "The kernel was restarted; work with a smaller piece of data.")
            self._restart_into(result)
        elif misplaced := _misplaced_cell_magic(result):
            result.message = misplaced
        return result

    def _follow_env(self) -> None:
        wanted = followed_env({**os.environ, **self._extra_env})
        if wanted == self._followed:
            return
        # The kernel runs requests in order, so this silent cell has run before the learner's next one.
        self._kc.execute(f"import os as _o; _o.environ.update({wanted!r}); del _o", silent=True,
                         store_history=False, allow_stdin=False)
        self._followed = wanted

    def _collect(self, msg_id: str, result: CellResult, deadline: float) -> str | None:
        """Read iopub until the cell is idle; returns the name of a hit limit, or None."""
        next_watch, next_disk = 0.0, time.monotonic() + DISK_CHECK_SECONDS
        while True:
            now = time.monotonic()
            if now >= deadline:
                return "timeout"
            if now >= next_watch:
                next_watch = now + 0.5
                if not self.alive:
                    return "died"
                if self._learner_processes() > self.limits.max_processes:
                    return "processes"
            if now >= next_disk:
                next_disk = now + DISK_CHECK_SECONDS
                if over_quota(self.folder, self.limits.disk_mb, self._disk_baseline):
                    return "disk"
            try:
                msg = self._kc.get_iopub_msg(timeout=min(0.25, max(deadline - now, 0.01)))
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if _absorb(msg, result):
                return None

    def _handle_limit(self, outcome: str, result: CellResult, limit: float) -> None:
        result.status = outcome
        if outcome == "timeout":
            result.message = (f"The cell ran longer than the lab's limit of {limit:g} s and was stopped. "
                              "Look for a loop that never ends or a step that waits for something.")
            if self._interrupt():
                result.message += " The kernel was interrupted; your variables are kept."
                return
            result.message += " It did not stop when interrupted, so the kernel was restarted."
        elif outcome == "disk":
            result.message = self._disk_message()
        elif outcome == "processes":
            result.message = (f"The cell started more than {self.limits.max_processes} processes, the lab's limit. "
                              "The kernel was restarted.")
        else:
            result.message = ("The kernel stopped while running the cell (it may have run out of memory, "
                              f"limit {self.limits.memory_mb} MB). A fresh kernel was started; run the earlier "
                              "cells again.")
        self._restart_into(result)

    def _learner_processes(self) -> int:
        """How many processes the learner's code runs now (the sandbox's own and the kernel not counted)."""
        inside = self.sandbox.processes() if self.sandbox else None
        if inside is None:
            inside = set(_children(self.pid)) if self.pid else set()
        inside.discard(self.pid)
        # The sandbox's own: bwrap, its init in an own PID namespace, the service's forwarder in an own network.
        ours = self.sandbox.own_processes() if self.sandbox else 0
        return max(len(inside) - ours, 0)

    def _disk_message(self) -> str:
        biggest = largest_file(self.folder)
        where = f" The biggest file is {biggest[0]} ({biggest[1] / 2**20:.0f} MB)." if biggest else ""
        return (f"The lab folder holds more than its quota of {self.limits.disk_mb} MB, so the kernel was stopped and "
                f"restarted.{where} Delete files you no longer need (os.remove in a cell), then run the cell again.")

    def interrupt(self) -> None:
        """Ask a running cell to stop (a KeyboardInterrupt in the kernel) without waiting for it."""
        if self._km is not None and self._km.has_kernel:
            self._km.interrupt_kernel()

    def _interrupt(self) -> bool:
        """Send an interrupt and wait for the kernel to become idle; True if it did."""
        self._km.interrupt_kernel()
        deadline = time.monotonic() + INTERRUPT_GRACE_SECONDS
        while time.monotonic() < deadline:
            try:
                msg = self._kc.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return True
        return False

    def _restart_into(self, result: CellResult) -> None:
        try:
            self.restart()
            result.restarted = True
        except Exception as exc:  # noqa: BLE001 - report, never raise into the app
            result.message += f" Restarting the kernel failed too: {exc}."


def _absorb(msg: dict, result: CellResult) -> bool:
    """Add one iopub message to `result`; True when the cell is finished."""
    kind, content = msg["msg_type"], msg["content"]
    if kind == "status":
        return content["execution_state"] == "idle"
    if kind == "stream":
        last = result.outputs[-1] if result.outputs else None
        if last and last["type"] == "stream" and last["name"] == content["name"]:
            last["text"] += content["text"]
        else:
            result.outputs.append({"type": "stream", "name": content["name"], "text": content["text"]})
    elif kind in ("execute_result", "display_data"):
        result.outputs.append({"type": "display", "data": dict(content["data"])})
        if kind == "execute_result":
            result.execution_count = content.get("execution_count")
    elif kind == "error":
        result.status = "error"
        result.outputs.append({"type": "error", "ename": content["ename"], "evalue": content["evalue"],
                               "traceback": [_ANSI.sub("", line) for line in content["traceback"]]})
    elif kind == "execute_input":
        result.execution_count = content.get("execution_count")
    return False


# What IPython prints for a `%%magic` line below other code: it reads it as a line magic named `%%magic`.
_CELL_MAGIC_BELOW_CODE = re.compile(r"UsageError: Line magic function `%%(\w+)` not found")


def _misplaced_cell_magic(result: CellResult) -> str:
    """A sentence for a cell magic (`%%writefile`) written below other code, or "" when there is none."""
    found = _CELL_MAGIC_BELOW_CODE.search(result.text())
    if not found:
        return ""
    magic = f"%%{found.group(1)}"
    return (f"{magic} is a cell magic: it works only as the first line of a cell of its own. Run the code above "
            f"it first, then replace the editor's text with the {magic} cell and run that.")


def _is_memory_error(result: CellResult) -> bool:
    err = result.error
    return bool(err and err["ename"] == "MemoryError")
