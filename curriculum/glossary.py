"""Brazilian Portuguese house style, checked: English terms left in pt-BR text, and forms the style avoids.

The word lists live in `content/glossary-pt-BR.yaml`. Every learner-facing pt-BR text is checked: question
translations, pt-BR notes (their title and summary too), and what `curriculum.ptbr_texts` finds in the
outlines, the lab specs, the labs' check messages and the UI texts. Only prose is checked: fenced code,
`inline code` and link addresses are left out, as are product and SDK names (they are not in the lists).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from content.notes import NoteLibrary
from curriculum.ptbr_texts import PtText
from datafiles.problems import Problem, display_path
from datafiles.yamlsrc import YamlSyntaxError, load_yaml_file
from quizzes.bank import Bank
from quizzes.translations import text_paths

GLOSSARY_FILE = Path(__file__).resolve().parents[1] / "content" / "glossary-pt-BR.yaml"
LANG = "pt-BR"
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")
_CLI_COMMAND = re.compile(r"\baz(?: [a-z][\w-]*)+")  # az role assignment create: a command, not prose
_MENU_PATH = re.compile(r"[^.;:,()\n*]* > [^.;:,()\n*]*")  # Compute > Compute clusters: studio's own labels


@dataclass
class Glossary:
    """English terms with their pt-BR term, and pt-BR forms with the form to write instead."""

    english: dict[str, str] = field(default_factory=dict)
    avoid: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)

    def findings(self, text: str) -> list[str]:
        """One sentence per listed word found in `text` (prose only: strip code first)."""
        return [finding for _, finding in self.matches(text)]

    def matches(self, text: str) -> list[tuple[str, str]]:
        """(word as written, sentence saying what to write instead) per listed word found in `text`."""
        found = []
        for match in self._compiled().finditer(text):
            word = match.group(0)
            key = word.casefold()
            if key in self.english:
                found.append((word, f"English term '{word}' in pt-BR text; write '{self.english[key]}'"))
            else:
                found.append((word, f"'{word}' is not the house style; write '{self.avoid[key]}'"))
        return found

    def _compiled(self) -> re.Pattern[str]:
        if self._pattern is None:
            words = sorted({*self.english, *self.avoid}, key=len, reverse=True)  # longest phrase first
            alternatives = "|".join(re.escape(w) for w in words) or r"(?!x)x"
            self._pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
        return self._pattern


def load_glossary(path: Path = GLOSSARY_FILE) -> tuple[Glossary, list[Problem]]:
    """The glossary, or an empty one plus the problem that stopped it loading."""
    name = display_path(path)
    try:
        data, _ = load_yaml_file(path)
    except YamlSyntaxError as exc:
        return Glossary(), [Problem(name, exc.line, str(exc))]
    except OSError as exc:
        return Glossary(), [Problem(name, 0, f"cannot read the glossary: {exc}")]
    if not isinstance(data, dict) or not all(isinstance(data.get(k, {}), dict) for k in ("english", "avoid")):
        return Glossary(), [Problem(name, 1, "the glossary must hold two mappings, english: and avoid:")]
    english = {str(k).casefold(): str(v) for k, v in (data.get("english") or {}).items()}
    avoid = {str(k).casefold(): str(v) for k, v in (data.get("avoid") or {}).items()}
    return Glossary(english, avoid), []


def prose(text: str) -> str:
    """Text without inline code, link addresses, az commands and studio menu paths (they stay as written)."""
    text = _LINK_TARGET.sub("]", _INLINE_CODE.sub(" ", text))
    return _MENU_PATH.sub(" ", _CLI_COMMAND.sub(" ", text))


def glossary_problems(notes: NoteLibrary, bank: Bank, glossary: Glossary,
                      texts: Iterable[PtText] = ()) -> list[Problem]:
    """Listed words found in pt-BR question texts, pt-BR notes and other pt-BR `texts` (outlines, labs, UI)."""
    return [*_question_problems(bank, glossary), *_note_problems(notes, glossary), *text_problems(texts, glossary)]


def text_problems(texts: Iterable[PtText], glossary: Glossary) -> Iterator[Problem]:
    """Listed words found in pt-BR text values, each at the line of the file where it is written."""
    files: dict[Path, list[str]] = {}  # one read per file, not per value
    for value in texts:
        if value.file not in files:
            files[value.file] = value.file.read_text(encoding="utf-8").split("\n")
        lines = files[value.file][value.first_line - 1:value.last_line]
        seen: dict[str, int] = {}
        for word, finding in glossary.matches(prose(_without_fences(value.text))):
            seen[word.casefold()] = seen.get(word.casefold(), 0) + 1
            line = value.first_line + _nth_line_with(lines, word, seen[word.casefold()])
            yield Problem(display_path(value.file), line, f"{value.where}: {finding}")


def _without_fences(text: str) -> str:
    """Multi-line text (a lab step's instructions) with its fenced code blocks left out."""
    return "\n".join(line for _, line in _unfenced(text.split("\n")))


def _nth_line_with(lines: list[str], word: str, nth: int) -> int:
    """Offset in `lines` of the `nth` prose occurrence of `word` (0, the value's first line, if not found:
    a phrase folded over two lines of YAML is on no single line)."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
    count = 0
    for offset, line in _unfenced(lines):
        count += len(pattern.findall(prose(line)))
        if count >= nth:
            return offset
    return 0


def _unfenced(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(offset, line) of the lines outside fenced code blocks (the fences themselves left out too)."""
    fence = None
    for offset, line in enumerate(lines):
        stripped = line.strip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif fence is not None and stripped.startswith(fence):
            fence = None
        elif fence is None:
            yield offset, line


def _question_problems(bank: Bank, glossary: Glossary) -> Iterator[Problem]:
    for qid, question in bank.questions.items():
        overlay = question.translations.get(LANG)
        if not overlay:
            continue
        source = bank.sources[qid]
        for path, text in text_paths(overlay).items():
            if path and path[-1] == "code":
                continue
            where = ".".join(str(p) for p in path)
            line = source.lines.line((*source.loc, "translations", LANG, *_yaml_loc(overlay, path)))
            for finding in glossary.findings(prose(text)):
                yield Problem(source.file, line, f"[{qid}] {where}: {finding}")


def _yaml_loc(data: object, path: tuple) -> tuple:
    """A text path that names list entries by id (`options.train.text`) as YAML indices, for the line map."""
    loc: list = []
    for part in path:
        if isinstance(data, list):
            index = next((i for i, e in enumerate(data) if isinstance(e, dict) and str(e.get("id")) == part), None)
            if index is None:
                break
            part = index
        loc.append(part)
        data = data[part] if isinstance(data, dict | list) else None
    return tuple(loc)


def _note_problems(notes: NoteLibrary, glossary: Glossary) -> Iterator[Problem]:
    for note in notes.notes.get(LANG, {}).values():
        if note.source is None:
            continue
        for number, text in _prose_lines(note.source):
            for finding in glossary.findings(text):
                yield Problem(note.path, number, finding)


_FRONT_KEY = re.compile(r"^([\w-]+):")
_FRONT_PROSE = ("title", "summary")  # what a learner reads of the front matter; the rest are ids and skills


def _prose_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, prose) of a markdown file: its title and summary, then the body without fenced code."""
    lines = path.read_text(encoding="utf-8").split("\n")
    body = 0
    if lines[0].strip() == "---":
        closing = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), None)
        if closing is None:
            return  # front matter never closed: the notes loader reports it, there is no body to read
        yield from _front_prose(lines[1:closing])
        body = closing + 1
    for offset, line in _unfenced(lines[body:]):
        yield body + offset + 1, prose(line)


def _front_prose(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(line number, text) of the front matter's title and summary, continuation lines included."""
    key = None
    for number, line in enumerate(lines, start=2):
        found = _FRONT_KEY.match(line)
        if found:
            key, line = found.group(1), line[found.end():]
        if key in _FRONT_PROSE:
            yield number, prose(line)
