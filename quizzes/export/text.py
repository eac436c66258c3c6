"""Small text helpers shared by the exporters: the bank's markdown subset to HTML."""

from __future__ import annotations

import html
import re

_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def to_html(markdown: str) -> str:
    """Escape HTML and render inline code, bold and line breaks (all the bank's stems use)."""
    text = html.escape(markdown.strip())
    text = _CODE.sub(r"<code>\1</code>", text)
    text = _BOLD.sub(r"<b>\1</b>", text)
    return text.replace("\n", "<br>")
