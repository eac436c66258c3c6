"""The lab sandbox: what it detects, the walls each policy puts up, every isolation level starting a kernel, the
fallback that finds a sandbox's processes without a cgroup, and the disk quota."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from labs import sandbox
from labs.kernel import LabKernel, Limits, pid_alive
from labs.sandbox import FULL, NONE, PARTIAL, Isolation, Policy, Sandbox, SandboxLimits, cgroups, detect, quota
from labs.sandbox.detect import HIDE_HOME_ENV, OFF_ENV, OWN_NETWORK_ENV

LIMITS = SandboxLimits(memory_mb=512, max_tasks=64)


@pytest.fixture
def fresh_detection():
    sandbox.detect.forget()
    yield
    sandbox.detect.forget()


# -- policy and walls ---------------------------------------------------------------------------------------
def test_the_default_policy_hides_home_pids_and_network_where_bubblewrap_works_and_one_flag_keeps_them_shared(
        monkeypatch):
    hidden, shared = Policy(hide_home=True, own_pids=True, own_network=True), Policy()
    assert Policy.from_env({}) == (hidden if detect.bubblewrap()[0] else shared)
    assert Policy.from_env({HIDE_HOME_ENV: "1"}) == hidden
    assert Policy.from_env({HIDE_HOME_ENV: "0"}) == shared
    assert Policy.from_env({OFF_ENV: "off"}) == shared
    monkeypatch.setattr(detect, "_bubblewrap_here", lambda: (None, "not installed"))
    assert Policy.from_env({}) == shared  # nothing can hide it: kernels start anyway, with the home visible
    assert Policy.from_env({HIDE_HOME_ENV: "1", OWN_NETWORK_ENV: "0"}).own_network is False
    assert Policy.from_env({OWN_NETWORK_ENV: "1"}).own_network


def _args(tmp_path: Path, policy: Policy) -> list[str]:
    found = Isolation(PARTIAL, (), bwrap="/usr/bin/bwrap")
    box = Sandbox(tmp_path / "home" / "labs" / "01", tmp_path / "home", LIMITS,
                  kernel_files=(tmp_path / "home" / "kernels" / "run",), shared=(tmp_path / "template",),
                  found=found, policy=policy)
    return box.command(["python", "-m", "labs._launcher"])


def _pairs(args: list[str], option: str) -> list[str]:
    return [args[i + 1] for i, a in enumerate(args) if a == option]


def test_the_default_walls_bind_home_and_the_lab_folder_over_a_read_only_system(tmp_path):
    args = _args(tmp_path, Policy())
    assert args[:2] == ["sh", "-c"] and "trap '' INT" in args[2]
    inner = args[args.index("--") + 1:]
    assert inner == ["python", "-m", "labs._launcher"]
    assert ["--ro-bind", "/", "/"] == args[args.index("--ro-bind"):args.index("--ro-bind") + 3]
    assert {"--cap-drop", "--die-with-parent", "--unshare-ipc"} <= set(args) and "--unshare-pid" not in args
    assert _pairs(args, "--tmpfs") == ["/tmp"]
    assert _pairs(args, "--bind")[-3:] == [str(tmp_path / "home"), str(tmp_path / "template"),
                                           str(tmp_path / "home" / "labs" / "01")]
    assert _pairs(args, "--chdir") == [str(tmp_path / "home" / "labs" / "01")]


def test_python_and_the_project_under_tmp_stay_visible_read_only_over_the_private_tmp(tmp_path, monkeypatch):
    venv = Path("/tmp/a-checkout/.venv")  # a clone made in /tmp, as CI or a learner may do
    monkeypatch.setattr(sys, "prefix", str(venv))
    args = _args(tmp_path, Policy())
    assert str(venv) in _pairs(args, "--ro-bind")
    assert args.index(str(venv)) > args.index("--tmpfs")  # mounted over the private /tmp, not under it


def test_hiding_home_mounts_an_empty_folder_over_it_and_binds_back_only_the_kernels_files(tmp_path):
    args = _args(tmp_path, Policy(hide_home=True, own_pids=True, own_network=True))
    assert _pairs(args, "--tmpfs") == ["/tmp", str(tmp_path / "home")]
    assert str(tmp_path / "home") not in _pairs(args, "--bind")
    assert str(tmp_path / "home" / "kernels" / "run") in _pairs(args, "--bind")
    assert {"--unshare-pid", "--unshare-net"} <= set(args) and _pairs(args, "--proc") == ["/proc"]
    # the lab folder is bound after the empty home, so it shows through it
    assert args.index(str(tmp_path / "home" / "labs" / "01")) > args.index(str(tmp_path / "home"))


def test_hiding_home_gives_the_kernel_the_service_socket_read_only_and_the_switches_to_use_it(tmp_path, dp100_home):
    from sim.service import launcher

    box = Sandbox(tmp_path / "lab", dp100_home, LIMITS, found=Isolation(PARTIAL, (), bwrap="/usr/bin/bwrap"),
                  policy=Policy(hide_home=True, own_pids=True))
    try:
        env = box.env()
        socket_file = launcher.running_record()["socket"]  # the host started the service for the kernel
        assert env["DP100_SERVICE"] == "process" and env["DP100_STATE_HIDDEN"] == "1"
        assert env["DP100_SERVICE_SOCKET"] == socket_file
        args = box.command(["python"])
    finally:
        launcher.stop()
    folder = str(Path(socket_file).parent)  # the folder, so a restarted service's new socket shows too
    assert folder in _pairs(args, "--ro-bind") and folder not in _pairs(args, "--bind")
    assert args.index(folder) > args.index(str(dp100_home))  # over the empty home, not under it


def test_with_nothing_available_the_command_is_left_as_it_is(tmp_path):
    box = Sandbox(tmp_path, tmp_path, LIMITS, found=Isolation(NONE, ("nothing",)), policy=Policy())
    assert box.command(["python", "x.py"]) == ["python", "x.py"]
    assert box.processes() is None


# -- detection -----------------------------------------------------------------------------------------------
def test_switching_the_sandbox_off_gives_level_none_and_says_so(monkeypatch, fresh_detection):
    monkeypatch.setenv(OFF_ENV, "off")
    found = sandbox.isolation()
    assert found.level == NONE and found.switched_off and "DP100_SANDBOX=off" in found.summary()


@pytest.mark.parametrize(("hide_home", "home_note"), [("0", "DP100_HOME visible"), ("1", "DP100_HOME hidden")])
def test_this_machine_kind_gives_full_isolation_with_reasons(fresh_detection, monkeypatch, hide_home, home_note):
    # The switch is pinned both ways: the summary names whichever way the home is, whatever the default is.
    monkeypatch.setenv(HIDE_HOME_ENV, hide_home)
    found = sandbox.isolation()
    assert found.level == FULL, found.summary()
    assert "bubblewrap 0.8" in found.summary() and "cgroup v1" in found.summary()
    assert home_note in found.summary()  # the wall left down on purpose, or put up, is named


def test_a_missing_bwrap_lowers_the_level_and_names_the_fix(monkeypatch, fresh_detection):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    found = sandbox.isolation()
    assert found.level == PARTIAL and found.bwrap is None
    assert "make bubblewrap" in found.reasons[0]


def _fake_v1(root: Path, controllers=("memory", "pids", "cpu")) -> Path:
    for name in controllers:
        (root / name).mkdir(parents=True)
        (root / name / "cgroup.procs").write_text("")
    return root


def test_cgroup_v1_and_v2_layouts_are_told_apart(tmp_path):
    v1, why = cgroups.detect(_fake_v1(tmp_path / "v1"))
    assert v1 == cgroups.CgroupSupport(1, ("memory", "pids"), tmp_path / "v1") and why == ""
    (tmp_path / "v2").mkdir()
    (tmp_path / "v2" / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    v2, _ = cgroups.detect(tmp_path / "v2")
    assert v2.version == 2 and v2.controllers == ("memory", "pids")  # never cpu: see labs.sandbox.cgroups


def test_a_cgroup_tree_without_the_pids_controller_is_refused_with_the_reason(tmp_path):
    found, why = cgroups.detect(_fake_v1(tmp_path / "v1", ("memory",)))
    assert found is None and why == "cgroup v1 without the pids controller"
    assert cgroups.detect(tmp_path / "nothing")[1].startswith("no cgroup filesystem")


def test_a_v2_group_is_made_with_its_limits_and_the_controllers_enabled_above_it(tmp_path):
    (tmp_path / "cgroup.controllers").write_text("memory pids cpu")
    support = cgroups.CgroupSupport(2, ("memory", "pids"), tmp_path)
    group = cgroups.KernelCgroup(support, "kernel-x")
    group.create(256 * 2**20, 100)
    folder = tmp_path / "dp100" / "kernel-x"
    assert (folder / "memory.max").read_text() == str(256 * 2**20) and (folder / "pids.max").read_text() == "100"
    assert (tmp_path / "dp100" / "cgroup.subtree_control").read_text() == "+memory +pids"
    assert group.procs_files == [folder / "cgroup.procs"]


def test_a_real_v1_group_takes_a_process_and_is_removed_with_it(fresh_detection):
    support = sandbox.isolation().cgroup
    group = cgroups.KernelCgroup(support, f"test-{os.getpid()}")
    group.create(128 * 2**20, 16)
    assert (group.dirs["memory"] / "memory.limit_in_bytes").read_text().strip() == str(128 * 2**20)
    joins = " ".join(f"echo $$ > {f};" for f in group.procs_files)
    proc = subprocess.Popen(["sh", "-c", f"{joins} exec sleep 60"])
    deadline = time.monotonic() + 10
    while proc.pid not in group.pids() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert group.pids() == {proc.pid}
    assert group.destroy() and proc.wait(10) == -9
    assert not any(d.exists() for d in group.dirs.values())


# -- kernels at each level -----------------------------------------------------------------------------------
def _kernel(home: Path) -> LabKernel:
    kernel = LabKernel(home / "labs" / "lvl", Limits(cell_seconds=30, max_processes=8, disk_mb=64))
    kernel.start(timeout=120)
    return kernel


def test_a_kernel_starts_with_the_sandbox_switched_off(monkeypatch, dp100_home, fresh_detection):
    monkeypatch.setenv(OFF_ENV, "off")
    kernel = _kernel(dp100_home)
    try:
        assert kernel.sandbox.cgroup is None and kernel.sandbox.level == NONE
        assert kernel.execute("print(6 * 7)").stdout == "42\n"
    finally:
        kernel.shutdown()
    assert not pid_alive(kernel.pid)


def test_with_home_hidden_the_kernel_sees_only_its_lab_folder_and_its_own_pids(monkeypatch, dp100_home,
                                                                              fresh_detection):
    monkeypatch.setenv(HIDE_HOME_ENV, "1")
    (dp100_home / "progress.db").parent.mkdir(parents=True, exist_ok=True)
    (dp100_home / "progress.db").write_text("private")
    kernel = _kernel(dp100_home)
    try:
        cell = (f"import os\nprint(os.path.exists({str(dp100_home / 'progress.db')!r}))\n"
                "open('notes.txt', 'w').write('mine')\nprint(len([p for p in os.listdir('/proc') if p.isdigit()]))")
        result = kernel.execute(cell)
        seen, processes = result.stdout.split()
        assert result.ok and seen == "False", result.text()
        assert int(processes) <= 4, f"the kernel sees {processes} processes in its own PID namespace"
        assert (kernel.folder / "notes.txt").read_text() == "mine"
    finally:
        kernel.shutdown()


def test_without_a_cgroup_a_double_forked_process_is_still_found_by_its_mark(tmp_path, fresh_detection):
    found = sandbox.isolation()
    box = Sandbox(tmp_path, tmp_path, LIMITS, found=Isolation(PARTIAL, (), bwrap=found.bwrap), policy=Policy())
    pid_file = tmp_path / "daemon.pid"
    daemon = (f"import os, subprocess\nif os.fork() == 0:\n os.setsid()\n p = subprocess.Popen(['sleep', '60'])\n"
              f" open({str(pid_file)!r}, 'w').write(str(p.pid))\n os._exit(0)\nos.wait()")
    subprocess.run(box.command([sys.executable, "-c", daemon]), env={**os.environ, **box.env()}, timeout=60)
    deadline = time.monotonic() + 10
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.02)
    daemon_pid = int(pid_file.read_text())
    assert pid_alive(daemon_pid), "the probe's daemon did not start"
    box.close()
    deadline = time.monotonic() + 10
    while pid_alive(daemon_pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not pid_alive(daemon_pid), "a double-forked process of a sandbox without a cgroup survived close()"


# -- disk quota ----------------------------------------------------------------------------------------------
def test_disk_use_counts_blocks_so_a_sparse_file_costs_nothing(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "real.bin").write_bytes(b"x" * 2**20)
    with open(tmp_path / "sparse.bin", "wb") as fh:
        fh.truncate(2**30)
    used = quota.disk_use(tmp_path)
    assert 2**20 <= used < 2 * 2**20
    assert quota.largest_file(tmp_path) == ("sub/real.bin", (tmp_path / "sub" / "real.bin").stat().st_blocks * 512)


def test_the_quota_is_read_from_the_environment_with_a_clear_error():
    assert quota.quota_mb({}) == 2048 and quota.quota_mb({"DP100_LAB_DISK_MB": "50"}) == 50
    with pytest.raises(ValueError, match="DP100_LAB_DISK_MB must be a whole number of megabytes"):
        quota.quota_mb({"DP100_LAB_DISK_MB": "2G"})


def test_a_folder_over_quota_counts_only_when_it_grew(tmp_path):
    (tmp_path / "a.bin").write_bytes(b"x" * 3 * 2**20)
    used = quota.disk_use(tmp_path)
    assert quota.over_quota(tmp_path, 2) == used
    assert quota.over_quota(tmp_path, 2, baseline=used) is None  # a cell that deletes must be let run
    assert quota.over_quota(tmp_path, 0) is None


def test_with_its_own_network_a_server_in_the_kernel_cannot_be_reached_from_outside(monkeypatch, dp100_home,
                                                                                   fresh_detection):
    import socket

    monkeypatch.setenv(OWN_NETWORK_ENV, "1")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    kernel = _kernel(dp100_home)
    try:
        cell = (f"import socket\nserver = socket.create_server(('0.0.0.0', {port}))\n"
                f"socket.create_connection(('127.0.0.1', {port}), timeout=5).close()\nprint('inside ok')")
        result = kernel.execute(cell)
        assert result.stdout == "inside ok\n", result.text()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        kernel.shutdown()


def test_with_a_cgroup_the_kernel_gets_no_machine_wide_process_rlimit(dp100_home, fresh_detection):
    # RLIMIT_NPROC counts every process of the user on the machine; with a pids cgroup the kernel does not need it.
    import resource

    kernel = _kernel(dp100_home)
    try:
        assert kernel.sandbox.cgroup is not None
        result = kernel.execute("import resource\nprint(*resource.getrlimit(resource.RLIMIT_NPROC))")
        assert [int(v) for v in result.stdout.split()] == list(resource.getrlimit(resource.RLIMIT_NPROC))
    finally:
        kernel.shutdown()


def test_a_cgroup_that_cannot_be_made_leaves_a_note_and_the_command_runs_without_it(tmp_path):
    blocked = tmp_path / "not-a-cgroup-fs"
    blocked.write_text("a file where the cgroup tree should be")
    found = Isolation(PARTIAL, (), None, cgroups.CgroupSupport(1, ("memory", "pids"), blocked))
    box = Sandbox(tmp_path, tmp_path, LIMITS, found=found, policy=Policy())
    box.prepare()
    assert box.cgroup is None and "could not be made" in box.note
    assert box.command(["python", "x.py"]) == ["python", "x.py"]
