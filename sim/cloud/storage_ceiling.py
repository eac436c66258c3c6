"""The simulated Azure's storage ceiling: how many bytes the workspaces of one DP100_HOME may hold.

A sandboxed kernel has a disk quota on its lab folder, but the bytes it hands to the service (MLflow artifacts,
datastore and blob uploads, run files) land in DP100_HOME's `cloud/` folder, outside that quota. The service
therefore counts what it accepts from a caller against a ceiling of its own (`DP100_STORAGE_QUOTA_MB`, default
5120; 0 turns it off) and refuses, before writing anything, a write that would pass it.

Measuring is cheap: `cloud/` is walked once when a home is first seen, each accepted write adds its bytes, and the
folder is walked again at most every `REMEASURE_SECONDS` (deletes, `dp100 reset`, job outputs the service wrote
itself). A write that seems over the ceiling is refused only after a walk less than `CONFIRM_SECONDS` old, so space
a learner has just freed counts at once. Bytes of writes still in progress are kept apart, so a walk in the middle
of one does not forget it.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from dp100.settings import megabytes
from labs.sandbox.quota import disk_use  # one way to count a folder's bytes, for lab folders and workspaces alike
from sim import messages
from sim.cloud.errors import StorageFull

QUOTA_ENV = "DP100_STORAGE_QUOTA_MB"
DEFAULT_QUOTA_MB = 5120
REMEASURE_SECONDS = 30.0
CONFIRM_SECONDS = 2.0
MB = 1024 * 1024

_lock = threading.Lock()  # one lock for every home: a walk is rare, a count is a few additions


@dataclass
class _Ledger:
    """What one home's workspaces hold, as last walked plus what was accepted since."""

    used: int = 0
    in_flight: int = 0  # bytes reserved by writes not finished yet (a walk may not see them)
    measured_at: float = field(default=-1e9)

    def measure(self, folder) -> None:
        self.used = disk_use(folder) + self.in_flight
        self.measured_at = time.monotonic()

    def age(self) -> float:
        return time.monotonic() - self.measured_at


_ledgers: dict[str, _Ledger] = {}


def quota_mb(env=None) -> int:
    """The ceiling in MB (DP100_STORAGE_QUOTA_MB, default 5120; 0: no ceiling).

    Raises:
        ValueError: the setting is not a whole number.
    """
    return megabytes(QUOTA_ENV, DEFAULT_QUOTA_MB, env, zero_means="no ceiling")


def _folder():
    from dp100 import paths

    return paths.home() / "cloud"  # paths.workspaces_dir() would create it: a count must not


def _reserve(size: int, what: str, family: str, count: bool = True) -> None:
    limit = quota_mb() * MB
    if limit <= 0:
        return
    folder = _folder()
    with _lock:
        ledger = _ledgers.setdefault(str(folder), _Ledger())
        if ledger.age() > REMEASURE_SECONDS or (ledger.used + size > limit and ledger.age() > CONFIRM_SECONDS):
            ledger.measure(folder)
        if ledger.used + size > limit:
            raise StorageFull(family, messages.STORAGE_QUOTA_EXCEEDED.format(
                what=what, size=_mb(size), used=_mb(ledger.used), limit=quota_mb(), env=QUOTA_ENV))
        if count:
            ledger.used += size
            ledger.in_flight += size


def _settle(size: int, written: bool) -> None:
    with _lock:
        ledger = _ledgers.get(str(_folder()))
        if ledger is None:
            return
        ledger.in_flight = max(ledger.in_flight - size, 0)
        if not written:
            ledger.used = max(ledger.used - size, 0)


@contextmanager
def accepting(size: int, what: str, family: str):
    """Count `size` bytes a caller hands the service while they are written (`with accepting(...): write`).

    Args:
        size: the bytes about to be stored.
        what: what they are, for the refusal ("the artifact 'a.txt'").
        family: the resource area of the refusal (`sim.cloud.errors`).

    Raises:
        StorageFull: (403) before anything is written, when the bytes would pass the ceiling.
    """
    size = max(int(size), 0)
    if quota_mb() <= 0:
        yield
        return
    _reserve(size, what, family)
    written = False
    try:
        yield
        written = True
    finally:
        _settle(size, written)


def ensure_room(size: int, what: str, family: str) -> None:
    """Refuse (StorageFull) `size` bytes that would pass the ceiling, counting nothing: a write of several parts
    checks the whole before its first part, which `accepting` then counts one by one."""
    _reserve(max(int(size), 0), what, family, count=False)


def forget() -> None:
    """Drop every home's count (the next write walks again): after `dp100 reset`, and between tests."""
    with _lock:
        _ledgers.clear()


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB"
