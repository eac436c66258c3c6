"""Lab tests share one DP100_HOME per test module, because a lab's state is built up step by step."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def lab_home(tmp_path_factory):
    """The module's DP100_HOME, set in os.environ for module-scoped fixtures too."""
    home = tmp_path_factory.mktemp("labhome")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DP100_HOME", str(home))
        mp.delenv("DP100_DATABASE_URL", raising=False)
        yield home


@pytest.fixture(autouse=True)
def dp100_home(request, tmp_path, monkeypatch):
    """Module-wide home for modules that use `lab_home`; a fresh one per test otherwise."""
    home = request.getfixturevalue("lab_home") if "lab_home" in request.fixturenames else tmp_path / "dp100home"
    monkeypatch.setenv("DP100_HOME", str(home))
    monkeypatch.delenv("DP100_DATABASE_URL", raising=False)
    return home
