"""The Labs page: open lab 1, run its first step's code in the lab kernel, check the step."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from progress import Record
from tests.ui.conftest import ROOT


@pytest.fixture
def labs_page():
    from labs import api

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("ui/pages/labs_page.py").run()
    yield at
    api.close_all()  # no kernel outlives the test


def settle(at: AppTest, key: str, timeout: float = 120) -> AppTest:
    """Rerun until the background job under `key` is done (the browser's fragment polls the same way)."""
    deadline = time.monotonic() + timeout
    while at.session_state[key].running:
        assert time.monotonic() < deadline, f"job {key} did not finish"
        time.sleep(0.2)
    return at.run()


def test_run_and_check_the_first_step(labs_page):
    from labs import api

    at = labs_page
    at.button(key="lab-open-01").click().run()
    assert not at.exception
    key = "lab-01-create-workspace"
    at.toggle(key=f"{key}-plain").set_value(True).run()
    at.text_area(key=f"{key}-area").input(api.solution("01", "create-workspace")).run()
    at.button(key="lab_run").click().run()
    settle(at, f"{key}-result")
    assert not at.exception
    assert any("mlw-dp100-lab01" in c.value for c in at.code)
    at.button(key="lab_check").click().run()
    settle(at, f"{key}-report")
    assert at.success and "Every check" in at.success[0].value
    assert Record().lab_steps("01")["create-workspace"]["passed"] is True


def test_checking_an_untouched_step_explains_what_is_missing(labs_page):
    at = labs_page
    at.button(key="lab-open-01").click().run()
    at.button(key="lab_check").click().run()
    settle(at, "lab-01-create-workspace-report")
    assert at.error, "a failing check shows its message"
    assert Record().lab_steps("01")["create-workspace"]["passed"] is False
