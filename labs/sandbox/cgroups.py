"""One control group per lab kernel: a memory ceiling and a task ceiling for the kernel and everything it
starts, and a list of its processes that no `setsid()` or double fork can leave.

No CPU controller, on purpose: a kernel's group sits under `dp100/`, and CFS weighs that parent as one task
against every other process of the machine, so all lab kernels together would share one task's CPU time. On a
busy machine that made a kernel start 1.5-3 s slower (bench/bench_sandbox.py). A cell that spins is stopped by
the cell time limit instead.

Both cgroup layouts are handled. Version 1 (this machine kind) has one tree per controller
(`/sys/fs/cgroup/memory`, `/sys/fs/cgroup/pids`): the kernel gets a group named `dp100/<name>` in each.
Version 2 has one unified tree: the group `dp100/<name>` has both controllers, once they are enabled in the
parents' `cgroup.subtree_control`. Groups are made only where they can be (root, or a delegated tree);
`detect` says why not otherwise, and the kernel then starts without one.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PARENT = "dp100"  # every kernel's group sits under this one, so a leftover is easy to find and remove
LEFTOVER_AGE = 120.0  # seconds; a younger empty group may be one that its kernel is about to join
CONTROLLERS = ("memory", "pids")


@dataclass(frozen=True)
class CgroupSupport:
    """What cgroup layout this machine offers to this process.

    Attributes:
        version: 1 or 2.
        controllers: the controllers used (memory and pids).
        root: where the cgroup filesystem is mounted.
    """

    version: int
    controllers: tuple[str, ...]
    root: Path = ROOT

    def describe(self) -> str:
        return f"cgroup v{self.version} ({', '.join(self.controllers)})"


def detect(root: Path = ROOT) -> tuple[CgroupSupport | None, str]:
    """The cgroup support found under `root`, or None with the reason (a sentence)."""
    if (root / "cgroup.controllers").exists():
        return _detect_v2(root)
    present = tuple(c for c in CONTROLLERS if (root / c / "cgroup.procs").exists())
    if not present:
        return None, f"no cgroup filesystem at {root}"
    missing = [c for c in CONTROLLERS if c not in present]
    if missing:
        return None, f"cgroup v1 without the {' and '.join(missing)} controller"
    if not all(_can_make_group(root / c) for c in CONTROLLERS):
        return None, f"cgroup v1 found, but this user cannot create groups under {root}/memory and {root}/pids"
    return CgroupSupport(1, CONTROLLERS, root), ""


def _detect_v2(root: Path) -> tuple[CgroupSupport | None, str]:
    offered = (root / "cgroup.controllers").read_text().split()
    missing = [c for c in CONTROLLERS if c not in offered]
    if missing:
        return None, f"cgroup v2 without the {' and '.join(missing)} controller"
    if not _can_make_group(root):
        return None, f"cgroup v2 found, but this user cannot create groups under {root} (no delegation)"
    return CgroupSupport(2, CONTROLLERS, root), ""


def _can_make_group(tree: Path) -> bool:
    probe = tree / PARENT / f"probe-{os.getpid()}"
    try:
        probe.mkdir(parents=True, exist_ok=True)
        probe.rmdir()
        return True
    except OSError:
        return False


class KernelCgroup:
    """The control group of one kernel: made by `create`, joined by the kernel's first process (its path list
    is `procs_files`), emptied and removed by `destroy`."""

    def __init__(self, support: CgroupSupport, name: str):
        self.support = support
        self.name = name
        if support.version == 1:
            self.dirs = {c: support.root / c / PARENT / name for c in support.controllers}
        else:
            self.dirs = {c: support.root / PARENT / name for c in support.controllers}

    @property
    def procs_files(self) -> list[Path]:
        """The `cgroup.procs` files a process writes its pid into to join the group (one per tree)."""
        return sorted({d / "cgroup.procs" for d in self.dirs.values()})

    def create(self, memory_bytes: int, max_tasks: int) -> None:
        """Make the group with its limits.

        Args:
            memory_bytes: the ceiling of resident memory of every process in it together.
            max_tasks: the ceiling of processes and threads together (the pids controller counts threads).

        Raises:
            OSError: when a directory or a limit cannot be written.
        """
        sweep_leftovers(self.support)
        if self.support.version == 2:
            _enable_v2_controllers(self.support)
        for folder in set(self.dirs.values()):
            folder.mkdir(parents=True, exist_ok=True)
        if self.support.version == 1:
            self._limit_v1(memory_bytes, max_tasks)
        else:
            self._limit_v2(memory_bytes, max_tasks)

    def _limit_v1(self, memory_bytes: int, max_tasks: int) -> None:
        memory = self.dirs["memory"]
        (memory / "memory.limit_in_bytes").write_text(str(memory_bytes))
        swap = memory / "memory.memsw.limit_in_bytes"  # present only with swap accounting: no swapping around it
        if swap.exists():
            _write_quietly(swap, str(memory_bytes))
        (self.dirs["pids"] / "pids.max").write_text(str(max_tasks))

    def _limit_v2(self, memory_bytes: int, max_tasks: int) -> None:
        folder = self.dirs["memory"]
        (folder / "memory.max").write_text(str(memory_bytes))
        _write_quietly(folder / "memory.swap.max", "0")
        (folder / "pids.max").write_text(str(max_tasks))

    def pids(self) -> set[int]:
        """Every process in the group now (empty once it is gone)."""
        found: set[int] = set()
        for procs in self.procs_files:
            try:
                found.update(int(line) for line in procs.read_text().split())
            except OSError:
                continue
        return found

    def destroy(self, seconds: float = 5.0) -> bool:
        """Kill every process in the group, then remove it; True when it is gone."""
        self.kill_all(seconds)
        return self._remove(seconds)

    def kill_all(self, seconds: float = 5.0) -> None:
        """SIGKILL every process of the group until none is left (a process forking meanwhile is killed in the
        next round; the task ceiling bounds how many there can be)."""
        kill_file = self.dirs["memory"] / "cgroup.kill"
        if self.support.version == 2 and kill_file.exists():
            _write_quietly(kill_file, "1")
        deadline = time.monotonic() + seconds
        while (pids := self.pids()) and time.monotonic() < deadline:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.01)

    def _remove(self, seconds: float) -> bool:
        # A killed process stays in the group until its parent reaps it: retry for a moment.
        deadline = time.monotonic() + seconds
        left = set(self.dirs.values())
        while left and time.monotonic() < deadline:
            for folder in list(left):
                try:
                    folder.rmdir()
                    left.discard(folder)
                except FileNotFoundError:
                    left.discard(folder)
                except OSError:
                    pass
            if left:
                time.sleep(0.02)
        return not left


def sweep_leftovers(support: CgroupSupport) -> None:
    """Clear kernel groups left behind: those whose owner (the process that made them, named in the group's name
    `kernel-<pid>-<id>`) has ended are emptied and removed, so a daemon of a crashed app's kernel dies with the
    next kernel's start; other empty groups are removed once old (a younger one may be about to be joined)."""
    for name, folders in _groups(support).items():
        if not _owner_alive(name):
            KernelCgroup(support, name).destroy(seconds=2.0)
            continue
        for folder in folders:
            try:
                old = time.time() - folder.stat().st_mtime > LEFTOVER_AGE
                if old and not (folder / "cgroup.procs").read_text().strip():
                    folder.rmdir()
            except OSError:
                pass


