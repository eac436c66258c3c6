"""The lab's code editor component: its colours stay readable."""

from __future__ import annotations

import re

from tests.ui.conftest import ROOT
from tests.ui.test_theme_contrast import _rgb, contrast

CSS = ROOT / "ui" / "widgets" / "code_editor.css"


def test_every_colour_of_the_editor_meets_aa_contrast_on_its_background():
    css = CSS.read_text()
    background = _rgb(re.search(r"background: (#[0-9a-f]{6})", css).group(1))
    colours = re.findall(r"(?<![-\w])color: (#[0-9a-f]{6})", css)
    assert len(colours) >= 7, "the text colour and one per kind of token"
    for colour in colours:
        assert contrast(_rgb(colour), background) >= 4.5, colour
