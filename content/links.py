"""Links between notes: `[text](#anchor)`, `[text](note-id)` and `[text](note-id#anchor)`.

Such links are how notes point at each other; `dp100 content check` reports any that lead nowhere,
and `resolve_link` tells the app which note and section a link opens.
"""

from __future__ import annotations

import re
from pathlib import Path

from content.notes import Note, NoteLibrary
from datafiles.problems import Problem

_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
_INTERNAL = re.compile(r"^(?P<note>[a-z0-9][a-z0-9-]*)?(?:#(?P<anchor>[a-z0-9][a-z0-9-]*))?$")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")


def internal_links(text: str) -> list[tuple[int, str]]:
    """(line, target) of every link to a note or anchor, outside code fences and inline code."""
    if "](" not in text:
        return []
    found, in_fence = [], False
    lines = text.split("\n")
    number, position = 1, 0
    for match in _LINK_OR_FENCE_LINE.finditer(text):  # visit only lines that matter, at C speed
        number += text.count("\n", position, match.start())
        position = match.start()
        line = lines[number - 1]
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            prose = re.sub(r"`[^`]*`", "", line)
            found += [(number, m.group(1)) for m in _LINK.finditer(prose) if _is_internal(m.group(1))]
    return found


_LINK_OR_FENCE_LINE = re.compile(r"^(?:[ \t]{0,3}(?:```|~~~)|.*\]\()", re.M)


def _is_internal(target: str) -> bool:
    return "://" not in target and not target.startswith(("mailto:", "/")) and bool(_INTERNAL.match(target))


def resolve_link(target: str, current: Note, library: NoteLibrary) -> tuple[str, str] | None:
    """The (note id, anchor) a link opens from `current`, or None when it leads nowhere.

    Args:
        target: the link target as written, e.g. `#key-vault`, `workspace` or `workspace#connect`.
        current: the note the link is in (for `#anchor` links).
        library: all notes (a link resolves in the current note's language, else English).
    """
    match = _INTERNAL.match(target)
    if not match or not (match.group("note") or match.group("anchor")):
        return None
    note_id = match.group("note") or current.id
    anchor = match.group("anchor") or ""
    note = library.get(note_id, current.lang)
    if note is None or (anchor and note.section(anchor) is None):
        return None
    return note_id, anchor


def link_problems(library: NoteLibrary) -> list[Problem]:
    """One problem per link, in any note, that leads to no note or no section."""
    found = []
    for note in library.all_notes():
        try:
            text = (note.source or Path(note.path)).read_text(encoding="utf-8")
        except OSError:
            continue  # the loader already reported an unreadable file
        for line, target in internal_links(text):
            if resolve_link(target, note, library) is None:
                found.append(Problem(note.path, line, f"link '{target}' leads to no note section"))
    return found
