"""A kernel's sandbox when something else starts the kernel: JupyterLab's kernel specs run
`python -m labs._launcher --sandbox ...`, which lands here.

This process stays the parent of the sandboxed kernel, outside its walls and its cgroup: it waits for the
kernel, watches the lab folder's disk quota meanwhile, and when the kernel ends (shut down, restarted, killed)
it stops everything left in the sandbox and removes its cgroup. Jupyter interrupts a kernel by signalling its
process group: this process ignores SIGINT (the kernel gets it), and passes SIGTERM on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from labs.sandbox.box import Sandbox, SandboxLimits
from labs.sandbox.detect import Policy
from labs.sandbox.quota import disk_use, over_quota, quota_mb

TASKS_PER_PROCESS = 8  # as labs.kernel: the pids ceiling counts threads too
WATCH_SECONDS = 2.0


def supervise(mem_mb: int, nproc: int, launcher_args: list[str]) -> int:
    """Start `python -m labs._launcher <launcher_args>` in a sandbox of the current folder; return its exit code.

    Args:
        mem_mb: the memory of the kernel (its RLIMIT_AS) and of the sandbox as a whole.
        nproc: the processes the kernel may run.
        launcher_args: the launcher's other arguments (`-f <connection file>` and kernel options).
    """
    from dp100 import paths
    from labs.kernel_env import kernel_files, shared_folders

    folder, disk_mb = Path.cwd(), quota_mb()
    # Jupyter's server reaches these kernels over TCP on 127.0.0.1: they keep the host's network in any case.
    policy = replace(Policy.from_env(), own_network=False)
    box = Sandbox(folder, paths.home(), SandboxLimits(mem_mb, max(nproc, 1) * TASKS_PER_PROCESS),
                  kernel_files=(*kernel_files(), *_connection_folder(launcher_args)), shared=shared_folders(),
                  policy=policy)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inner = [sys.executable, "-m", "labs._launcher", "--mem-mb", str(mem_mb), "--fsize-mb", str(disk_mb),
             "--nproc", str(0 if box.found.cgroup else nproc), *launcher_args]
    command = box.command(inner)  # makes the cgroup, so the inner --nproc above is decided after it
    proc = subprocess.Popen(command, env={**os.environ, **box.env()})
    signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    try:
        code = _wait(proc, folder, disk_mb)
    finally:
        box.close()
    return code if code >= 0 else 128 - code


def _wait(proc: subprocess.Popen, folder: Path, disk_mb: int) -> int:
    baseline = disk_use(folder) if disk_mb > 0 else 0
    while True:
        try:
            return proc.wait(timeout=WATCH_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        if over_quota(folder, disk_mb, baseline):
            print(f"[lab] The lab folder {folder} holds more than its quota of {disk_mb} MB: the kernel was "
                  "stopped. Delete files you no longer need, then restart the kernel.", file=sys.stderr, flush=True)
            proc.kill()


def _connection_folder(launcher_args: list[str]) -> tuple[Path, ...]:
    """The folder of the kernel's connection file (`-f <file>`), which stays visible when DP100_HOME is hidden."""
    for flag in ("-f", "--f"):
        if flag in launcher_args[:-1]:
            return (Path(launcher_args[launcher_args.index(flag) + 1]).resolve().parent,)
    return ()
