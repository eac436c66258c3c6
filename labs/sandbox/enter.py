"""Putting a forked process into a sandbox that bubblewrap already built: the warm start of a sandboxed job.

bubblewrap always ends by exec'ing its command, so a job started through it is a fresh interpreter that imports
everything again (1-5 s on a busy machine). A process that is already warm cannot exec into a sandbox, but Linux
lets it *join* one: `setns(2)` on the namespace files of a process inside. So a job's sandbox is built as before
(`Sandbox.command`, the same walls), with a tiny holder as its command, and a process forked from the preloaded job
host (`sim._jobhost`) enters it:

1. in the forked process (outside): join the sandbox's cgroup, then its PID namespace (`setns` of a PID namespace
   applies to children only), and fork again;
2. in that child, now a member of the sandbox's PID namespace: join its other namespaces (IPC, UTS, network, mount
   last: the root and the working directory become the sandbox's), clear the supplementary groups, drop every
   capability (bounding, ambient, inheritable, permitted, effective) and set no_new_privs, as `bwrap --cap-drop ALL`
   leaves its command; then close every inherited descriptor but stdin, stdout and stderr.

The joined process then sees what bubblewrap's command sees: the read-only system, the private /tmp, the hidden
home with only the job's own folders bound, the sandbox's own processes (when the holder ends, the PID namespace's
init ends and the kernel kills every process in it) and network. Only where bubblewrap ran without a user namespace
of its own (as root, as here) can a process of ours join: `namespace_files` says `CannotJoin` otherwise, and the job
then starts fresh inside bubblewrap, as before.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path

# Joined by the job process itself, in this order: the mount namespace last, since it changes the root (and
# /proc) under it. The PID namespace is joined before the fork that makes the job process (`join_pid_namespace`).
NAMESPACES = ("cgroup", "ipc", "uts", "net", "mnt")
CLONE_NEWPID = 0x20000000
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 24, 38, 47, 4
CAPABILITY_VERSION_3 = 0x20080522


class CannotJoin(OSError):
    """The sandbox cannot be joined from here (another user namespace, no namespace files, a failed setns)."""


def _libc():
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    libc.setns.argtypes = (ctypes.c_int, ctypes.c_int)
    return libc


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise CannotJoin(errno, f"{what} failed: {os.strerror(errno)}")


def namespace_files(pid: int) -> dict[str, int]:
    """Open the namespaces of process `pid` (inside the sandbox) that differ from this process's own.

    Returns:
        Namespace name -> open descriptor, "pid" among them; the caller closes them (`close_all`).

    Raises:
        CannotJoin: when `pid` is in another user namespace (bubblewrap run unprivileged: a process of ours could
            join it only with more than this module does), or its namespace files cannot be read.
    """
    try:
        if os.stat(f"/proc/{pid}/ns/user").st_ino != os.stat("/proc/self/ns/user").st_ino:
            raise CannotJoin(f"the sandbox of process {pid} has its own user namespace")
        found = {}
        for name in ("pid", *NAMESPACES):
            if os.stat(f"/proc/{pid}/ns/{name}").st_ino != os.stat(f"/proc/self/ns/{name}").st_ino:
                found[name] = os.open(f"/proc/{pid}/ns/{name}", os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError as exc:
        raise CannotJoin(f"process {pid} or its namespace files are gone ({exc})") from None
    if "pid" not in found or "mnt" not in found:
        close_all(found)
        raise CannotJoin(f"process {pid} has no PID and mount namespace of its own: it is no job sandbox")
    return found


def close_all(fds: dict[str, int]) -> None:
    """Close the descriptors of `namespace_files`."""
    for fd in fds.values():
        try:
            os.close(fd)
        except OSError:
            pass


def join_cgroup(procs_files) -> None:
    """Move this process into the sandbox's cgroup (each controller's `cgroup.procs`), before it forks the job."""
    for path in procs_files:
        Path(path).write_text(str(os.getpid()))


def join_pid_namespace(fd: int) -> None:
    """Make this process's next children members of the sandbox's PID namespace (it stays where it is)."""
    _check(_libc().setns(fd, CLONE_NEWPID), "joining the sandbox's PID namespace")


def fork_into(fds: dict[str, int], cgroup_procs, folder: Path) -> int:
    """Fork a process into the sandbox whose namespaces are open in `fds` (`namespace_files`); this process joins
    the sandbox's cgroup and stays outside its other namespaces (it can wait for the new one).

    Returns:
        0 in the new process (inside, every privilege dropped, working in `folder`); its pid here.

    Raises:
        CannotJoin: here, when the new process could not enter (it has exited; nothing of the job ran).
    """
    join_cgroup(cgroup_procs)
    join_pid_namespace(fds["pid"])
    said_r, said_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(said_r)
        try:
            enter({name: fd for name, fd in fds.items() if name != "pid"}, folder)
        except OSError as exc:
            os.write(said_w, str(exc).encode() or b"failed")
            os._exit(1)
        os.close(said_w)  # closed with nothing said: entered
        return 0
    os.close(said_w)
    with os.fdopen(said_r, "rb") as said:
        why = said.read().decode(errors="replace")
    if why:
        os.waitpid(pid, 0)
        raise CannotJoin(f"the job could not enter its sandbox: {why}")
    return pid


def enter(fds: dict[str, int], folder: Path) -> None:
    """Join the sandbox's other namespaces, go to `folder`, and give up every privilege (see the module docstring).

    Raises:
        CannotJoin: when a namespace cannot be joined; nothing of the job has run yet.
    """
    libc = _libc()
    for name in NAMESPACES:
        if name in fds:
            _check(libc.setns(fds[name], 0), f"joining the sandbox's {name} namespace")
    os.chdir(folder)
    os.setgroups([])
    drop_capabilities(libc)


def drop_capabilities(libc=None) -> None:
    """Drop every capability for good, and forbid gaining any back through exec (setuid files included)."""
    libc = libc or _libc()
    last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    for cap in range(last + 1):
        _check(libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), f"dropping capability {cap} from the bounding set")
    _check(libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clearing the ambient capabilities")
    header = (ctypes.c_uint32 * 2)(CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable: twice (capabilities 0-31, 32-63), all 0
    _check(libc.capset(header, data), "dropping the capabilities")
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "setting no_new_privs")


def close_inherited(keep=(0, 1, 2)) -> None:
    """Close every descriptor but `keep`: nothing the warm host had open (its socket, a folder outside) may reach
    into the sandbox."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass  # the listing's own descriptor, already closed
