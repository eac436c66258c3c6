"""YAML loading that remembers the line of every mapping key and sequence item.

Pydantic reports errors by location (`("questions", 3, "options", 1, "rationale")`); `LineMap` turns
such a location into the line a person should look at. Lines are recorded by the identity of each
constructed dict/list, so the data stays plain Python and validation is as fast as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that records, per container, where it and each of its entries start."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines: dict[int, tuple[int, dict[Any, int] | list[int]]] = {}

    def construct_yaml_map(self, node: yaml.MappingNode):  # noqa: D401 - PyYAML hook
        data: dict[Any, Any] = {}
        keys = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        self.lines[id(data)] = (node.start_mark.line + 1, keys)
        yield data
        data.update(self.construct_mapping(node))

    def construct_yaml_seq(self, node: yaml.SequenceNode):
        data: list[Any] = []
        self.lines[id(data)] = (node.start_mark.line + 1, [item.start_mark.line + 1 for item in node.value])
        yield data
        data.extend(self.construct_sequence(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_yaml_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_yaml_seq)


class LineMap:
    """Maps a location inside loaded YAML data to a 1-based line number."""

    def __init__(self, data: Any, lines: dict[int, tuple[int, Any]], offset: int = 0) -> None:
        self._data = data  # kept alive so the recorded ids stay valid
        self._lines = lines
        self._offset = offset

    def line(self, loc: Sequence[Any] = ()) -> int:
        """The line of the deepest part of `loc` that exists (the file's first line if none does)."""
        node, best = self._data, 1
        entry = self._lines.get(id(node))
        if entry:
            best = entry[0]
        for part in loc:
            entry = self._lines.get(id(node))
            if entry is None:
                break
            found = _child_line(entry[1], part)
            if found is None:
                break
            best = found
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
        return best + self._offset


def _child_line(children: dict[Any, int] | list[int], part: Any) -> int | None:
    if isinstance(children, dict):
        return children.get(part)
    if isinstance(part, int) and 0 <= part < len(children):
        return children[part]
    return None


class YamlSyntaxError(ValueError):
    """YAML that cannot be parsed; `line` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def load_yaml(text: str, line_offset: int = 0) -> tuple[Any, LineMap]:
    """Parse YAML text into plain data plus a `LineMap`.

    Args:
        text: the YAML source.
        line_offset: added to every line (for YAML embedded after other lines, like front matter).

    Raises:
        YamlSyntaxError: with the line of the syntax error.
    """
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlSyntaxError(f"YAML syntax error: {problem}", line) from exc
    finally:
        loader.dispose()
    return data, LineMap(data, loader.lines, line_offset)


def describe_loc(loc: Sequence[Any]) -> str:
    """A readable location such as `questions[3].options[1].rationale`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text
