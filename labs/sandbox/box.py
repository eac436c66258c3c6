"""The sandbox of one lab kernel: the command that starts it inside, the processes in it, and its end.

The command is `sh -c <join the cgroup; ignore SIGINT> bwrap <walls> -- <kernel command>`:
- the small shell joins the kernel's cgroup before anything else runs, so every process the kernel ever
  starts (a `setsid()` double fork included) is in it, counted and killed with it;
- it ignores SIGINT for bwrap's sake: jupyter_client interrupts a kernel by signalling its process group, and
  a bwrap killed by SIGINT would take the kernel with it (--die-with-parent). The kernel itself still gets the
  signal: ipykernel installs its own SIGINT handler while a cell runs;
- bwrap puts up the walls that `Policy` chooses.
A piece that is missing here (see `detect`) is left out; the kernel always starts.
"""

from __future__ import annotations

import logging
import os
import shlex
import signal
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from labs.sandbox import cgroups
from labs.sandbox.detect import Isolation, Policy, isolation

SANDBOX_ID_ENV = "DP100_SANDBOX_ID"  # every process of a sandbox inherits it: the last way to find them
STATE_HIDDEN_ENV = "DP100_STATE_HIDDEN"  # = sim.cloud.store.STATE_HIDDEN_ENV (not imported: labs.sandbox stays light)


@dataclass(frozen=True)
class SandboxLimits:
    """Ceilings of one sandbox as a whole (the rlimits of each process are set by `labs._launcher`).

    Attributes:
        memory_mb: resident memory of all its processes together.
        max_tasks: its processes and threads together.
    """

    memory_mb: int
    max_tasks: int


