"""Links from lab specs to note sections: every `note: note-id#anchor` in `labs/catalog/*/lab.yaml`
must lead to a section, so a learner stuck on a lab step always lands on the text that teaches it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from content.notes import NoteLibrary
from datafiles.problems import Problem, display_path
from datafiles.yamlsrc import YamlSyntaxError, load_yaml_file

LAB_CATALOG = Path(__file__).resolve().parents[1] / "labs" / "catalog"


def lab_note_problems(library: NoteLibrary, catalog: Path | None = None) -> list[Problem]:
    """One problem per lab `note:` reference that leads to no note or section.

    Syntax errors in lab files are left to the labs' own loader; this only reads what parses.
    """
    root = catalog or LAB_CATALOG
    if not root.is_dir():
        return []
    anchors = library.anchors()
    note_ids = set(library.notes["en"])
    found = []
    for path in sorted(root.glob("*/lab.yaml")):
        try:
            data, lines = load_yaml_file(path)
        except (OSError, UnicodeDecodeError, YamlSyntaxError):
            continue
        for loc, ref in _note_refs(data, ()):
            if ref not in anchors and ref not in note_ids:
                found.append(Problem(display_path(path), lines.line(loc),
                                     f"note reference '{ref}' leads to no note section"))
    return found


def _note_refs(data: Any, loc: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "note" and isinstance(value, str) and value.strip():
                yield (*loc, key), value.strip()
            else:
                yield from _note_refs(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _note_refs(value, (*loc, index))
