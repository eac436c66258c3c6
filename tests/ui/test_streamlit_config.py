"""Streamlit settings the app depends on, read through Streamlit's own config loader (so a renamed or dropped
option in a Streamlit upgrade shows here, not as a slow app)."""

from __future__ import annotations

import pytest
from streamlit import config

from tests.ui.conftest import ROOT


@pytest.fixture
def project_config(monkeypatch):
    """Streamlit's options as `streamlit run` sees them from the project folder; the defaults again afterwards."""
    monkeypatch.chdir(ROOT)
    config.get_config_options(force_reparse=True)
    yield config
    monkeypatch.undo()
    config.get_config_options(force_reparse=True)


def test_no_full_garbage_collection_after_each_script_run(project_config):
    # While a lab cell or check works, the page reruns a fragment every 0.5 s. Streamlit's default full
    # gc.collect(2) after each run held the GIL for 0.3-0.9 s at a time on a busy machine and made the first
    # MLflow check in the app take 20-54 s (it imports MLflow in a background thread) instead of ~5 s.
    assert "runner.postScriptGC" in project_config._config_options  # the option still exists in this Streamlit
    assert project_config.get_option("runner.postScriptGC") is False


def test_the_project_settings_are_the_ones_read(project_config):
    # Guards the test above: the project's config.toml is really what the loader read.
    assert project_config.get_option("client.toolbarMode") == "minimal"
    assert project_config.get_option("browser.gatherUsageStats") is False
