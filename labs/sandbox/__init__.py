"""The sandbox of lab kernels: bubblewrap walls, a cgroup per kernel, hard limits and a disk quota.

`isolation()` says what this machine allows ("full", "partial" or "none", with the reasons); `Sandbox` wraps
one kernel's command in what is there; `quota` checks the lab folder's disk use. A missing piece never stops a
kernel from starting: it lowers the level, and `dp100 doctor` and the Labs page say so.
"""

from labs.sandbox.box import SANDBOX_ID_ENV, Sandbox, SandboxLimits, kill_marked
from labs.sandbox.detect import FULL, NONE, PARTIAL, Isolation, Policy, isolation

__all__ = ["FULL", "NONE", "PARTIAL", "SANDBOX_ID_ENV", "Isolation", "Policy", "Sandbox", "SandboxLimits",
           "isolation", "kill_marked"]
