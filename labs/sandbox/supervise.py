"""A kernel's sandbox when something else starts the kernel: JupyterLab's kernel specs run
`python -m labs._launcher --sandbox ...`, which lands here, and its terminals run their shell through
`python -m labs.sandbox.supervise -- bash ...`.

This process stays the parent of what it sandboxes, outside its walls and its cgroup: it waits for the kernel
(or shell), watches the folder's disk quota meanwhile, and when the kernel ends (shut down, restarted, killed)
it stops everything left in the sandbox and removes its cgroup. Jupyter interrupts a kernel by signalling its
process group: this process ignores SIGINT (the kernel gets it), and passes SIGTERM and SIGHUP on. Killed
outright, it cannot clean up; the next kernel's start empties the groups of owners that are gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from labs.sandbox import quota
from labs.sandbox.box import Sandbox, SandboxLimits
from labs.sandbox.detect import Policy
from labs.sandbox.quota import quota_mb

TASKS_PER_PROCESS = 8  # as labs.kernel: the pids ceiling counts threads too
WATCH_SECONDS = 2.0


def supervise(mem_mb: int, nproc: int, launcher_args: list[str]) -> int:
    """Start `python -m labs._launcher <launcher_args>` in a sandbox of the current folder; return its exit code.

    Args:
        mem_mb: the memory of the kernel (its RLIMIT_AS) and of the sandbox as a whole.
        nproc: the processes the kernel may run.
        launcher_args: the launcher's other arguments (`-f <connection file>` and kernel options).
    """
    connection = _connection_file(launcher_args)
    folders = (connection.parent,) if connection else ()
    box = _sandbox(mem_mb, nproc, folders, own_network_ok=_ipc_channels(connection))
    disk_mb = quota_mb()
    inner = [sys.executable, "-m", "labs._launcher", "--mem-mb", str(mem_mb), "--fsize-mb", str(disk_mb),
             "--nproc", str(0 if box.cgroup else nproc), *launcher_args]  # with a cgroup, its pids ceiling counts
    return keep(box, inner, disk_mb)


def _sandbox(mem_mb: int, nproc: int, kernel_files: tuple[Path, ...] = (), own_network_ok: bool = False,
             readable: tuple[Path, ...] = ()) -> Sandbox:
    """A prepared sandbox of the current folder (its cgroup made); its own network only when `own_network_ok`;
    `readable` files under DP100_HOME stay readable when the home is hidden."""
    from dp100 import paths
    from labs import kernel_env

    # JupyterLab's kernels talk to its server over Unix sockets (labs._jupyter_kernels), so they can have their own
    # network like the app's; a kernel started over TCP by some other Jupyter keeps the host's (its channels need it).
    policy = Policy.from_env()
    if not own_network_ok:
        policy = replace(policy, own_network=False)
    box = Sandbox(Path.cwd(), paths.home(), SandboxLimits(mem_mb, max(nproc, 1) * TASKS_PER_PROCESS),
                  kernel_files=(*kernel_env.kernel_files(), *kernel_files), shared=kernel_env.shared_folders(),
                  policy=policy, readable=readable)
    box.prepare()
    return box


def _ipc_channels(connection: Path | None) -> bool:
    """True when the kernel's connection file says transport "ipc" (no TCP port between kernel and server)."""
    import json

    try:
        return connection is not None and json.loads(connection.read_text()).get("transport") == "ipc"
    except (OSError, ValueError):
        return False


def keep(box: Sandbox, command: list[str], disk_mb: int) -> int:
    """Run `command` in `box` as this process's child, wait for it, then stop what is left in the box.

    Returns the command's exit code (128 + N for a signal N, as a shell says).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    env = {**os.environ, **box.env()}
    env.pop("JUPYTER_TOKEN", None)  # the lab server's token: what runs in the box has no use for it
    proc = subprocess.Popen(box.command(command), env=env)
    for ending in (signal.SIGTERM, signal.SIGHUP):  # Jupyter stopping a kernel; a terminal's window closed
        signal.signal(ending, lambda *_: proc.terminate())
    try:
        code = quota.watch(proc, box.folder, disk_mb, WATCH_SECONDS)
        if code is None:
            print(f"[lab] The folder {box.folder} holds more than its quota of {disk_mb} MB: what ran in it was "
                  "stopped. Delete files you no longer need, then start it again.", file=sys.stderr, flush=True)
            code = proc.returncode
    finally:
        box.close()
    return code if code >= 0 else 128 - code


def _connection_file(launcher_args: list[str]) -> Path | None:
    """The kernel's connection file (`-f <file>`); its folder stays visible when DP100_HOME is hidden."""
    for flag in ("-f", "--f"):
        if flag in launcher_args[:-1]:
            return Path(launcher_args[launcher_args.index(flag) + 1]).resolve()
    return None


def main(argv: list[str] | None = None) -> int:
    """`python -m labs.sandbox.supervise [--mem-mb N] [--nproc N] [--readable FILE] -- COMMAND...`: COMMAND in a
    sandbox of the current folder (JupyterLab's terminals start their shell so)."""
    import argparse

    parser = argparse.ArgumentParser(prog="labs.sandbox.supervise")
    parser.add_argument("--mem-mb", type=int, default=4096)
    parser.add_argument("--nproc", type=int, default=64)
    parser.add_argument("--readable", action="append", default=[], type=Path, metavar="FILE",
                        help="a file under DP100_HOME the command may read when the home is hidden (the shell's rc "
                             "file); may be given more than once")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --, e.g. -- bash -i")
    readable = tuple(path for path in args.readable if path.exists())  # a missing rc file is skipped by the shell too
    # A terminal talks to its server over its pty, so it can have its own network, like a kernel: a server started
    # in it is reachable from no one outside.
    box = _sandbox(args.mem_mb, args.nproc, own_network_ok=True, readable=readable)
    return keep(box, command, quota_mb())


if __name__ == "__main__":
    sys.exit(main())
