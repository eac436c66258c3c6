"""Host paths a sandboxed caller names: the service acts on one only where the caller itself could write it.

The service runs outside every sandbox and sees the whole of DP100_HOME, so a call such as "upload this file to
the datastore" or "download the datastore into that folder" would otherwise let a sandboxed kernel read or write
what its sandbox hides from it (progress.db, the key vault, other workspaces). Azure has no such door: its
service never reads the caller's disk. Here a path a sandboxed caller passes must be, in the caller's own view of
the files, the same file or folder as the service's, on a mount the caller can write (its lab folder, or its job's
folder). Symbolic links inside a folder it names are held to the same rule, since copying a folder follows them.

A caller outside every sandbox (the app, the CLI, a kernel with the home visible) shares the service's view of the
files and is not checked: it could read and write those files itself.
"""

from __future__ import annotations

import os
from pathlib import PurePath

MOST_ENTRIES = 20_000  # entries looked at in one named folder (a lab folder holds far fewer)


class OutOfReach(Exception):
    """A path a sandboxed caller named lies outside what it can write itself."""

    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


def check(peer_pid: int | None, args, kwargs) -> None:
    """Refuse the call when `peer_pid` is sandboxed and an absolute path among its arguments is out of its reach.

    Raises:
        OutOfReach: naming the first such path.
    """
    named = list(_paths_in((args, kwargs)))
    if not (named and peer_pid and _sandboxed(peer_pid)):  # most calls name no path: nothing to read then
        return
    view = CallerView(peer_pid)
    for text in named:
        view.require(text)


def _sandboxed(pid: int) -> bool:
    """True when `pid` sees other files than this process (its own mount namespace); a caller gone is refused."""
    try:
        return os.readlink(f"/proc/{pid}/ns/mnt") != os.readlink("/proc/self/ns/mnt")
    except OSError:
        return True


def _paths_in(value):
    """Every absolute path among `value`'s strings and paths, through lists, tuples, sets and dicts."""
    if isinstance(value, PurePath | str):
        text = os.fspath(value)
        if text.startswith("/") and "\0" not in text and len(text) < 4096:
            yield text
    elif isinstance(value, dict):
        for item in value.values():
            yield from _paths_in(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _paths_in(item)


class CallerView:
    """The files as the process `pid` sees them: which host paths it can reach, and which mounts it can write."""

    def __init__(self, pid: int):
        self.pid = pid
        self.root = f"/proc/{pid}/root"
        self._mounts = _writable_mounts(pid)

    def require(self, text: str) -> None:
        """Raise OutOfReach unless `text` (or, when it does not exist yet, its nearest folder) is the caller's."""
        real = os.path.realpath(text)
        anchor = _nearest_existing(real)
        if anchor == "/":
            return  # nothing of the host's is named (an Azure resource id such as /subscriptions/...)
        if not self._writes(anchor):
            raise OutOfReach(text)
        if os.path.isdir(real):
            self._require_links_inside(real, text)

    def _writes(self, real: str) -> bool:
        """True when the caller sees the host's `real` at the same path, on a mount it may write."""
        try:
            mine, theirs = os.stat(real), os.stat(self.root + real)
        except OSError:
            return False
        return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino) and self._on_writable_mount(real)

    def _on_writable_mount(self, real: str) -> bool:
        covering = [point for point in self._mounts if real == point or real.startswith(point.rstrip("/") + "/")]
        return bool(covering) and self._mounts[max(covering, key=len)]

    def _require_links_inside(self, folder: str, named: str) -> None:
        seen = 0
        for top, dirs, files in os.walk(folder):
            for name in dirs + files:
                seen += 1
                if seen > MOST_ENTRIES:
                    return
                path = os.path.join(top, name)
                if os.path.islink(path) and not self._writes(_nearest_existing(os.path.realpath(path))):
                    raise OutOfReach(f"{named} (its link {os.path.relpath(path, folder)})")


def _nearest_existing(real: str) -> str:
    while not os.path.lexists(real):
        real = os.path.dirname(real)
    return real


def _writable_mounts(pid: int) -> dict[str, bool]:
    """Each mount point in `pid`'s view -> whether it is mounted read-write (the last mount on a point wins)."""
    mounts: dict[str, bool] = {}
    try:
        with open(f"/proc/{pid}/mountinfo", encoding="utf-8") as listing:
            for line in listing:
                fields = line.split()
                point = _unescape(fields[4])
                mounts.pop(point, None)  # a later mount on the same point hides the earlier one
                mounts[point] = "rw" in fields[5].split(",")
    except (OSError, IndexError):
        return {}
    return mounts


def _unescape(field: str) -> str:
    """A mountinfo field with its octal escapes (\\040 for a space) turned back into characters."""
    return field.encode().decode("unicode_escape") if "\\" in field else field
