"""Load the study notes: markdown files with front matter, split into anchored sections.

A note is `content/notes/<lang>/<id>.md`. Headings of level 2-4 carry a stable anchor written after the
heading text: `## Create a workspace {#create-workspace}`. The anchor is the same in every language, so
questions and lab checks link to `note-id#anchor` whatever language the learner reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from content.schema import NoteFrontMatter
from datafiles.problems import Problem, display_path
from datafiles.validation import duplicate_key_problems, validation_problems
from datafiles.yamlsrc import YamlSyntaxError, load_yaml_cached

NOTES_DIR = Path(__file__).parent / "notes"
LANGUAGES = ("en", "pt-BR")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
ANCHOR = re.compile(r"\s*\{#([a-z0-9][a-z0-9-]*)\}\s*$")
FENCE = re.compile(r"^(`{3,}|~{3,})\s*(.*)$")


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block; `flags` are the words after the language (e.g. `run` in ```python run)."""

    language: str
    flags: tuple[str, ...]
    code: str
    line: int


@dataclass(frozen=True)
class Section:
    """A part of a note under one heading (the intro before the first heading has anchor "")."""

    anchor: str
    title: str
    level: int
    line: int
    body: str
    code_blocks: tuple[CodeBlock, ...] = ()
    skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    """One note in one language."""

    id: str
    lang: str
    title: str
    order: int
    sdk: tuple[str, ...]
    skills: tuple[str, ...]
    summary: str
    path: str
    sections: tuple[Section, ...]
    front: NoteFrontMatter
    source: Path | None = None  # absolute path of the file (`path` is for display)

    def anchors(self) -> list[str]:
        """The section anchors, in order (the intro's empty anchor excluded)."""
        return [s.anchor for s in self.sections if s.anchor]

    def section(self, anchor: str) -> Section | None:
        """The section with this anchor, or None."""
        return next((s for s in self.sections if s.anchor == anchor), None)

    def markdown(self) -> str:
        """The body as plain markdown (anchors removed), for rendering the whole note."""
        parts = []
        for s in self.sections:
            heading = f"{'#' * s.level} {s.title}\n\n" if s.anchor else ""
            parts.append(heading + s.body)
        return "\n\n".join(p.strip("\n") for p in parts if p.strip())


@dataclass
class NoteLibrary:
    """All notes that loaded, by language then id, plus the problems found."""

    notes: dict[str, dict[str, Note]] = field(default_factory=lambda: {lang: {} for lang in LANGUAGES})
    problems: list[Problem] = field(default_factory=list)

    def get(self, note_id: str, lang: str = "en") -> Note | None:
        """A note in a language, falling back to English."""
        return self.notes.get(lang, {}).get(note_id) or self.notes["en"].get(note_id)

    def ordered(self, lang: str = "en") -> list[Note]:
        """Notes of a language in reading order (English notes fill in missing translations)."""
        ids = set(self.notes["en"]) | set(self.notes.get(lang, {}))
        found = [n for n in (self.get(i, lang) for i in ids) if n is not None]
        return sorted(found, key=lambda n: (n.order, n.id))

    def anchors(self) -> set[str]:
        """Every `note-id#anchor` of the English notes (what references may point at)."""
        return {f"{n.id}#{a}" for n in self.notes["en"].values() for a in n.anchors()}

    def all_notes(self) -> list[Note]:
        """Every loaded note of every language."""
        return [n for by_id in self.notes.values() for n in by_id.values()]


def load_notes(directory: Path | None = None) -> NoteLibrary:
    """Load every note of every language; a broken file becomes problems, never an exception.

    Args:
        directory: the folder holding one sub-folder per language (defaults to `content/notes/`).
    """
    root = directory or NOTES_DIR
    library = NoteLibrary()
    if root.is_dir():
        library.problems += [
            Problem(display_path(folder), 0, f"unknown language folder '{folder.name}' (use one of: "
                                             f"{', '.join(LANGUAGES)}); its notes are not loaded")
            for folder in sorted(root.iterdir()) if folder.is_dir() and folder.name not in LANGUAGES
        ]
    for lang in LANGUAGES:
        for path in sorted((root / lang).glob("*.md")):
            note = parse_note(path, lang, library.problems)
            if note is None:
                continue
            if note.id in library.notes[lang]:
                first = library.notes[lang][note.id].path
                library.problems.append(Problem(note.path, 1, f"duplicate note id '{note.id}' (also {first})"))
                continue
            library.notes[lang][note.id] = note
    _inherit_front_matter(library)
    return library


def parse_note(path: Path, lang: str, problems: list[Problem]) -> Note | None:
    """Parse one markdown note; append problems found and return None when it cannot be used."""
    name = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, 0, f"cannot read file: {exc}"))
        return None
    front, body_start = _front_matter(text, name, problems, str(path.absolute()))
    if front is None:
        return None
    if path.stem != front.id:
        problems.append(Problem(name, 2, f"id '{front.id}' must match the file name '{path.stem}.md'"))
    lines = text.splitlines()[body_start:]
    sections = _sections(lines, body_start, name, problems, front)
    return Note(
        id=front.id, lang=lang, title=front.title, order=front.order or 0, sdk=tuple(front.sdk or ()),
        skills=tuple(front.skills or ()), summary=front.summary or "", path=name,
        sections=tuple(sections), front=front, source=path.absolute(),
    )


