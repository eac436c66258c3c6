"""The Labs page says how well lab code is isolated here, in the learner's language."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from labs.sandbox import FULL, NONE, PARTIAL, Isolation, cgroups
from tests.ui.conftest import ROOT


def _catalogue_captions(language: str | None = None) -> list[str]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if language:
        at.session_state["lang"] = language
    at.run()
    at.switch_page("ui/pages/labs_page.py").run()
    assert not at.exception
    return [c.value for c in at.caption]


def test_the_catalogue_names_the_isolation_level_and_its_pieces():
    line = next(c for c in _catalogue_captions() if c.startswith("Isolation of lab code"))
    assert line.startswith("Isolation of lab code: full (a bubblewrap sandbox and cgroup v1"), line


def test_the_line_is_in_portuguese_for_a_portuguese_learner():
    line = next(c for c in _catalogue_captions("pt-BR") if c.startswith("Isolamento"))
    assert line.startswith("Isolamento do código dos laboratórios: completo"), line


@pytest.mark.parametrize(("found", "key"), [
    (Isolation(FULL, (), "/usr/bin/bwrap", cgroups.CgroupSupport(1, ("memory", "pids"))), "lab.isolation_full"),
    (Isolation(PARTIAL, (), "/usr/bin/bwrap"), "lab.isolation_partial_no_cgroup"),
    (Isolation(PARTIAL, (), None, cgroups.CgroupSupport(2, ("memory", "pids"))), "lab.isolation_partial_no_bwrap"),
    (Isolation(NONE, ()), "lab.isolation_none"),
    (Isolation(NONE, (), switched_off=True), "lab.isolation_off"),
])
def test_the_labs_page_line_names_the_level_in_both_languages(monkeypatch, found, key):
    from ui import i18n
    from ui.widgets import lab_isolation

    monkeypatch.setattr(lab_isolation, "isolation", lambda: found)
    chosen, values = lab_isolation.isolation_key()
    assert chosen == key
    for lang in ("en", "pt-BR"):
        line = i18n.texts()[key][lang].format(**values)
        assert line.startswith(("Isolation of lab code", "Isolamento do código")) and "{" not in line