class Sandbox:
    """The walls around one lab kernel.

    Args:
        folder: the lab folder: the kernel's working directory and the one place it may write.
        home: DP100_HOME (bound read-write, or hidden when the policy says so).
        limits: the sandbox's ceilings.
        kernel_files: folders of the kernel's own (connection file and Unix sockets, IPython's folder, ...) that
            stay writable when DP100_HOME is hidden.
        shared: folders outside DP100_HOME the kernel writes to in any case (the test suite's shared MLflow
            template store, say), which the private /tmp would otherwise hide.
        readable: files or folders under a hidden DP100_HOME the sandbox may read but not write (a job's
            description and its data inputs in a datastore).
        found: what the machine offers (default: `isolation()`); policy: which walls (default: from the
            environment).
    """

    def __init__(self, folder: Path, home: Path, limits: SandboxLimits, kernel_files: tuple[Path, ...] = (),
                 shared: tuple[Path, ...] = (), found: Isolation | None = None, policy: Policy | None = None,
                 readable: tuple[Path, ...] = ()):
        self.folder, self.home, self.limits = Path(folder), Path(home), limits
        self.readable = tuple(Path(p) for p in readable)
        self.kernel_files = tuple(Path(p) for p in kernel_files)
        self.shared = tuple(Path(p) for p in shared)
        self.found = found or isolation()
        self.policy = policy or Policy.from_env()
        self.id = uuid.uuid4().hex[:16]
        self.cgroup: cgroups.KernelCgroup | None = None
        self.note = ""  # why the cgroup could not be made, when it could not
        self._tried = False  # one attempt at the cgroup per sandbox
        self._service_socket = ""  # the simulated Azure service's socket, when the home is hidden
        self._service_port = 0  # and its TCP port, which the forwarder answers on inside an own network

    @property
    def level(self) -> str:
        return self.found.level

    def env(self) -> dict[str, str]:
        """Variables the kernel is started with: its sandbox's id, inherited by everything it starts; with the home
        hidden, also the service's socket and the switches that make the SDK go through the service only."""
        if not self.policy.hide_home:
            return {SANDBOX_ID_ENV: self.id}
        return {SANDBOX_ID_ENV: self.id, "DP100_SERVICE": "process", "DP100_SERVICE_SOCKET": self.service_socket(),
                STATE_HIDDEN_ENV: "1"}

    def service_socket(self) -> str:
        """The socket of this home's simulated Azure service, started first if none runs (home hidden only: the
        kernel cannot start it from inside, where the home is an empty folder and its pids are its own)."""
        if not self._service_socket:
            self._service_socket = self.keep_service()
        return self._service_socket

    def keep_service(self) -> str:
        """Make sure the service runs (called before each cell: it stops when idle); returns its socket.

        Raises:
            ServiceStartError: when the service cannot be started; SetupError when it listens on TCP only.
        """
        from sim.service import launcher

        record = launcher.ensure_running()
        self._service_port = record.get("port") or self._service_port
        if not record.get("socket"):
            from dp100.errors import SetupError

            raise SetupError("A lab kernel whose sandbox hides DP100_HOME reaches the simulated Azure service over "
                             "its Unix socket, but the service listens on TCP only (DP100_SERVICE_LISTEN=tcp): "
                             "unset DP100_SERVICE_LISTEN, or set DP100_SANDBOX_HIDE_HOME=0.")
        return record["socket"]

    def prepare(self) -> None:
        """Make the sandbox's cgroup now (where the machine allows), so `cgroup` says whether there is one before
        the command is built. `command` calls it too."""
        self._make_cgroup()

    def command(self, inner: list[str], info_fd: int | None = None, forward: bool = True) -> list[str]:
        """The command that starts `inner` inside the sandbox (the cgroup is made first, if it is not yet).

        Args:
            info_fd: a descriptor the command inherits, where bubblewrap writes the host pid of the sandbox's first
                process (`--info-fd`: a warm job host joins a job's sandbox through it, `labs.sandbox.enter`).
            forward: False leaves the service's forwarder out (a warm job starts it itself: `forward_target`).
        """
        self._make_cgroup()
        if self.found.bwrap:
            info = ["--info-fd", str(info_fd)] if info_fd is not None else []
            inner = [*self._bwrap_args(), *info, "--", *(self._forwarded(inner) if forward else inner)]
        if not (self.found.bwrap or self.cgroup):
            return inner
        joins = " ".join(f"echo $$ > {shlex.quote(str(f))};" for f in self.cgroup.procs_files) if self.cgroup else ""
        return ["sh", "-c", f"{joins} trap '' INT; exec \"$@\"", "sh", *inner]

    @property
    def forwards_service(self) -> bool:
        """True when a forwarder inside answers on the service's TCP port (own network, service over its socket)."""
        return bool(self.found.bwrap) and self.policy.own_network and self.policy.hide_home

    def own_processes(self) -> int:
        """How many processes of the sandbox itself run beside the kernel: bwrap, its init in an own PID
        namespace, the service's forwarder in an own network."""
        if not self.found.bwrap:
            return 0
        return 1 + int(self.policy.own_pids) + int(self.forwards_service)

    def forward_target(self) -> tuple[int, str] | None:
        """(the service's TCP port, its socket) that a forwarder inside the sandbox answers for, or None when the
        sandbox shares the network (nothing to forward)."""
        if not self.forwards_service:
            return None
        socket_path = self.service_socket()
        return self._service_port, socket_path

    def _forwarded(self, inner: list[str]) -> list[str]:
        """`inner`, started by the forwarder of the service's TCP port when the sandbox has its own network (see
        `labs.sandbox.forward`: it binds the port, then execs `inner`, so the kernel keeps its place)."""
        if not self.forwards_service:
            return inner
        socket_path = self.service_socket()
        return [sys.executable, "-I", "-S", str(Path(__file__).with_name("forward.py")),
                "--port", str(self._service_port), "--socket", socket_path, "--", *inner]

    def _make_cgroup(self) -> None:
        support = self.found.cgroup
        if support is None or self._tried:
            return
        self._tried = True
        # The owner's pid in the name: a group whose owner died is emptied by the next kernel's start.
        group = cgroups.KernelCgroup(support, f"kernel-{os.getpid()}-{self.id}")
        try:
            group.create(self.limits.memory_mb * 1024 * 1024, self.limits.max_tasks)
        except OSError as exc:  # the machine changed since detection: start without a group, say why
            self.note = f"the kernel's cgroup could not be made ({exc}); it runs without one"
            logging.getLogger(__name__).warning(self.note)
            group.destroy(seconds=0.5)
            return
        self.cgroup = group

    def _bwrap_args(self) -> list[str]:
        args = [self.found.bwrap, "--die-with-parent", "--cap-drop", "ALL", "--unshare-ipc", "--unshare-uts",
                "--ro-bind", "/", "/", "--dev", "/dev", "--tmpfs", "/tmp"]
        if self.policy.own_pids:
            # ipykernel watches the pid jupyter_client names in JPY_PARENT_PID and exits when its parent is not
            # that pid: inside a PID namespace the parent is bwrap's init. --die-with-parent does that watch here.
            args += ["--unshare-pid", "--proc", "/proc", "--unsetenv", "JPY_PARENT_PID"]
        else:
            args += ["--bind", "/proc", "/proc"]
        if self.policy.own_network:
            args.append("--unshare-net")
        if self.policy.hide_home:
            args += ["--tmpfs", str(self.home)]  # an empty folder; only what is bound below shows through
            # The service's socket, read-only: its folder, not the file, so a restarted service's new socket shows.
            args += ["--ro-bind", str(Path(self.service_socket()).parent), str(Path(self.service_socket()).parent)]
            for path in self.readable:
                args += ["--ro-bind", str(path), str(path)]
            own = self.kernel_files
        else:
            args += ["--bind", str(self.home), str(self.home)]
            # the home shows whole; what lies outside it (sockets moved off a deep home) is bound on its own
            own = tuple(path for path in self.kernel_files if not path.is_relative_to(self.home))
        for path in _code_under_tmp():  # else the private /tmp above hides Python or the project
            args += ["--ro-bind", str(path), str(path)]
        for path in (*own, *self.shared, self.folder):
            args += ["--bind", str(path), str(path)]
        return [*args, "--chdir", str(self.folder)]

    def processes(self) -> set[int] | None:
        """Every process in the sandbox now, or None when it has no cgroup to ask."""
        return self.cgroup.pids() if self.cgroup else None

    def close(self) -> None:
        """Stop every process in the sandbox and remove its cgroup. Safe to call twice."""
        if self.cgroup is not None:
            self.cgroup.destroy()
            self.cgroup = None
        else:
            kill_marked(self.id)


def kill_marked(sandbox_id: str) -> list[int]:
    """SIGKILL every process whose environment carries this sandbox's id; returns their pids.

    Without a cgroup this is how a process that left the kernel's process tree (a `setsid()` double fork) is
    still found. Code that clears its own environment before exec escapes it: hence the levels.
    """
    marker = f"{SANDBOX_ID_ENV}={sandbox_id}".encode() + b"\0"
    killed = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as fh:
                if marker not in fh.read() + b"\0":
                    continue
            os.kill(int(name), signal.SIGKILL)
            killed.append(int(name))
        except OSError:
            continue
    return killed


def _code_under_tmp() -> tuple[Path, ...]:
    """The interpreter's and the project's folders that lie under /tmp (a checkout or venv made there): the
    kernel needs them read-only, and the sandbox's own /tmp would hide them."""
    project = Path(__file__).resolve().parents[2]
    found = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, project)}
    return tuple(sorted(p for p in found if p.is_relative_to("/tmp") and p != Path("/tmp")))
