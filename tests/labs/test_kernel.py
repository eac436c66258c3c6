"""Lab kernels: real IPython kernels with limits, and nothing left running after shutdown."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from labs.kernel import CellResult, LabKernel, Limits, _children, pid_alive


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    home = tmp_path_factory.mktemp("khome")
    old = os.environ.get("DP100_HOME")
    os.environ["DP100_HOME"] = str(home)
    k = LabKernel(home / "labs" / "k", Limits(cell_seconds=20, memory_mb=3072, max_processes=8))
    k.start()
    yield k
    k.shutdown()
    if old is None:
        os.environ.pop("DP100_HOME", None)
    else:
        os.environ["DP100_HOME"] = old


def test_runs_a_cell_in_the_lab_folder_and_shares_variables(kernel):
    first = kernel.execute("import os\nanswer = 41\nprint(os.getcwd())")
    assert first.ok and first.stdout.strip() == str(kernel.folder)
    second = kernel.execute("answer + 1")
    assert second.ok and second.outputs[-1]["data"]["text/plain"] == "42"


def test_a_running_kernel_follows_the_realistic_delay_setting(kernel, monkeypatch):
    read = "import os\nprint(os.environ.get('DP100_SIM_RUN_DELAY', '0'), os.environ.get('DP100_SIM_DEPLOY_DELAY', '0'))"
    monkeypatch.setenv("DP100_SIM_RUN_DELAY", "0")
    monkeypatch.setenv("DP100_SIM_DEPLOY_DELAY", "0")
    assert kernel.execute(read).stdout.split() == ["0", "0"]
    monkeypatch.setenv("DP100_SIM_RUN_DELAY", "5")  # what the app does when the learner turns delays on
    monkeypatch.setenv("DP100_SIM_DEPLOY_DELAY", "10")
    assert kernel.execute(read).stdout.split() == ["5", "10"]
    assert kernel.execute("_o").status == "error"  # the silent update leaves nothing in the learner's namespace


def test_outputs_arrive_in_the_given_result_while_the_cell_runs(kernel):
    import threading

    gate = kernel.folder / "go"  # in the lab folder: the kernel's sandbox has a /tmp of its own
    live = CellResult(status="ok")
    code = f"import pathlib, time\nprint('epoch 1', flush=True)\nwhile not pathlib.Path({str(gate)!r}).exists(): " \
           "time.sleep(0.05)\nprint('epoch 2')"
    worker = threading.Thread(target=kernel.execute, args=(code,), kwargs={"into": live})
    worker.start()
    deadline = time.monotonic() + 15
    while "epoch 1" not in live.stdout and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live.stdout == "epoch 1\n", "the first print is visible before the cell ends"
    gate.touch()
    worker.join(15)
    assert live.ok and live.stdout == "epoch 1\nepoch 2\n" and live.seconds > 0


def test_writefile_magic_writes_into_the_lab_folder(kernel):
    result = kernel.execute("%%writefile hello.py\nprint('hello from a script')\n")
    assert result.ok, result.text()
    assert (kernel.folder / "hello.py").read_text() == "print('hello from a script')\n"
    assert kernel.execute("!python hello.py").stdout.strip() == "hello from a script"


def test_errors_come_back_with_a_plain_traceback(kernel):
    result = kernel.execute("def f():\n    return 1 / 0\nf()")
    assert result.status == "error"
    assert result.error["ename"] == "ZeroDivisionError"
    assert any("return 1 / 0" in line for line in result.error["traceback"])
    assert not any("\x1b[" in line for line in result.error["traceback"])


def test_rich_results_include_html_and_png(kernel):
    html = kernel.execute("import pandas as pd\npd.DataFrame({'a': [1, 2]})")
    assert "text/html" in html.outputs[-1]["data"]
    plot = kernel.execute("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()")
    assert plot.ok and any("image/png" in o.get("data", {}) for o in plot.outputs)


def test_az_shim_is_on_the_kernel_path_only(kernel):
    result = kernel.execute("import shutil\nprint(shutil.which('az'))")
    assert result.stdout.strip().endswith("kernels/bin/az")
    shim = open(result.stdout.strip()).read()
    assert "-m sim az" in shim


def test_infinite_loop_is_interrupted_at_the_limit_and_variables_survive(kernel):
    kernel.execute("kept = 'still here'")
    started = time.monotonic()
    result = kernel.execute("while True:\n    pass", timeout=1.5)
    assert result.status == "timeout" and "1.5 s" in result.message
    assert not result.restarted
    assert time.monotonic() - started < 6
    assert kernel.execute("kept").outputs[-1]["data"]["text/plain"] == "'still here'"


def test_cell_ignoring_interrupts_gets_a_fresh_kernel(kernel):
    code = "import time\nwhile True:\n    try:\n        time.sleep(5)\n    except KeyboardInterrupt:\n        pass"
    result = kernel.execute(code, timeout=1)
    assert result.status == "timeout" and result.restarted
    assert "restarted" in result.message
    assert kernel.execute("1 + 1").outputs[-1]["data"]["text/plain"] == "2"


def test_allocation_past_the_memory_limit_restarts_only_that_kernel(kernel):
    old_pid = kernel.pid
    result = kernel.execute("block = bytearray(20 * 1024 ** 3)")
    assert result.status == "memory" and result.restarted
    assert "3072 MB" in result.message
    assert kernel.pid != old_pid and not pid_alive(old_pid)
    assert kernel.execute("'alive'").outputs[-1]["data"]["text/plain"] == "'alive'"


def test_kernel_that_dies_is_replaced(kernel):
    result = kernel.execute("import os\nos._exit(3)")
    assert result.status == "died" and result.restarted
    assert kernel.execute("2 * 21").outputs[-1]["data"]["text/plain"] == "42"


def test_too_many_processes_stops_the_cell(kernel):
    code = ("import subprocess, time\n"
            "procs = [subprocess.Popen(['sleep', '30']) for _ in range(12)]\ntime.sleep(5)")
    result = kernel.execute(code, timeout=10)
    assert result.status == "processes" and result.restarted
    assert "8 processes" in result.message


def _host_pid(inner: int, ancestor: int) -> int | None:
    """The pid on this host of the descendant of `ancestor` that calls itself `inner` in its own PID namespace.

    A sandboxed kernel has its own PID namespace, so a pid it prints is not a pid here; /proc/<pid>/status lists a
    process's pid in each namespace it is in ("NSpid:", this host's first, its own last). Without a namespace the
    two are the same.
    """
    for pid in _children(ancestor):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        line = next((row for row in status.splitlines() if row.startswith("NSpid:")), f"NSpid: {pid}")
        if int(line.split()[-1]) == inner:
            return pid
    return None


def _in_namespace(namespace: str) -> list[int]:
    """Live processes whose PID namespace is `namespace` (a /proc/<pid>/ns/pid link text)."""
    found = []
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{name}/ns/pid") == namespace and pid_alive(int(name)):
                found.append(int(name))
        except OSError:
            continue
    return found


def test_shutdown_leaves_no_orphans(tmp_path):
    k = LabKernel(tmp_path / "lab", Limits(cell_seconds=10))
    k.start()
    printed = k.execute("import subprocess, os\np = subprocess.Popen(['sleep', '60'])\nprint(p.pid)").stdout
    kernel_pid = k.pid
    child = _host_pid(int(printed.strip()), kernel_pid)
    assert child is not None and pid_alive(child), f"the kernel's child {printed.strip()} is not found on this host"
    namespace = os.readlink(f"/proc/{child}/ns/pid")
    # With the kernel in its own PID namespace, everything it started is in that namespace, even a process that left
    # its parent (setsid, double fork); without one, the namespace is this host's and its descendants tell.
    own_namespace = namespace != os.readlink("/proc/self/ns/pid")
    k.shutdown()
    k.shutdown()  # twice is harmless
    deadline = time.monotonic() + 15

    def left() -> list[int]:
        found = [pid for pid in (child, kernel_pid) if pid_alive(pid)]
        return found + (_in_namespace(namespace) if own_namespace else [])

    while left() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left() == [], f"still running after shutdown: {left()}"
    assert not any(p.name.startswith("kernel-") for p in (tmp_path.parent / "dp100home" / "kernels" / "run").glob("*"))


def test_a_kernel_starts_under_a_home_too_deep_for_unix_sockets(tmp_path, monkeypatch):
    home = tmp_path / ("deep-" * 12) / "dp100home"  # its kernels/run/ipc-... would pass AF_UNIX's 107 bytes
    monkeypatch.setenv("DP100_HOME", str(home))
    assert len(str(home / "kernels" / "run" / "ipc-0123456789ab-1")) > 107
    k = LabKernel(home / "labs" / "deep", Limits(cell_seconds=20))
    try:
        k.start()
        assert k.execute("print(6 * 7)").stdout.strip() == "42"
    finally:
        k.shutdown()
