"""A long-lived process reaches high file descriptors: waits must not use select(), and engines must let go.

CI once failed a sandboxed job's start with "filedescriptor out of range in select()": a test worker had passed
1,023 descriptors, most of them SQLite files of earlier tests' homes that cached engines kept open.
"""

from __future__ import annotations

import fcntl
import os

import pytest

HIGH = 1500  # past select()'s FD_SETSIZE of 1024


@pytest.fixture
def high_pipe():
    """A pipe whose read end is descriptor HIGH or above (past what select() accepts)."""
    read, write = os.pipe()
    high = fcntl.fcntl(read, fcntl.F_DUPFD, HIGH)  # the lowest free one from HIGH: dup2 would close one in use
    os.close(read)
    yield high, write
    for fd in (high, write):
        try:
            os.close(fd)
        except OSError:
            pass


def test_a_sandbox_holder_s_pipe_is_read_past_descriptor_1023(high_pipe):
    from labs.sandbox.jobs import _read_until

    read, write = high_pipe
    os.write(write, b'{"child-pid": 42}')
    with open(read, "rb", buffering=0, closefd=False) as pipe:
        assert _read_until(pipe, lambda data: data.endswith(b"}")) == b'{"child-pid": 42}'


def test_a_joined_job_s_exit_code_is_read_past_descriptor_1023(high_pipe):
    from sim._joined_job import _exit_code

    read, write = high_pipe
    child = os.fork()
    if child == 0:
        os._exit(0)
    os.write(write, b"3")
    assert _exit_code(child, read) == 3
    os.waitpid(child, 0)


def _open_under(folder) -> list[str]:
    prefix = str(folder.resolve())
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # the listing's own descriptor, closed already
        if target.startswith(prefix):
            found.append(target)
    return found


def test_disposing_a_home_closes_its_state_files(dp100_home):
    from sim.cloud import store, workspaces

    workspaces.create(None, "rg-fd", "mlw-fd", location="eastus")
    assert any(path.endswith("state.db") for path in _open_under(dp100_home))
    store.dispose_under(dp100_home)
    assert _open_under(dp100_home) == []
