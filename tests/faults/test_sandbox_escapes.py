"""Probes of the lab kernel's sandbox: what learner code tries in a cell to outlive the lab, lift its limits or
fill the machine. Each probe runs in a real kernel with small limits (fast) and asserts a figure.

They need the isolation this machine kind gives ("full": bubblewrap and cgroup v1 as root); elsewhere the
sandbox's own tests (tests/labs/test_sandbox.py) cover the lower levels.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from labs.kernel import LabKernel, Limits, pid_alive
from labs.sandbox import FULL, SANDBOX_ID_ENV, Policy, isolation

SMALL = Limits(cell_seconds=60, memory_mb=1536, max_processes=8, disk_mb=50)


@pytest.fixture(autouse=True)
def full_isolation():
    found = isolation()
    assert found.level == FULL, f"these probes expect full isolation here: {found.summary()}"


@pytest.fixture
def lab_kernel(dp100_home):
    kernel = LabKernel(dp100_home / "labs" / "probe", SMALL)
    kernel.start(timeout=120)
    yield kernel
    kernel.shutdown()


def _gone_within(pids: list[int], seconds: float = 15.0) -> list[int]:
    """The pids still alive after waiting up to `seconds` for them to end."""
    deadline = time.monotonic() + seconds
    while any(pid_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [p for p in pids if pid_alive(p)]


def _working_in(folder) -> list[int]:
    """Live processes on this host whose current directory is `folder`."""
    found = []
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{name}/cwd") == str(folder) and pid_alive(int(name)):
                found.append(int(name))
        except OSError:
            continue
    return found


def _on_this_host(inner: int, folder) -> int:
    """The pid on this host of the process that calls itself `inner` and works in `folder`.

    With the home hidden, a sandbox has its own PID namespace, so a pid printed inside is not a pid here;
    /proc/<pid>/status lists a process's pid in each namespace it is in ("NSpid:", its own last). Without a namespace
    the two are the same. The folder tells apart processes of other namespaces that have the same inner pid.
    """
    for pid in _working_in(folder):
        try:
            status = open(f"/proc/{pid}/status").read()
        except OSError:
            continue
        line = next((row for row in status.splitlines() if row.startswith("NSpid:")), f"NSpid: {pid}")
        if int(line.split()[-1]) == inner:
            return pid
    raise AssertionError(f"no live process working in {folder} calls itself {inner} (the probe itself is broken)")


def _marked(sandbox_id: str) -> list[int]:
    """Processes anywhere on the machine that carry this sandbox's id in their environment."""
    marker = f"{SANDBOX_ID_ENV}={sandbox_id}".encode()
    found = []
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{name}/environ", "rb") as fh:
                if marker in fh.read() and pid_alive(int(name)):
                    found.append(int(name))
        except OSError:
            continue
    return found


# A double fork with setsid(): the grandchild leaves the kernel's session and process tree (its parent exits),
# the way a daemon detaches. It writes its pid and runs `command`.
DAEMONISE = """
import os, subprocess, sys, time
def daemonise(command, pid_file):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            open(pid_file, "w").write(str(proc.pid))
            os._exit(0)
        os._exit(0)
    os.wait()
    while not os.path.exists(pid_file) or not open(pid_file).read():
        time.sleep(0.02)
    print(open(pid_file).read())
"""


def _daemonise(kernel: LabKernel, command: list[str]) -> int:
    pid_file = f"daemon-{time.monotonic_ns()}.pid"
    result = kernel.execute(DAEMONISE + f"daemonise({command!r}, {pid_file!r})", timeout=60)
    assert result.ok, result.text()
    return _on_this_host(int(result.stdout.split()[-1]), kernel.folder)


def test_a_setsid_double_fork_does_not_survive_closing_the_lab(lab_kernel):
    daemons = [_daemonise(lab_kernel, ["sleep", "600"]) for _ in range(3)]
    assert all(pid_alive(p) for p in daemons), "the daemons did not start"
    assert set(daemons) <= lab_kernel.sandbox.processes(), "a double-forked daemon left the kernel's cgroup"
    sandbox_id = lab_kernel.sandbox.id
    lab_kernel.shutdown()
    survivors = _gone_within(daemons)
    assert survivors == [], f"{len(survivors)} of {len(daemons)} double-forked daemons survived closing the lab"
    assert _marked(sandbox_id) == [], "a process of the closed sandbox is still running"