def _front_matter(text: str, name: str, problems: list[Problem],
                  source: str | None = None) -> tuple[NoteFrontMatter | None, int]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(name, 1, "a note must start with front matter between '---' lines"))
        return None, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problems.append(Problem(name, 1, "front matter is not closed by a '---' line"))
        return None, 0
    try:
        data, line_map = load_yaml_cached("\n".join(lines[1:end]), line_offset=1, source=source)
        problems.extend(duplicate_key_problems(name, line_map))
        return NoteFrontMatter.model_validate(data), end + 1
    except YamlSyntaxError as exc:
        problems.append(Problem(name, exc.line, str(exc)))
    except ValidationError as exc:
        problems.extend(validation_problems(exc, name, line_map))
    return None, 0


def _sections(
    lines: list[str], offset: int, name: str, problems: list[Problem], front: NoteFrontMatter
) -> list[Section]:
    builder = _SectionBuilder(lines, offset, name, problems, front.sections or {})
    text = "\n".join(lines)
    index, position = 0, 0
    for match in _MARKUP_LINE.finditer(text):  # only headings and fences matter; skip prose at C speed
        index += text.count("\n", position, match.start())
        position = match.start()
        builder.feed(index, lines[index])
    return builder.finish()


_MARKUP_LINE = re.compile(r"^[ \t]{0,3}(?:#|```|~~~)", re.M)


class _SectionBuilder:
    """Splits the body at headings outside code fences; sees only heading and fence lines."""

    def __init__(self, lines: list[str], offset: int, name: str, problems: list[Problem],
                 section_skills: dict) -> None:
        self.lines, self.offset = lines, offset
        self.name, self.problems, self.section_skills = name, problems, section_skills
        self.sections: list[Section] = []
        self.current = {"anchor": "", "title": "", "level": 0, "start": 0}
        self.blocks: list[CodeBlock] = []
        self.fence: tuple[str, str, int] | None = None  # marker, info string, index of opening line

    def feed(self, index: int, line: str) -> None:
        """Handle one line that starts with `#`, a backtick fence or a tilde fence."""
        stripped = line.strip()
        fence = FENCE.match(stripped) if stripped.startswith(("```", "~~~")) else None
        if self.fence is not None:
            marker, info, start = self.fence
            if fence and fence.group(1).startswith(marker) and not fence.group(2):
                words = info.split()
                code = "\n".join(self.lines[start + 1:index])
                self.blocks.append(CodeBlock(words[0] if words else "", tuple(words[1:]), code,
                                             start + self.offset + 1))
                self.fence = None
            return
        if fence:
            self.fence = (fence.group(1), fence.group(2), index)
            return
        match = HEADING.match(line)
        if match:
            self._heading(index, len(match.group(1)), match.group(2))

    def _heading(self, index: int, level: int, raw: str) -> None:
        number = index + self.offset + 1
        if level == 1:
            self.problems.append(Problem(self.name, number, "no level-1 headings: the title comes from "
                                                            "the front matter"))
        anchor_match = ANCHOR.search(raw)
        title = ANCHOR.sub("", raw).strip()
        if anchor_match is None:
            self.problems.append(Problem(self.name, number, f"heading '{title}' has no anchor: "
                                                            "add '{#some-anchor}' after its text"))
            anchor = _slug(title)
        else:
            anchor = anchor_match.group(1)
        if any(s.anchor == anchor for s in self.sections) or anchor == self.current["anchor"]:
            self.problems.append(Problem(self.name, number, f"duplicate anchor '{anchor}' in this note"))
        self._close(index)
        self.current = {"anchor": anchor, "title": title, "level": level, "start": index}

    def _close(self, end: int) -> None:
        start = self.current["start"]
        anchor = self.current["anchor"]
        body_from = start + 1 if anchor else start
        body = "\n".join(self.lines[body_from:end]).strip("\n")
        if anchor or body.strip():
            skills = tuple(self.section_skills.get(anchor, ())) if anchor else ()
            self.sections.append(Section(anchor, self.current["title"], self.current["level"],
                                         start + self.offset + 1, body, tuple(self.blocks), skills))
        self.blocks = []

    def finish(self) -> list[Section]:
        if self.fence is not None:
            self.problems.append(Problem(self.name, self.fence[2] + self.offset + 1, "code fence is never closed"))
            self.fence = None
        self._close(len(self.lines))
        return self.sections


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _inherit_front_matter(library: NoteLibrary) -> None:
    """Fill pt-BR notes' order, sdk, skills and section skills from their English note."""
    for lang, by_id in library.notes.items():
        if lang == "en":
            continue
        for note_id, note in list(by_id.items()):
            english = library.notes["en"].get(note_id)
            if english is not None:
                by_id[note_id] = _inherit(note, english)


def _inherit(note: Note, english: Note) -> Note:
    section_skills = english.front.sections or {}
    sections = tuple(
        Section(s.anchor, s.title, s.level, s.line, s.body, s.code_blocks, tuple(section_skills.get(s.anchor, ())))
        for s in note.sections
    )
    return Note(
        id=note.id, lang=note.lang, title=note.title, order=english.order, sdk=english.sdk,
        skills=english.skills, summary=note.summary or english.summary, path=note.path,
        sections=sections, front=note.front, source=note.source,
    )
