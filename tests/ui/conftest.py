"""AppTest helpers: cache Streamlit's component-manifest scan once per test session.

Every new AppTest otherwise rescans every installed package's metadata (~120 ms a test). The scan is a
private API, which is why pyproject pins Streamlit's version.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
_cached_scan = lru_cache(maxsize=1)(manifest_scanner.scan_component_manifests)


@pytest.fixture(autouse=True)
def _fast_manifest_scan(monkeypatch):
    monkeypatch.setattr(manifest_scanner, "scan_component_manifests", lambda *a, **k: _cached_scan())


@pytest.fixture
def page_test():
    """Build an AppTest for one page file under ui/pages, with a generous first-run timeout."""
    import streamlit as st

    def make(name: str) -> AppTest:
        st.cache_data.clear()
        st.cache_resource.clear()
        return AppTest.from_file(str(ROOT / "ui" / "pages" / name), default_timeout=30)

    return make


FIXTURE_BANK = ROOT / "tests" / "ui" / "fixtures" / "bank"


@pytest.fixture
def sample_bank(monkeypatch):
    """Serve the small fixture bank (one question per item type) instead of the real one."""
    import curriculum.check
    import quizzes.bank

    monkeypatch.setattr(quizzes.bank, "BANK_DIR", FIXTURE_BANK)
    monkeypatch.setattr(curriculum.check, "BANK_DIR", FIXTURE_BANK)
    return FIXTURE_BANK


@pytest.fixture
def labs():
    """The Labs page, with every lab kernel it starts shut down afterwards."""
    from labs import api

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("ui/pages/labs_page.py").run()
    yield at
    api.close_all()