def _groups(support: CgroupSupport) -> dict[str, list[Path]]:
    """Every group under the kernels' parent, by name (v1 has one folder per controller)."""
    parents = ({support.root / c / PARENT for c in support.controllers} if support.version == 1
               else {support.root / PARENT})
    found: dict[str, list[Path]] = {}
    for parent in parents:
        try:
            for child in parent.iterdir():
                if child.is_dir():
                    found.setdefault(child.name, []).append(child)
        except OSError:
            continue
    return found


def _owner_alive(name: str) -> bool:
    """False only when the group's name says who owns it and that process is gone (never kill on a doubt)."""
    parts = name.split("-")
    if len(parts) != 3 or parts[0] != "kernel" or not parts[1].isdigit():
        return True
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _enable_v2_controllers(support: CgroupSupport) -> None:
    # v2 passes a controller down only when each parent lists it in cgroup.subtree_control.
    wanted = " ".join(f"+{c}" for c in support.controllers)
    (support.root / PARENT).mkdir(exist_ok=True)
    for parent in (support.root, support.root / PARENT):
        _write_quietly(parent / "cgroup.subtree_control", wanted)


def _write_quietly(path: Path, text: str) -> None:
    """Write an optional setting; a kernel that refuses it (an older kernel, a controller not delegated)
    leaves the default in place."""
    try:
        path.write_text(text)
    except OSError:
        pass
