"""`labs.sandbox.quota.watch`: the size check that job sandboxes and JupyterLab's kernels share."""

from __future__ import annotations

import subprocess
import sys

from labs.sandbox import quota

FILL = "with open('fill.bin', 'wb') as f:\n    while True:\n        f.write(b'x' * 65536); f.flush()\n"


def test_a_process_that_ends_gives_its_exit_code(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"], cwd=tmp_path)
    assert quota.watch(proc, tmp_path, 1, every=0.1) == 3


def test_a_process_filling_its_folder_past_the_quota_is_stopped_and_reaped(tmp_path):
    seen = []
    proc = subprocess.Popen([sys.executable, "-c", FILL], cwd=tmp_path)
    assert quota.watch(proc, tmp_path, 2, every=0.1, on_wait=seen.append) is None
    assert proc.returncode is not None and proc.returncode < 0  # killed, and waited for: no zombie left
    assert (tmp_path / "fill.bin").stat().st_size > 2 * 1024 * 1024  # kept: the learner decides what to delete
    assert seen and seen[0] is proc
