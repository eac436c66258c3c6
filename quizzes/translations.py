"""Translations of questions: an overlay of text fields, lists matched by `id`.

A translation mirrors the question's structure but holds only text (`stem`, `text`, `rationale`,
`title`, `body`, and optionally `code`). Lists of options, targets, gaps, statements, tabs and
sub-questions are matched by their `id`, so a translation can never move an answer.
"""

from __future__ import annotations

from typing import Any

TEXT_KEYS = frozenset({"stem", "text", "rationale", "title", "body", "code"})
OPTIONAL_KEYS = frozenset({"code"})
Path = tuple[Any, ...]


def text_paths(data: Any, path: Path = ()) -> dict[Path, str]:
    """Every translatable text in question data, keyed by a path that uses ids for list entries."""
    found: dict[Path, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "translations":
                continue
            if key in TEXT_KEYS and isinstance(value, str):
                found[(*path, key)] = value
            elif isinstance(value, list | dict):
                found.update(text_paths(value, (*path, key)))
    elif isinstance(data, list):
        for entry in data:
            if isinstance(entry, dict) and "id" in entry:
                found.update(text_paths(entry, (*path, str(entry["id"]))))
    return found


def translation_findings(question: dict[str, Any], lang: str, overlay: Any) -> list[tuple[Path, str]]:
    """What is missing from, or out of place in, one translation (paths are readable, not YAML locs)."""
    if not isinstance(overlay, dict):
        return [((), f"translation '{lang}' must be a mapping of text fields")]
    source = text_paths(question)
    target = text_paths(overlay)
    findings = [
        (p, f"translation '{lang}' lacks {_show(p)}")
        for p in source
        if p not in target and p[-1] not in OPTIONAL_KEYS
    ]
    findings += [(p, f"translation '{lang}' has {_show(p)}, which the question does not") for p in target
                 if p not in source]
    findings += [(p, f"translation '{lang}' has an empty {_show(p)}") for p, text in target.items()
                 if p in source and not text.strip()]
    findings += [((), f"translation '{lang}' may only hold text fields, not '{k}'") for k in _stray_keys(overlay)]
    return findings


def _stray_keys(data: Any) -> set[str]:
    stray: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, list | dict):
                stray |= _stray_keys(value)
            elif key not in TEXT_KEYS and key != "id":
                stray.add(key)
    elif isinstance(data, list):
        for entry in data:
            stray |= _stray_keys(entry)
    return stray


def _show(path: Path) -> str:
    return ".".join(str(p) for p in path)


def apply_translation(question: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """A copy of the question data with the overlay's texts put in place (ids and answers untouched)."""
    result: dict[str, Any] = {}
    for key, value in question.items():
        if key == "translations":
            continue
        other = overlay.get(key)
        if key in TEXT_KEYS and isinstance(other, str):
            result[key] = other
        elif isinstance(value, list) and isinstance(other, list):
            result[key] = _merge_list(value, other)
        elif isinstance(value, dict) and isinstance(other, dict):
            result[key] = apply_translation(value, other)
        else:
            result[key] = value
    return result


def _merge_list(source: list[Any], overlay: list[Any]) -> list[Any]:
    by_id = {str(e["id"]): e for e in overlay if isinstance(e, dict) and "id" in e}
    merged = []
    for entry in source:
        if isinstance(entry, dict) and str(entry.get("id")) in by_id:
            merged.append(apply_translation(entry, by_id[str(entry["id"])]))
        else:
            merged.append(entry)
    return merged
