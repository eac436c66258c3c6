"""The sandbox of a job's user code (labs.sandbox.jobs), without the simulator: its switch, its settings, the folder
quota it watches and what is left of it after the code ends."""

from __future__ import annotations

import os
import time
import uuid

import pytest

from labs.sandbox import isolation
from labs.sandbox import jobs as job_boxes
from tests.processes import alive_with


def test_jobs_are_sandboxed_only_when_the_policy_hides_the_home():
    assert job_boxes.wanted({"DP100_SANDBOX_HIDE_HOME": "1"}) is True
    assert job_boxes.wanted({}) is False


def test_a_job_memory_setting_that_is_no_number_says_what_to_write():
    assert job_boxes.memory_mb({}) == job_boxes.DEFAULT_MEMORY_MB
    assert job_boxes.memory_mb({"DP100_JOB_MEMORY_MB": "1024"}) == 1024
    with pytest.raises(ValueError, match="DP100_JOB_MEMORY_MB must be a whole number of megabytes, not 'lots'"):
        job_boxes.memory_mb({"DP100_JOB_MEMORY_MB": "lots"})


def test_code_that_fills_its_folder_is_stopped_and_leaves_nothing_running(tmp_path, monkeypatch, dp100_home):
    assert isolation().bwrap, f"this machine kind has bubblewrap: {isolation().summary()}"
    monkeypatch.setenv("DP100_LAB_DISK_MB", "20")
    folder = tmp_path / "wd"
    folder.mkdir()
    token = f"300.{uuid.uuid4().int % 10**9}"
    script = (f"(setsid sleep {token} &); for i in $(seq 1 60); do head -c 1048576 /dev/zero > part-$i; done; "
              "sleep 60")
    dp100_home.mkdir(parents=True, exist_ok=True)
    box = job_boxes.job_sandbox(folder, dp100_home)
    started = time.monotonic()
    with open(tmp_path / "log", "wb") as log:
        code = job_boxes.run(box, ["sh", "-c", script], dict(os.environ), log)
    assert code == job_boxes.QUOTA_EXIT, (tmp_path / "log").read_text()
    assert time.monotonic() - started < 45, "the folder's quota was not enforced while the code slept"
    deadline = time.monotonic() + 15
    while alive_with(token) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive_with(token) == [], "a setsid daemon of the job outlived its sandbox"
