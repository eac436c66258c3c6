"""Where learner-facing Brazilian Portuguese lives besides notes and questions, read as plain text values.

The house-style check (`curriculum.glossary`) reads these too: the outlines' `title_pt-BR` fields, every
`pt-BR:` field of the lab specs (`labs/catalog/*/*.yaml`), the `pt=` messages of the labs' checks
(`labs/catalog/*/checks.py`) and the `pt-BR` side of `ui/texts.yaml`. Each value comes with the file, the
lines it spans and a readable field path, so a finding can name the exact line.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datafiles.yamlsrc import LineMap, YamlSyntaxError, derived_cached, load_yaml_file

LANG = "pt-BR"
ROOT = Path(__file__).resolve().parents[1]
LAB_CATALOG = ROOT / "labs" / "catalog"
UI_TEXTS = ROOT / "ui" / "texts.yaml"
CHECK_MESSAGE_ARGS = ("pt", "message_pt")  # labs.grading.passed/failed(pt=...) and CheckResult(message_pt=...)


@dataclass(frozen=True)
class PtText:
    """One pt-BR text value: where it is (file, first and last line, field) and what it says."""

    file: Path
    first_line: int
    last_line: int
    where: str
    text: str


def learner_texts(blueprints_dir: Path, labs_dir: Path | None, ui_texts: Path | None) -> Iterator[PtText]:
    """Every pt-BR text of the outlines in `blueprints_dir`, of the labs and of the UI (None: not read)."""
    for path in sorted(blueprints_dir.glob("*.yaml")):
        yield from yaml_texts(path)
    if labs_dir is not None and labs_dir.is_dir():
        for path in sorted(labs_dir.glob("*/*.yaml")):
            yield from yaml_texts(path)
        for path in sorted(labs_dir.glob("*/checks.py")):
            yield from check_message_texts(path)
    if ui_texts is not None and ui_texts.is_file():
        yield from yaml_texts(ui_texts)


def yaml_texts(path: Path) -> Iterator[PtText]:
    """The strings under every `pt-BR` or `*_pt-BR` key of a YAML file (a file that does not parse gives none:
    the loader that owns it reports why)."""
    try:
        data, lines = load_yaml_file(path)
    except (OSError, UnicodeDecodeError, YamlSyntaxError):
        return
    starts = sorted(set(_all_lines(data, lines, ())))
    total = len(path.read_text(encoding="utf-8").split("\n"))
    for loc, text in _pt_fields(data, ()):
        first = lines.line(loc)
        after = bisect.bisect_right(starts, first)  # the next key or item ends this value
        yield PtText(path, first, starts[after] - 1 if after < len(starts) else total, _describe(data, loc), text)


def _pt_fields(node: Any, loc: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and (key == LANG or key.endswith("_" + LANG)):
                yield from _strings(value, (*loc, key))
            else:
                yield from _pt_fields(value, (*loc, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _pt_fields(value, (*loc, index))


def _strings(node: Any, loc: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(node, str):
        yield loc, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key != "code":  # code stays as the SDK spells it
                yield from _strings(value, (*loc, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*loc, index))


def _all_lines(node: Any, lines: LineMap, loc: tuple) -> Iterator[int]:
    """The line of every key and item (a value ends where the next one starts)."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield lines.line((*loc, key))
        yield from _all_lines(value, lines, (*loc, key))


def _describe(data: Any, loc: tuple) -> str:
    """A field path such as `steps[cluster].instructions.pt-BR`: list items named by their `id` when they have one."""
    parts, node = [], data
    for part in loc:
        if isinstance(part, int):
            item = node[part]
            name = item.get("id") if isinstance(item, dict) else None
            parts.append(f"[{name if name is not None else part}]")
        else:
            parts.append(f".{part}" if parts else str(part))
        node = node[part]
    return "".join(parts)


def check_message_texts(path: Path) -> Iterator[PtText]:
    """The Brazilian Portuguese messages (`pt=` arguments) of a lab's check functions."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    # Parsing a module costs ~3 ms; the messages found are cached like parsed YAML.
    for first, last, where, message in derived_cached(text, str(path.absolute()), _check_messages):
        yield PtText(path, first, last, where, message)


def _check_messages(source: str) -> list[tuple[int, int, str, str]]:
    """(first line, last line, where, text) of every literal `pt=` message in a checks module's functions."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # the lab loader reports a checks module that does not import
    found = []
    for function in tree.body:  # checks are module-level functions; a nested helper's calls are walked with them
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for call in ast.walk(function):
            for keyword in call.keywords if isinstance(call, ast.Call) else ():
                text = _literal_text(keyword.value) if keyword.arg in CHECK_MESSAGE_ARGS else None
                if text:
                    value = keyword.value
                    found.append((value.lineno, value.end_lineno or value.lineno,
                                  f"{function.name}(): {keyword.arg}=", text))
    return found


def _literal_text(node: ast.expr) -> str | None:
    """The literal text of a string, f-string (placeholders as spaces) or `+` of them; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_literal_text(part) or " " for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal_text(node.left), _literal_text(node.right)
        return None if left is None or right is None else left + right
    return None
