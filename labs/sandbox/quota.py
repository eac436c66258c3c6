"""The lab folder's disk quota: how much it holds, checked by the kernel's watchdog while a cell runs.

A bubblewrap sandbox has no disk quota of its own (that needs filesystem quotas or a loop device), so two
cheaper walls stand in for one: the hard RLIMIT_FSIZE of the kernel (no single file grows past the quota:
the write fails with "File too large") and this size check, which stops the kernel when many files together
pass it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from dp100.settings import megabytes

QUOTA_ENV = "DP100_LAB_DISK_MB"
DEFAULT_QUOTA_MB = 2048


def quota_mb(env=None) -> int:
    """The lab folder quota in MB (DP100_LAB_DISK_MB, default 2048; 0 turns the check off)."""
    return megabytes(QUOTA_ENV, DEFAULT_QUOTA_MB, env, zero_means="no quota")


def disk_use(folder: Path, skip: Path | None = None) -> int:
    """Bytes the files under `folder` take on disk (allocated blocks, so a sparse file counts what it really
    uses); symbolic links are not followed, and the folder `skip` (a resolved path), when given, is left out."""
    total, todo = 0, [os.fspath(folder)]
    skipped = os.fspath(skip) if skip is not None else None
    while todo:
        try:
            entries = os.scandir(todo.pop())
        except OSError:
            continue  # not made yet, or deleted meanwhile
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if skipped is None or os.path.realpath(entry.path) != skipped:
                            todo.append(entry.path)
                    else:
                        total += entry.stat(follow_symlinks=False).st_blocks * 512
                except OSError:
                    continue  # deleted meanwhile
    return total


def over_quota(folder: Path, limit_mb: int, baseline: int = 0) -> int | None:
    """The folder's use in bytes when it is past `limit_mb` and above `baseline` (what it held before the cell:
    a cell that deletes files from a folder already over quota is let run), else None. A limit of 0: never."""
    if limit_mb <= 0:
        return None
    used = disk_use(folder)
    return used if used > limit_mb * 1024 * 1024 and used > baseline else None


def largest_file(folder: Path) -> tuple[str, int] | None:
    """The biggest file under `folder` as (path relative to it, bytes on disk), or None when it has none."""
    best: tuple[str, int] | None = None
    for path in folder.rglob("*"):
        try:
            if path.is_symlink() or not path.is_file():
                continue
            size = path.stat().st_blocks * 512
        except OSError:
            continue
        if best is None or size > best[1]:
            best = (str(path.relative_to(folder)), size)
    return best


def watch(proc: subprocess.Popen, folder: Path, limit_mb: int, every: float, on_wait=None) -> int | None:
    """Wait for `proc`, checking every `every` seconds that `folder` has not grown more than `limit_mb` since the
    start (0: no check); `on_wait(proc)`, when given, is called between checks.

    Returns:
        The exit code, or None when the process was stopped (and reaped) for passing the quota.
    """
    baseline = disk_use(folder) if limit_mb > 0 else 0
    while True:
        try:
            return proc.wait(timeout=every)
        except subprocess.TimeoutExpired:
            pass
        if on_wait is not None:
            on_wait(proc)
        if over_quota(folder, limit_mb, baseline):
            proc.kill()
            proc.wait()
            return None
