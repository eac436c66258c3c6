"""`dp100 doctor` says how lab code is isolated here ("full / partial / none") and why."""

from __future__ import annotations

import pytest

from labs import sandbox


@pytest.fixture
def fresh_detection():
    sandbox.detect.forget()
    yield
    sandbox.detect.forget()


def test_doctor_prints_the_isolation_level_and_why(capsys, fresh_detection):
    from dp100.cli import main

    main(["doctor"])
    line = next(row for row in capsys.readouterr().out.splitlines() if row.startswith("isolation"))
    assert "full - bubblewrap" in line and "cgroup v1" in line


def test_doctor_says_when_the_sandbox_is_switched_off(capsys, monkeypatch, fresh_detection):
    from dp100.cli import main

    monkeypatch.setenv("DP100_SANDBOX", "off")
    main(["doctor"])
    line = next(row for row in capsys.readouterr().out.splitlines() if row.startswith("isolation"))
    assert "none - the sandbox is switched off (DP100_SANDBOX=off)" in line
