"""The `az` part of the coverage page: every command the simulated Azure CLI has, from its parsers.

Generated from the argparse trees themselves (the core commands, then `az ml` as each ML extension gives it),
so the list cannot drift from what runs. A command not listed answers as the real CLI answers a misspelling.
"""

from __future__ import annotations

import argparse

TREES = (("Core commands (always there)", None), ("`az ml` with the ML extension v2 (`ml`)", "v2"),
         ("`az ml` with the ML extension v1 (`azure-cli-ml`)", "v1"))


def _children(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def commands(parser: argparse.ArgumentParser, prefix: str = "az") -> list[tuple[str, str]]:
    """(command line, what it does) for every leaf command under `parser`."""
    found = []
    for name, child in _children(parser).items():
        line = f"{prefix} {name}"
        if _children(child):
            found += commands(child, line)
        else:
            found.append((line, child.description or ""))
    return found


def tree(ml_tree: str | None) -> list[tuple[str, str]]:
    """The commands of one tree: the core ones (None) or the `az ml` ones of an extension ("v1", "v2")."""
    from sim.az import build_parser

    rows = commands(build_parser(ml_tree))
    is_ml = [row for row in rows if row[0].startswith("az ml ")]
    return is_ml if ml_tree else [row for row in rows if not row[0].startswith("az ml ")]


def render() -> str:
    """The markdown section."""
    lines = ["", "## The simulated Azure CLI (`python -m sim az`)", "",
             "`az extension add -n ml` (CLI v2) or `-n azure-cli-ml` (CLI v1) gives `az ml` its commands; one of "
             "the two is installed at a time, as in Azure. CLI v2 commands run the real `azure-ai-ml` against the "
             "simulated service.", ""]
    for title, ml_tree in TREES:
        lines += [f"### {title}", "", "| Command | What it does |", "|---|---|"]
        lines += [f"| `{line}` | {text} |" for line, text in tree(ml_tree)]
        lines.append("")
    return "\n".join(lines)
