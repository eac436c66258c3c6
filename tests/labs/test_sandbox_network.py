"""A kernel with its own network namespace (on whenever the sandbox hides DP100_HOME): what it binds is reachable
from no one outside, and the simulated Azure's port still answers inside through the sandbox's forwarder, which
ends with the kernel."""

from __future__ import annotations

import json
import socket
import sys
import time
from pathlib import Path

import pytest

from labs import sandbox
from labs.kernel import LabKernel, Limits, pid_alive
from labs.sandbox import Policy
from labs.sandbox.detect import HIDE_HOME_ENV, policy_notes

pytestmark = pytest.mark.skipif(sandbox.isolation().bwrap is None, reason="needs bubblewrap")


@pytest.fixture
def hidden_kernel(monkeypatch, dp100_home):
    """A lab kernel whose sandbox hides the home (so it has its own PID and network namespaces)."""
    sandbox.detect.forget()
    monkeypatch.setenv(HIDE_HOME_ENV, "1")
    kernel = LabKernel(dp100_home / "labs" / "net", Limits(cell_seconds=60, max_processes=8, disk_mb=64))
    kernel.start(timeout=120)
    yield kernel
    kernel.shutdown()
    sandbox.detect.forget()


def _service_port(home: Path) -> int:
    return json.loads((home / "service" / "service.json").read_text())["port"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _runs_forwarder(pid: int) -> bool:
    """True for the forwarder itself (bwrap's own command line names it too, as an argument)."""
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    return argv[:3] == [sys.executable.encode(), b"-I", b"-S"] and argv[3].endswith(b"forward.py")


def test_a_server_bound_on_every_address_in_the_kernel_is_unreachable_from_outside(hidden_kernel):
    port = _free_port()
    cell = (f"import socket\nserver = socket.create_server(('0.0.0.0', {port}))\n"
            f"socket.create_connection(('127.0.0.1', {port}), timeout=5).close()\nprint('inside ok')")
    result = hidden_kernel.execute(cell)
    assert result.stdout == "inside ok\n", result.text()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_the_service_port_answers_inside_through_the_forwarder(hidden_kernel, dp100_home):
    port = _service_port(dp100_home)
    cell = ("import json, urllib.request\n"
            f"print(json.load(urllib.request.urlopen('http://127.0.0.1:{port}/_sim/ping', timeout=30))['port'])")
    result = hidden_kernel.execute(cell)
    assert result.ok and result.stdout.strip() == str(port), result.text()


def test_outside_addresses_are_unreachable_from_the_kernel(hidden_kernel):
    # Only the loopback exists inside: the machine's other addresses (and the internet) have no route.
    cell = ("import socket\ntry:\n socket.create_connection(('192.0.2.1', 80), timeout=3)\n"
            "except OSError as exc:\n print('refused', type(exc).__name__)\n")
    result = hidden_kernel.execute(cell)
    assert result.stdout.startswith("refused"), result.text()


def test_the_forwarder_is_counted_as_the_sandboxs_own_and_ends_with_the_kernel(hidden_kernel):
    assert hidden_kernel.sandbox.forwards_service
    inside = hidden_kernel.sandbox.processes()
    assert inside is not None, "this machine kind gives kernels a cgroup"
    assert hidden_kernel._learner_processes() == 0, f"processes in the sandbox: {sorted(inside)}"
    forwarder = [pid for pid in inside if _runs_forwarder(pid)]
    assert len(forwarder) == 1
    hidden_kernel.shutdown()
    deadline = time.monotonic() + 20
    while pid_alive(forwarder[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(forwarder[0]), "the forwarder outlived its kernel"


def test_doctor_says_whether_kernels_have_their_own_network():
    assert any("JupyterLab's too" in note for note in policy_notes(Policy.from_env({HIDE_HOME_ENV: "1"})))
    assert any("network shared" in note for note in policy_notes(Policy.from_env({HIDE_HOME_ENV: "0"})))
    assert any("jobs' code and scoring scripts" in note
               for note in policy_notes(Policy.from_env({HIDE_HOME_ENV: "1"})))
