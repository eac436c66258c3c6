"""Every page renders without an exception, alone and through the app's router."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import ROOT
from ui.navigation import PAGES

PAGE_FILES = [file for file, *_ in PAGES]


@pytest.mark.parametrize("page", PAGE_FILES)
def test_page_renders(page, sample_bank):
    # Through the router: page links only resolve when st.navigation knows every page.
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.switch_page(f"ui/pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, f"{page} shows no title"


def test_router_renders_home_by_default():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "DP-100 Study & Lab"


def test_router_switches_to_every_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    for file, title, *_ in PAGES:
        at.switch_page(f"ui/pages/{file}").run()
        assert not at.exception, (file, [e.value for e in at.exception])
        expected = "DP-100 Study & Lab" if file == "home_page.py" else title
        assert at.title[0].value == expected


def test_settings_language_is_remembered(page_test):
    from progress import Record

    at = page_test("settings_page.py").run()
    at.radio(key="settings_language").set_value("pt-BR").run()
    assert not at.exception
    assert Record().get_setting("language") == "pt-BR"


def test_settings_reset_needs_typed_confirmation(page_test, dp100_home):
    from progress import Record

    Record().record_answer("q-1", "a", True)
    at = page_test("settings_page.py").run()
    assert at.button(key="settings_reset").disabled
    at.text_input(key="settings_reset_confirm").input("RESET").run()
    at.button(key="settings_reset").click().run()
    assert not at.exception
    assert Record().answers() == []


def test_unwritable_home_shows_one_sentence(page_test, monkeypatch, tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("DP100_HOME", str(blocker / "home"))
    at = page_test("progress_page.py").run()
    assert not at.exception
    assert "not writable" in at.error[0].value


def test_realistic_delays_reach_the_simulator(page_test, monkeypatch):
    import os

    from sim.cloud import compute

    for variable in ("DP100_SIM_COMPUTE_DELAY", "DP100_SIM_RUN_DELAY", "DP100_SIM_DEPLOY_DELAY"):
        monkeypatch.setenv(variable, "0")
    at = page_test("settings_page.py").run()
    at.toggle(key="settings_delays").set_value(True).run()
    assert not at.exception
    assert compute.provisioning_delay() > 0
    assert os.environ["DP100_SIM_RUN_DELAY"] != "0" and os.environ["DP100_SIM_DEPLOY_DELAY"] != "0"
    at.toggle(key="settings_delays").set_value(False).run()
    assert compute.provisioning_delay() == 0
