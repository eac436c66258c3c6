"""Pydantic errors turned into `Problem` values with the file and line of the offending field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from datafiles.problems import Problem
from datafiles.yamlsrc import LineMap, describe_loc


def validation_problems(
    exc: ValidationError, file: str, lines: LineMap, prefix: Sequence[Any] = ()
) -> list[Problem]:
    """One `Problem` per pydantic error, located at the line of the offending field."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = _clean_loc(err["loc"])
        full = (*prefix, *loc)
        where = describe_loc(full)
        message = _message(err)
        problems.append(Problem(file, lines.line(full), f"{where}: {message}" if where else message))
    return problems


def _clean_loc(loc: Sequence[Any]) -> tuple[Any, ...]:
    """Drop pydantic's union-branch tags (like `single` or `function-after[...]`) from a location."""
    return tuple(p for p in loc if isinstance(p, int) or not _is_branch_tag(p))


def _is_branch_tag(part: str) -> bool:
    return "[" in part or part in _BRANCH_TAGS


_BRANCH_TAGS: set[str] = set()


def register_branch_tags(tags: Sequence[str]) -> None:
    """Names pydantic inserts into locations for discriminated unions (the item type names)."""
    _BRANCH_TAGS.update(tags)


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    if kind == "missing" and err["loc"] and err["loc"][-1] == "rationale":
        return "missing rationale: say in a sentence why this option is right or wrong"
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling against content/AUTHORING.md)"
    if kind == "string_type" and isinstance(err.get("input"), bool | int | float):
        shown = str(err["input"]).lower() if isinstance(err["input"], bool) else err["input"]
        return (f"YAML read this as {shown!s}, not text: put the value in quotes "
                f"(words like yes, no, on, off and numbers need them)")
    msg = err["msg"]
    return msg.removeprefix("Value error, ")


def duplicate_key_problems(file: str, lines: LineMap) -> list[Problem]:
    """One problem per key written twice in the same YAML mapping (the first value would be lost)."""
    return [Problem(file, line, f"key '{key}' appears twice in the same block; YAML keeps only the last one")
            for line, key in lines.duplicate_keys()]
