"""The environment of a lab kernel and its own folders under DP100_HOME (which its sandbox keeps visible).

Split from labs.kernel, which re-exports these names.
"""

from __future__ import annotations

import base64
import json
import os
import stat
import sys
from pathlib import Path

from dp100 import paths

# The simulator's realistic-delay settings. The app changes them in its own environment when the learner
# flips the setting; a running kernel takes the new values before its next cell, so no restart is needed.
FOLLOWED_ENV = ("DP100_SIM_COMPUTE_DELAY", "DP100_SIM_RUN_DELAY", "DP100_SIM_DEPLOY_DELAY")


def kernel_bin_dir() -> Path:
    """A folder put first on the kernel's PATH: it holds the `az` shim (lab sessions only)."""
    folder = paths.subdir("kernels", "bin")
    shim = folder / "az"
    text = ('#!/bin/sh\n# The simulated Azure CLI, available inside lab sessions.\n'
            f'exec "{sys.executable}" -m sim az "$@"\n')
    if not shim.exists() or shim.read_text() != text:
        shim.write_text(text)
        shim.chmod(shim.stat().st_mode | stat.S_IXUSR)  # the user's own, like everything under DP100_HOME
    return folder


def ipython_dir() -> Path:
    """IPython's folder for lab kernels, inside DP100_HOME (not ~/.ipython): nothing of a lab outlives `dp100
    reset`. Its startup README is written here, because IPython would copy its own with the package's 0644 mode."""
    folder = paths.subdir("kernels", "ipython")
    startup = folder / "profile_default" / "startup"
    if not (startup / "README").exists():
        startup.mkdir(parents=True, exist_ok=True)
        (startup / "README").write_text("Lab kernels run no startup files; this folder is left empty.\n")
    return folder


IPC_LONGEST_NAME = "ipc-0123456789ab-99"  # `ipc-<token>` plus the "-<n>" jupyter_client appends per channel


def socket_dir() -> Path:
    """Where lab kernels' IPC sockets go: `kernels/run` under DP100_HOME, unless a socket's path there would pass
    AF_UNIX's limit (a deep DP100_HOME, or a test worker's temporary folder); then this home's own folder in the
    private runtime folder."""
    preferred = paths.subdir("kernels", "run")
    if len(str(preferred / IPC_LONGEST_NAME).encode()) <= paths.MAX_SOCKET_PATH:
        return preferred
    folder = paths.runtime_dir() / f"kernels-{paths.home_digest()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def kernel_files() -> tuple[Path, ...]:
    """The kernel's own folders, which stay visible when the sandbox hides the rest of DP100_HOME: connection
    files, sockets, the `az` shim, IPython's and matplotlib's folders, and the metric journals the simulated Azure
    service makes for the kernel's runs (`sim.cloud.runs.journal.open_external`)."""
    from sim.cloud.runs.journal import external_root

    run = paths.subdir("kernels", "run")
    sockets = socket_dir()
    return (run, *([sockets] if sockets != run else []), kernel_bin_dir(), ipython_dir(),
            paths.subdir("kernels", "matplotlib"), external_root())


def shared_folders() -> tuple[Path, ...]:
    """Folders outside DP100_HOME that kernels write to: the MLflow template store when one is shared (the test
    suite's), and the folder of coverage's data files while `make coverage` measures kernels."""
    from sim.cloud._mlflow_store import TEMPLATE_DIR_ENV

    found = [os.environ.get(TEMPLATE_DIR_ENV, ""), _coverage_data_folder()]
    return tuple(Path(f) for f in found if f and Path(f).is_dir())


def _coverage_data_folder() -> str:
    # coverage's subprocess patch hands its settings on in this variable (base64 JSON, data_file absolute).
    config = os.environ.get("COVERAGE_PROCESS_CONFIG", "")
    if not config:
        return ""
    try:
        data_file = json.loads(base64.b64decode(config)).get("data_file", "")
    except ValueError:
        return ""
    return str(Path(data_file).parent) if data_file else ""


def kernel_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a lab kernel: DP100_HOME, no telemetry, a headless plot backend, `az` on PATH."""
    env = dict(os.environ)
    env["DP100_HOME"] = str(paths.ensure_home())
    env["MLFLOW_DISABLE_TELEMETRY"] = "true"
    env["DO_NOT_TRACK"] = "true"
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env["PATH"] = f"{kernel_bin_dir()}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    # Fewer malloc arenas and BLAS threads: each reserves address space that counts against RLIMIT_AS.
    env.setdefault("MALLOC_ARENA_MAX", "2")
    env.setdefault("OPENBLAS_NUM_THREADS", "2")
    env.pop("JPY_PARENT_PID", None)
    from sim.service.launcher import NOT_INHERITED

    for name in NOT_INHERITED:  # a kernel is no job run, whatever process starts it (MLflow would join that run)
        env.pop(name, None)
    env["IPYTHONDIR"] = str(ipython_dir())
    # The home folder is read-only in the sandbox: matplotlib keeps its font cache here instead (or it would
    # warn in the first plotting cell and rebuild the cache in every kernel).
    env["MPLCONFIGDIR"] = str(paths.subdir("kernels", "matplotlib"))
    # Scoring servers deployed from the kernel belong to the process that hosts it (the app), not to the kernel:
    # they stop with the app (sim._owner). Where the kernel's sandbox has a cgroup they also stop with the lab, as
    # everything in it does; the next read of the service starts its server again.
    from sim import _owner

    env[_owner.OWNER_ENV] = _owner.for_kernels()
    env.update(extra or {})
    return env


def followed_env(env) -> dict[str, str]:
    return {name: env.get(name, "0") for name in FOLLOWED_ENV}
