"""Studio links in a cell's outputs: each ml.azure.com address opens the app's own Studio page on that item."""

from __future__ import annotations

import streamlit as st

from sim import studio_links
from ui.i18n import t

STUDIO_PAGE = "ui/pages/studio_page.py"
TAB_TITLES = {tab: f"studio.tab_{tab}" for tab in studio_links.TABS}


def output_text(result) -> str:
    """Every text of a cell's outputs where a link can hide: streams, plain and HTML displays, errors."""
    parts = []
    for out in result.outputs:
        if out["type"] == "stream":
            parts.append(out["text"])
        elif out["type"] == "display":
            parts += [str(out["data"].get(kind, "")) for kind in ("text/plain", "text/html", "text/markdown")]
        elif out["type"] == "error":
            parts.append(str(out.get("evalue", "")))
    return "\n".join(parts)


def link_label(target: dict[str, str]) -> str:
    """"Open in Studio: Experiments › <run id>" in the learner's language."""
    where = t(TAB_TITLES[target["tab"]]) if target.get("tab") else t("nav.studio")
    item = studio_links.item_of(target)
    return t("lab.open_in_studio", what=f"{where} › {item}" if item else where)


def studio_links_for(result) -> None:
    """Under a cell's outputs, one link per studio address they hold (each opens the Studio page on its item)."""
    for url in studio_links.portal_urls(output_text(result)):
        target = studio_links.studio_target(url)
        if target:
            st.page_link(STUDIO_PAGE, label=link_label(target), icon=":material/cloud:", query_params=target,
                         help=url)
