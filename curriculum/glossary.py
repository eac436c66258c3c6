"""Brazilian Portuguese house style, checked: English terms left in pt-BR text, and forms the style avoids.

The word lists live in `content/glossary-pt-BR.yaml`. Only prose is checked: fenced code, `inline code`
and link addresses are left out, as are product and SDK names (they are not in the lists).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from content.notes import NoteLibrary
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
        found = []
        for match in self._compiled().finditer(text):
            word = match.group(0)
            key = word.casefold()
            if key in self.english:
                found.append(f"English term '{word}' in pt-BR text; write '{self.english[key]}'")
            else:
                found.append(f"'{word}' is not the house style; write '{self.avoid[key]}'")
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


def glossary_problems(notes: NoteLibrary, bank: Bank, glossary: Glossary) -> list[Problem]:
    """Listed words found in pt-BR question texts and pt-BR notes."""
    return list(_question_problems(bank, glossary)) + list(_note_problems(notes, glossary))


def _question_problems(bank: Bank, glossary: Glossary) -> Iterator[Problem]:
    for qid, question in bank.questions.items():
        overlay = question.translations.get(LANG)
        if not overlay:
            continue
        source = bank.sources[qid]
        line = source.lines.line((*source.loc, "translations", LANG))
        for path, text in text_paths(overlay).items():
            if path and path[-1] == "code":
                continue
            where = ".".join(str(p) for p in path)
            for finding in glossary.findings(prose(text)):
                yield Problem(source.file, line, f"[{qid}] {where}: {finding}")


def _note_problems(notes: NoteLibrary, glossary: Glossary) -> Iterator[Problem]:
    for note in notes.notes.get(LANG, {}).values():
        if note.source is None:
            continue
        for number, text in _prose_lines(note.source):
            for finding in glossary.findings(text):
                yield Problem(note.path, number, finding)


def _prose_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, prose) of a markdown file, front matter and fenced code left out."""
    lines = path.read_text(encoding="utf-8").split("\n")
    fence = None
    front = lines[0].strip() == "---"
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if front:
            front = not (number > 1 and stripped == "---")
            continue
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif fence is not None and stripped.startswith(fence):
            fence = None
        elif fence is None:
            yield number, prose(line)
