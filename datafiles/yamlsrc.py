"""YAML loading that remembers the line of every mapping key and sequence item.

Pydantic reports errors by location (`("questions", 3, "options", 1, "rationale")`); `LineMap` turns
such a location into the line a person should look at. Lines are recorded by the identity of each
constructed dict/list, so the data stays plain Python and validation is as fast as usual.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from dp100.errors import SetupError
from dp100.paths import home, subdir

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that records, per container, where it and each of its entries start."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines: dict[int, tuple[int, dict[Any, int] | list[int]]] = {}
        self.duplicates: list[tuple[int, str]] = []  # (line, key) of keys repeated in one mapping

    def construct_yaml_map(self, node: yaml.MappingNode):  # noqa: D401 - PyYAML hook
        data: dict[Any, Any] = {}
        keys: dict[Any, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in keys:
                    self.duplicates.append((key_node.start_mark.line + 1, key_node.value))
                keys.setdefault(key_node.value, key_node.start_mark.line + 1)
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

    def __init__(self, lines: dict[tuple[Any, ...], int] | str, offset: int = 0,
                 duplicates: Sequence[tuple[int, str]] = ()) -> None:
        self._table = lines  # a dict, or the cache's JSON text, decoded only if a line is asked for
        self._offset = offset
        self._duplicates = [(int(line), str(key)) for line, key in duplicates]

    @property
    def _lines(self) -> dict[tuple[Any, ...], int]:
        if isinstance(self._table, str):
            self._table = {tuple(path): line for path, line in json.loads(self._table)}
        return self._table

    def duplicate_keys(self) -> list[tuple[int, str]]:
        """(line, key) for every key written twice in the same mapping (YAML keeps the last value)."""
        return [(line + self._offset, key) for line, key in self._duplicates]

    def line(self, loc: Sequence[Any] = ()) -> int:
        """The line of the deepest part of `loc` that exists (the file's first line if none does)."""
        best = self._lines.get((), 1)
        loc = tuple(loc)
        for end in range(1, len(loc) + 1):
            found = self._lines.get(loc[:end])
            if found is None:
                break
            best = found
        return best + self._offset

    def to_json(self) -> str:
        """The table as JSON `[[path...], line]` pairs (for the parse cache)."""
        if isinstance(self._table, str):
            return self._table
        return json.dumps([[list(path), line] for path, line in self._table.items()], ensure_ascii=False)


def _flatten(data: Any, table: dict[int, tuple[int, Any]]) -> dict[tuple[Any, ...], int]:
    """Turn the per-container table (keyed by object id) into `{path: line}`."""
    flat: dict[tuple[Any, ...], int] = {}
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    if id(data) in table:
        flat[()] = table[id(data)][0]
    while stack:
        path, node = stack.pop()
        entry = table.get(id(node))
        if entry is None:
            continue
        children = entry[1]
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            line = children.get(key) if isinstance(children, dict) else children[key]
            if line is not None:
                flat[(*path, key)] = line
            if isinstance(value, dict | list):
                stack.append(((*path, key), value))
    return flat


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
    return data, LineMap(_flatten(data, loader.lines), line_offset, loader.duplicates)


def describe_loc(loc: Sequence[Any]) -> str:
    """A readable location such as `questions[3].options[1].rationale`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


# --- parse cache ------------------------------------------------------------------------------------------
# PyYAML builds Python objects slowly (about 20 ms per 1,000 lines here); JSON loads ~20x faster. Parsed
# files are cached under DP100_HOME/cache/yaml/, one entry per source file (so the cache never grows past
# the number of files) holding a hash of the text it was parsed from: a fresh process only parses files
# that changed. Validation always runs on the loaded data; the cache only skips parsing.

CACHE_VERSION = "4"
CACHE_SWITCH = "DP100_CONTENT_CACHE"  # "off" disables the cache (the test suite does, see tests/content)


def load_yaml_file(path: Path, use_cache: bool = True) -> tuple[Any, LineMap]:
    """Read and parse a YAML file, through the parse cache when possible.

    Raises:
        OSError, UnicodeDecodeError: when the file cannot be read.
        YamlSyntaxError: when it is not valid YAML.
    """
    text = path.read_text(encoding="utf-8")
    return load_yaml_cached(text, source=str(path.absolute())) if use_cache else load_yaml(text)


def load_yaml_cached(text: str, line_offset: int = 0, source: str | None = None) -> tuple[Any, LineMap]:
    """`load_yaml` through the parse cache (same result; a syntax error is never cached).

    Args:
        text: the YAML source.
        line_offset: as for `load_yaml`.
        source: where the text comes from (a file path); its entry is replaced when the text changes.
    """
    text_digest = _digest(text)
    cache_file = _cache_file(source or text_digest)
    if cache_file is not None:
        cached = _read_cache(cache_file, text_digest, line_offset)
        if cached is not None:
            return cached
    data, lines = load_yaml(text, line_offset)
    if cache_file is not None:
        _write_cache(cache_file, text_digest, data, lines)  # the table is stored without the offset
    return data, lines


def derived_cached(text: str, source: str, derive: Callable[[str], Any]) -> Any:
    """`derive(text)` through the parse cache: what is derived from a source file that is costly to parse
    (e.g. the messages read from a Python module's syntax tree). `derive` must return JSON-able plain data;
    the entry is keyed by `source` and replaced when the text changes."""
    text_digest = _digest(text)
    cache_file = _cache_file(f"derived:{source}")
    try:
        raw = json.loads(cache_file.read_text(encoding="utf-8")) if cache_file is not None else None
        if raw is not None and raw["text"] == text_digest:
            return raw["data"]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing or damaged entry: derive again
    data = derive(text)
    if cache_file is not None:
        _write_json(cache_file, json.dumps({"text": text_digest, "data": data}, ensure_ascii=False))
    return data


def _digest(text: str) -> str:
    return hashlib.blake2b(f"{CACHE_VERSION}\n{text}".encode(), digest_size=16).hexdigest()


def _cache_file(key: str) -> Path | None:
    if os.environ.get(CACHE_SWITCH, "on").strip().lower() == "off":
        return None
    folder = _cache_dir(str(home()))
    if folder is None:
        return None
    return folder / f"{_digest(key)}.json"


@lru_cache(maxsize=8)
def _cache_dir(home_path: str) -> Path | None:
    """The cache folder for one DP100_HOME (checked once per process, not once per file)."""
    try:
        return subdir("cache", "yaml")
    except (SetupError, OSError):
        return None  # no writable home: parse every time


def _read_cache(cache_file: Path, text_digest: str, line_offset: int = 0) -> tuple[Any, LineMap] | None:
    try:
        raw = json.loads(cache_file.read_text(encoding="utf-8"))
        if raw["text"] != text_digest:
            return None  # the source changed since it was cached
        data = _decode(raw["data"]) if raw["dates"] else raw["data"]
        return data, LineMap(raw["lines"], line_offset, raw["duplicates"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or damaged entry: parse again


def _write_cache(cache_file: Path, text_digest: str, data: Any, lines: LineMap) -> None:
    try:
        encoded = _encode(data)
        payload = json.dumps({"text": text_digest, "data": encoded, "dates": encoded != data, "lines": lines.to_json(),
                              "duplicates": lines._duplicates}, ensure_ascii=False)
    except (TypeError, ValueError):
        return  # something JSON cannot hold exactly (e.g. non-string keys): do not cache
    _write_json(cache_file, payload)


def _write_json(cache_file: Path, payload: str) -> None:
    tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
    try:
        tmp.write_text(payload, encoding="utf-8")
        os.replace(tmp, cache_file)  # atomic, so a concurrent reader never sees half a file
    except OSError:
        tmp.unlink(missing_ok=True)


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("non-string key")
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dt.datetime):
        raise TypeError("datetime values are not cached")
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if value is None or isinstance(value, str | bool | int | float):
        return value
    raise TypeError(f"cannot cache {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value
