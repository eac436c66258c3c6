"""What isolation this machine can give a lab kernel, and why: bubblewrap, cgroups, or neither.

The answer is a level - "full" (bubblewrap and a cgroup), "partial" (one of them) or "none" (only the
rlimits and the watchdog that every kernel has) - with one sentence per piece. Nothing here ever stops a kernel
from starting: a missing piece lowers the level and says so (`dp100 doctor`, the Labs page).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass

from labs.sandbox import cgroups

OFF_ENV = "DP100_SANDBOX"  # "off": start kernels as plain processes (to compare, or where bwrap misbehaves)
HIDE_HOME_ENV = "DP100_SANDBOX_HIDE_HOME"  # "0": the home stays visible; "1": hidden, strictest (see Policy)
OWN_NETWORK_ENV = "DP100_SANDBOX_OWN_NETWORK"  # "1"/"0": the kernel's own network on/off (default: as hide_home)
FULL, PARTIAL, NONE = "full", "partial", "none"


@dataclass(frozen=True)
class Policy:
    """Which walls the sandbox puts up beyond the read-only system, the private /tmp and the dropped
    capabilities, which are always there.

    Attributes:
        hide_home: DP100_HOME is hidden except the lab folder and the kernel's own files; the kernel then reaches
            the simulated Azure only through its service (`Sandbox.env`: DP100_SERVICE=process, the service's
            socket, DP100_STATE_HIDDEN=1), and the jobs' code and deployments' scoring scripts that the service starts
            run in sandboxes of their own (`labs.sandbox.jobs`, `sim._scoring_keeper`). Every SDK v1 and v2 path the
            labs use goes through the service. On by default wherever bubblewrap works (DP100_SANDBOX_HIDE_HOME=0
            turns it off; it is off with DP100_SANDBOX=off or without bubblewrap). Jobs and servers that a process
            seeing the home starts in its own process (the app, the dp100 command, a test) run as plain processes:
            that process could run the same code itself. DP100_SANDBOX_HIDE_HOME=1 sandboxes those too (see
            `labs.sandbox.jobs.wanted`), the strictest setting, which the fault probes use.
        own_pids: the kernel (and a job's user code, `labs.sandbox.jobs`) gets its own PID namespace. Still tied
            to `hide_home`, on purpose: with the home hidden the service starts job runners (outside the sandbox,
            in its own PID namespace) and records their pids, so nothing a kernel records names a pid of its own
            namespace; with the home visible the kernel starts them itself (in-process mode) and the pids it
            records would name other processes outside (a cancel from the app would signal the wrong group).
        own_network: the kernel gets its own network namespace: on with `hide_home` (DP100_SANDBOX_OWN_NETWORK=0
            turns it off, =1 on alone). A server bound in the kernel, on 0.0.0.0 or any port, is reachable from no
            one outside. The kernel still reaches the simulated Azure: over the service's socket (the SDKs), and on
            127.0.0.1:<the service's port>, where a forwarder inside the sandbox (`labs.sandbox.forward`) passes
            each connection to that socket, so unchanged code that calls the service's http URLs works: a v1 web
            service's scoring URI (the service's scoring route: servers run beside the service, and their own
            ports are never handed out) or an http MLflow tracking URI. Without a hidden home there is no service
            to forward to (the kernel starts scoring servers on its own loopback), so nothing is forwarded. The
            app's kernels talk to jupyter_client over Unix sockets (transport "ipc"); JupyterLab's kernels too
            (`labs._jupyter_kernels`), so they get their own network as well. A scoring server sandboxed with the
            home hidden has its own network too: it listens on a Unix socket in its folder, where the service's
            scoring route (`sim.service.scoring_proxy`) reaches it.
    """

    hide_home: bool = False
    own_pids: bool = False
    own_network: bool = False

    @classmethod
    def from_env(cls, env=None) -> Policy:
        """The policy the environment asks for (see the *_ENV switches)."""
        env = os.environ if env is None else env
        asked = env.get(HIDE_HOME_ENV, "").strip()
        hide = asked == "1" if asked in ("0", "1") else _hidden_by_default(env)
        network = env.get(OWN_NETWORK_ENV, "").strip()
        return cls(hide_home=hide, own_pids=hide, own_network=network == "1" or (hide and network != "0"))


@dataclass(frozen=True)
class Isolation:
    """How well lab kernels are isolated here.

    Attributes:
        level: "full", "partial" or "none".
        reasons: one sentence per piece (what is used, or what is missing and why).
        bwrap: the bubblewrap binary to use, or None.
        cgroup: the cgroup support to use, or None.
        switched_off: True when DP100_SANDBOX=off asked for no sandbox.
    """

    level: str
    reasons: tuple[str, ...]
    bwrap: str | None = None
    cgroup: cgroups.CgroupSupport | None = None
    switched_off: bool = False

    def summary(self) -> str:
        """One line: the level and the reasons."""
        return f"{self.level} - " + "; ".join(self.reasons)


def bubblewrap() -> tuple[str | None, str]:
    """The bwrap binary if it can make a sandbox here, else None; and a sentence saying which."""
    path = shutil.which("bwrap")
    if path is None:
        return None, "bubblewrap is not installed (make bubblewrap, or apt-get install bubblewrap)"
    probe = [path, "--die-with-parent", "--unshare-pid", "--ro-bind", "/", "/", "--proc", "/proc",
             "--dev", "/dev", "--cap-drop", "ALL", "true"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"bubblewrap at {path} could not be run ({exc})"
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return None, f"bubblewrap cannot create namespaces here ({why})"
    return path, f"bubblewrap {_version(path)}: read-only system, private /tmp, no capabilities"


def _version(path: str) -> str:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.split()[-1] if out.split() else ""


def _hidden_by_default(env) -> bool:
    """The home is hidden unless the sandbox is off or bubblewrap cannot make one here (then nothing hides it)."""
    return env.get(OFF_ENV, "").lower() != "off" and _bubblewrap_here()[0] is not None


@functools.lru_cache(maxsize=1)
def _bubblewrap_here() -> tuple[str | None, str]:
    """`bubblewrap()`, asked once per process (it runs bwrap: ~30 ms)."""
    return bubblewrap()


@functools.lru_cache(maxsize=1)
def isolation() -> Isolation:
    """What this machine gives lab kernels (found once per process: it runs bwrap once, ~30 ms)."""
    if os.environ.get(OFF_ENV, "").lower() == "off":
        return Isolation(NONE, (f"the sandbox is switched off ({OFF_ENV}=off)",), switched_off=True)
    bwrap, bwrap_says = _bubblewrap_here()
    support, why_not = cgroups.detect()
    cgroup_says = (f"{support.describe()}: memory and process ceilings, all processes stopped together"
                   if support else f"no cgroup: {why_not}")
    level = FULL if bwrap and support else PARTIAL if bwrap or support else NONE
    return Isolation(level, (bwrap_says, cgroup_says, *policy_notes(Policy.from_env())), bwrap, support)


def forget() -> None:
    """Find the isolation again at the next ask (after bubblewrap was installed, or a test changed the machine)."""
    _bubblewrap_here.cache_clear()
    isolation.cache_clear()


def policy_notes(policy: Policy) -> tuple[str, ...]:
    """Sentences for the walls the policy leaves down on purpose (so a level is never read as more)."""
    notes = []
    if not policy.hide_home:
        notes.append("DP100_HOME visible to kernels (it is hidden where bubblewrap works, unless "
                     "DP100_SANDBOX_HIDE_HOME=0: the simulated Azure then runs as its own service, and the jobs' code "
                     "and scoring scripts it starts run sandboxed too)")
    else:
        notes.append("DP100_HOME hidden from kernels, jobs' code and scoring scripts (each in a sandbox)")
    if not policy.own_network:
        notes.append("network shared (a server a kernel starts is reachable on the machine's loopback)")
    elif policy.hide_home:
        notes.append("own network: kernels (JupyterLab's too: their channels are Unix sockets) and terminals reach "
                     "only the simulated Azure (its socket, and its port through a forwarder)")
    return tuple(notes)
