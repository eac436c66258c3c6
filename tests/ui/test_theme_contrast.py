"""The app's theme keeps text readable: WCAG AA contrast (4.5:1) for the colours the app chooses."""

from __future__ import annotations

import tomllib

from tests.ui.conftest import ROOT

WHITE = (255, 255, 255)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))


def _over(colour, background, alpha: float):
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(colour, background, strict=True))


def _luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    """The WCAG contrast ratio of two colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_theme_meets_aa_contrast_where_streamlits_defaults_did_not():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    primary, text = _rgb(theme["primaryColor"]), _rgb(theme["textColor"])
    assert contrast(primary, _over(primary, WHITE, 0.1)) >= 4.5  # a selected mode: red text on a red tint
    assert contrast(_over(text, WHITE, 0.6), WHITE) >= 4.5  # captions: the text colour at 60 % opacity
    assert contrast(WHITE, primary) >= 4.5  # white labels of primary buttons


def test_streamlits_default_colours_fail_the_same_check():
    # Why the theme exists (the defaults, as axe-core measured them in Chromium): red #ff4b4b text on its tint
    # and #828180 captions on white.
    assert contrast((0x82, 0x81, 0x80), WHITE) < 4.5
    assert contrast(_rgb("#ff4b4b"), _over(_rgb("#ff4b4b"), WHITE, 0.1)) < 4.5
