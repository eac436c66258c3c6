"""Lab tests share one DP100_HOME for the whole session: a lab's state is built up step by step across a
module's tests, and the simulated cloud's one-time set-up (the empty MLflow store it copies) is paid once.
Labs never collide in it: each attempt names its own workspace."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def lab_home(tmp_path_factory):
    """The module's DP100_HOME, set in os.environ for module-scoped fixtures too."""
    home = tmp_path_factory.mktemp("labhome")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DP100_HOME", str(home))
        mp.delenv("DP100_DATABASE_URL", raising=False)
        yield home
        if (home / "service" / "service.json").exists():  # a kernel with a hidden home had the service started
            from sim.service import launcher

            launcher.stop()


@pytest.fixture(autouse=True)
def dp100_home(request, tmp_path, monkeypatch):
    """Module-wide home for modules that use `lab_home`; a fresh one per test otherwise."""
    home = request.getfixturevalue("lab_home") if "lab_home" in request.fixturenames else tmp_path / "dp100home"
    monkeypatch.setenv("DP100_HOME", str(home))
    monkeypatch.delenv("DP100_DATABASE_URL", raising=False)
    yield home
    if "lab_home" not in request.fixturenames and (home / "service" / "service.json").exists():
        from sim.service import launcher  # a sandbox that hides the home started this home's service

        launcher.stop()


@pytest.fixture(scope="module")
def lab(request, lab_home):
    """A driver for the lab named by the test module's `LAB_ID`, shared by the module's tests."""
    from tests.labs.labkit import LabDriver

    driver = LabDriver(request.module.LAB_ID)
    yield driver
    driver.close()