@pytest.fixture
def shared_network(monkeypatch):
    """The kernel shares the host's network even with the home hidden: a probe that needs its server reachable
    from outside while the lab is open (a kernel with its own network is probed in test_kernel_network.py)."""
    monkeypatch.setenv("DP100_SANDBOX_OWN_NETWORK", "0")


def test_a_daemonised_http_server_on_all_addresses_is_gone_after_close(shared_network, lab_kernel, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = _daemonise(lab_kernel, [sys.executable, "-m", "http.server", "--bind", "0.0.0.0", str(port)])
    deadline = time.monotonic() + 30
    while not _answers(port) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _answers(port), "the probe's http.server never answered (the probe itself is broken)"
    lab_kernel.shutdown()
    assert _gone_within([server]) == [], "the daemonised http.server outlived the lab"
    assert not _answers(port), f"something still answers on port {port} after the lab closed"


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def test_a_cell_cannot_lift_its_memory_limit(lab_kernel):
    cell = ("import resource\nsoft, hard = resource.getrlimit(resource.RLIMIT_AS)\nprint(soft, hard)\n"
            "resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))")
    result = lab_kernel.execute(cell)
    soft, hard = (int(v) for v in result.stdout.split())
    limit = SMALL.memory_mb * 1024 * 1024
    assert soft == hard == limit, f"RLIMIT_AS is soft {soft}, hard {hard}; both should be {limit}"
    assert result.status == "error" and result.error["ename"] == "ValueError", result.text()
    assert "not allowed to raise maximum limit" in result.error["evalue"]


def test_a_fork_loop_is_contained_and_nothing_of_it_survives(lab_kernel):
    pids_max = SMALL.sandbox_limits().max_tasks
    group, sandbox_id = lab_kernel.sandbox.cgroup, lab_kernel.sandbox.id
    cell = "import os, time\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        time.sleep(0.01)"
    peak, running = [0], threading.Event()
    running.set()
    sampler = threading.Thread(target=_sample_tasks, args=(group.dirs["pids"] / "pids.current", peak, running))
    sampler.start()
    try:
        result = lab_kernel.execute(cell)
    finally:
        running.clear()
        sampler.join()
    assert result.status == "processes", f"{result.status}: {result.message}"
    assert result.restarted, "the kernel was not restarted after the fork loop"
    assert 0 < peak[0] <= pids_max, f"the fork loop reached {peak[0]} tasks (ceiling {pids_max})"
    assert not group.dirs["pids"].exists(), "the fork loop's cgroup is still there (processes left in it)"
    assert _marked(sandbox_id) == [], "a process of the fork loop survived the restart"
    assert lab_kernel.execute("print('alive')").stdout == "alive\n"


def _sample_tasks(current, peak: list[int], running: threading.Event) -> None:
    while running.is_set():
        try:
            peak[0] = max(peak[0], int(current.read_text()))
        except (OSError, ValueError):
            pass
        time.sleep(0.01)


def test_a_big_allocation_is_stopped_and_the_kernel_survives(lab_kernel):
    result = lab_kernel.execute("hog = b'x' * (6 * 1024**3)")
    assert result.status == "memory", f"a 6 GiB allocation gave {result.status}: {result.text()[-500:]}"
    assert f"{SMALL.memory_mb} MB" in result.message


def test_children_together_cannot_pass_the_sandbox_memory_ceiling(lab_kernel):
    # Each child stays under its own address-space limit; together they would hold 2.1 GB in a 1.5 GB sandbox.
    cell = ("import subprocess, sys\n"
            "hog = \"data = b'x' * (700 * 1024**2); import time; time.sleep(20)\"\n"
            "kids = [subprocess.Popen([sys.executable, '-c', hog]) for _ in range(3)]\n"
            "print([kid.wait() for kid in kids])")
    group = lab_kernel.sandbox.cgroup
    result = lab_kernel.execute(cell, timeout=120)
    peak = int((group.dirs["memory"] / "memory.max_usage_in_bytes").read_text())
    ceiling = SMALL.memory_mb * 1024 * 1024
    assert peak <= ceiling, f"the sandbox held {peak / 2**20:.0f} MB, over its {SMALL.memory_mb} MB ceiling"
    codes = result.stdout.strip()
    assert "-9" in codes, f"no child was stopped at the ceiling (exit codes {codes}; peak {peak / 2**20:.0f} MB)"


def test_files_past_the_quota_stop_the_kernel_and_are_kept(lab_kernel):
    cell = "for i in range(4):\n    open(f'part{i}.bin', 'wb').write(b'x' * (20 * 1024**2))"
    result = lab_kernel.execute(cell)
    assert result.status == "disk", f"80 MB in a 50 MB lab folder gave {result.status}: {result.text()[-500:]}"
    assert "quota of 50 MB" in result.message and "part" in result.message, result.message
    assert result.restarted
    assert sorted(p.name for p in lab_kernel.folder.glob("part*.bin")) == [f"part{i}.bin" for i in range(4)]
    cleaned = lab_kernel.execute("import os\nfor i in range(4): os.remove(f'part{i}.bin')\nprint('ok')")
    assert cleaned.ok and cleaned.stdout == "ok\n", cleaned.message or cleaned.text()


def test_one_file_cannot_grow_past_the_quota(lab_kernel):
    cell = "with open('big.bin', 'wb') as fh:\n    for _ in range(60):\n        fh.write(b'x' * 1024**2)"
    result = lab_kernel.execute(cell)
    assert result.status == "error" and result.error["ename"] == "OSError", result.text()[-500:]
    assert "File too large" in result.error["evalue"]
    size = (lab_kernel.folder / "big.bin").stat().st_size
    assert size <= SMALL.disk_mb * 1024**2, f"big.bin grew to {size} bytes past the {SMALL.disk_mb} MB quota"


# -- JupyterLab's kernels: started by the Jupyter server from their kernel spec, kept by labs.sandbox.supervise ----
@pytest.fixture
def jupyter_kernel(dp100_home):
    """A kernel started the way the lab's JupyterLab starts one: from the kernel spec written for it."""
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    from labs._jupyter_files import prepare_instance_files

    folders = prepare_instance_files(dp100_home / "jupyter")
    lab_folder = dp100_home / "labs" / "notebook"
    lab_folder.mkdir(parents=True)
    specs = KernelSpecManager(kernel_dirs=[str(folders["data"] / "kernels")])
    manager = KernelManager(kernel_name="python310-sdkv2", kernel_spec_manager=specs,
                            connection_file=str(folders["runtime"] / "kernel-probe.json"))
    manager.start_kernel(cwd=str(lab_folder))
    client = manager.blocking_client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    yield manager, client, lab_folder
    client.stop_channels()
    if manager.has_kernel:
        manager.shutdown_kernel(now=True)


def _run(client, code: str) -> str:
    """Run a cell through the Jupyter client; its printed text."""
    streams: list[str] = []

    def keep(msg: dict) -> None:
        if msg["msg_type"] == "stream":
            streams.append(msg["content"]["text"])

    reply = client.execute_interactive(code, timeout=60, output_hook=keep)
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(streams)


def test_a_jupyterlab_kernel_is_sandboxed_and_its_daemons_end_with_it(jupyter_kernel):
    manager, client, lab_folder = jupyter_kernel
    text = _run(client, "import resource, os\n"
                        "print(resource.getrlimit(resource.RLIMIT_AS), os.access('/usr', os.W_OK))")
    assert "(4294967296, 4294967296) False" in text, f"limits or read-only system missing: {text}"
    pid_file = lab_folder / "daemon.pid"
    _run(client, DAEMONISE + f"daemonise(['sleep', '600'], {str(pid_file)!r})")
    daemon = _on_this_host(int(pid_file.read_text()), lab_folder)
    assert pid_alive(daemon)
    manager.shutdown_kernel(now=False)  # as JupyterLab's "Shut Down Kernel" does
    assert _gone_within([daemon]) == [], "a daemon of a JupyterLab kernel outlived the kernel's shutdown"


def test_a_jupyterlab_kernel_killed_outright_leaves_its_daemons_to_the_next_kernel_start(jupyter_kernel, dp100_home):
    # SIGKILL to the kernel's process group (what Jupyter does to a kernel that ignores shutdown) kills the keeper
    # before it can clean up: the next kernel's start empties the group of an owner that is gone. With the home
    # hidden the kernel has its own PID namespace, which ends with the keeper's bubblewrap: the daemon goes at once.
    manager, client, lab_folder = jupyter_kernel
    pid_file = lab_folder / "daemon.pid"
    _run(client, DAEMONISE + f"daemonise(['sleep', '600'], {str(pid_file)!r})")
    daemon = _on_this_host(int(pid_file.read_text()), lab_folder)
    manager.shutdown_kernel(now=True)
    if Policy.from_env().own_pids:
        assert _gone_within([daemon]) == [], "a daemon outlived its SIGKILLed keeper's PID namespace"
        return
    assert pid_alive(daemon), "the probe expects the daemon to outlive a SIGKILLed keeper until the next start"
    kernel = LabKernel(dp100_home / "labs" / "next", SMALL)
    kernel.start(timeout=120)
    try:
        assert _gone_within([daemon]) == [], "the next kernel's start left a dead keeper's daemon running"
    finally:
        kernel.shutdown()


def test_a_jupyterlab_terminal_shell_is_sandboxed_and_its_daemons_end_with_it(dp100_home):
    # The terminal's shell command, as JupyterLab's server runs it (labs._jupyter_files), with a script for input.
    from labs._jupyter_files import _terminal_command

    folder = dp100_home / "labs" / "terminal"
    folder.mkdir(parents=True)
    shell = _terminal_command(dp100_home / "bashrc")
    assert shell[1:3] == ["-m", "labs.sandbox.supervise"] and "--" in shell, shell
    supervisor = shell[:shell.index("--") + 1]
    script = ("setsid sh -c 'sleep 600 & echo $! > daemon.pid' < /dev/null > /dev/null 2>&1 &\n"
              "while [ ! -s daemon.pid ]; do sleep 0.05; done\n"
              "touch /usr/escaped 2>/dev/null || echo read-only\n")
    done = subprocess.run([*supervisor, "sh", "-c", script], cwd=folder, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and "read-only" in done.stdout, done.stdout + done.stderr
    assert (folder / "daemon.pid").read_text().strip(), "the probe's daemon never started (the probe is broken)"
    # The shell has ended: its daemon, if it escaped, still works in the folder (its pid inside a hidden-home
    # sandbox's own PID namespace would name another process here).
    assert _gone_within(_working_in(folder)) == [], "a daemon started in a terminal outlived the terminal's shell"


def test_a_jupyterlab_terminal_with_the_home_hidden_has_its_own_network(dp100_home, monkeypatch):
    # A server started in a terminal is then reachable from no one outside, as one started in a kernel.
    from labs._jupyter_files import _terminal_command

    monkeypatch.setenv("DP100_SANDBOX_HIDE_HOME", "1")
    folder = dp100_home / "labs" / "terminal"
    folder.mkdir(parents=True)
    shell = _terminal_command(dp100_home / "bashrc")
    supervisor = shell[:shell.index("--") + 1]
    done = subprocess.run([*supervisor, "readlink", "/proc/self/ns/net"], cwd=folder, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() != os.readlink("/proc/self/ns/net"), "the terminal shares the host's network"


@pytest.mark.parametrize("hide_home", ["0", "1"])
def test_a_jupyterlab_terminal_reads_its_rc_file_and_never_sees_the_servers_token(dp100_home, monkeypatch,
                                                                                   hide_home):
    # Pinned both ways: the rc file lies in DP100_HOME, which the hidden-home sandbox hides unless it is named.
    from labs._jupyter_files import _terminal_command

    monkeypatch.setenv("DP100_SANDBOX_HIDE_HOME", hide_home)
    folder = dp100_home / "labs" / "terminal"
    folder.mkdir(parents=True)
    rc_file = dp100_home / "jupyter" / "bashrc"
    rc_file.parent.mkdir(parents=True)
    rc_file.write_text("echo rc-file-read\n")
    env = dict(os.environ, JUPYTER_TOKEN="the-servers-token")
    done = subprocess.run(_terminal_command(rc_file), cwd=folder, env=env, capture_output=True, text=True,
                          input="echo token=[$JUPYTER_TOKEN]\nexit\n", timeout=120)
    assert "rc-file-read" in done.stdout and "token=[]" in done.stdout, done.stdout + done.stderr
