"""The SQL a private reader answers, read into its parts: SELECT items, FROM table, WHERE, GROUP BY, ORDER BY, LIMIT.

This is the subset SmartNoise's readers are used with in the DP-100 material: aggregates (COUNT, SUM, AVG, VAR,
STDDEV) of table columns, optionally grouped by columns, over one table. The WHERE text is handed to SQLite as
it is, so any condition SQLite understands filters the rows before the aggregates are taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sim import messages

AGGREGATES = {"COUNT": "COUNT", "SUM": "SUM", "AVG": "AVG", "MEAN": "AVG", "VAR": "VAR", "VARIANCE": "VAR",
              "STD": "STDDEV", "STDDEV": "STDDEV"}
_CLAUSES = re.compile(r"\b(SELECT|FROM|WHERE|GROUP\s+BY|ORDER\s+BY|LIMIT)\b", re.IGNORECASE)
_ITEM = re.compile(r"^(?:(?P<func>\w+)\s*\(\s*(?P<distinct>DISTINCT\s+)?(?P<arg>\*|[\w.]+)\s*\)|(?P<column>[\w.]+))"
                   r"(?:\s+(?:AS\s+)?(?P<alias>\w+))?$", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)?$")


@dataclass
class SelectItem:
    """One output column: an aggregate of a column (`column` None for COUNT(*)) or a grouping column."""

    name: str
    function: str | None
    column: str | None


@dataclass
class Query:
    items: list[SelectItem]
    table: str
    where: str | None = None
    group_by: list[str] = field(default_factory=list)
    order_by: list[tuple[str, bool]] = field(default_factory=list)  # (output name, descending)
    limit: int | None = None


def parse(text: str) -> Query:
    """The parts of `text`; a clear error naming what could not be read."""
    parts = _clauses(text)
    if "SELECT" not in parts or "FROM" not in parts:
        raise ValueError(messages.SQL_SYNTAX.format(problem="it needs SELECT ... FROM ..."))
    table = parts["FROM"].strip()
    if not _NAME.match(table):
        raise ValueError(messages.SQL_SYNTAX.format(problem=f"FROM {table!r} is not one table name"))
    return Query(items=[_item(t) for t in _split(parts["SELECT"])], table=table,
                 where=parts.get("WHERE", "").strip() or None,
                 group_by=[_plain(c, "GROUP BY") for c in _split(parts.get("GROUP BY", ""))],
                 order_by=[_order(t) for t in _split(parts.get("ORDER BY", ""))],
                 limit=_limit(parts.get("LIMIT")))


def _clauses(text: str) -> dict[str, str]:
    text = text.strip().rstrip(";")
    marks = list(_CLAUSES.finditer(text))
    if not marks or marks[0].start() != 0:
        raise ValueError(messages.SQL_SYNTAX.format(problem="it must start with SELECT"))
    parts = {}
    for mark, following in zip(marks, marks[1:] + [None], strict=True):
        keyword = re.sub(r"\s+", " ", mark.group(1).upper())
        if keyword in parts:
            raise ValueError(messages.SQL_SYNTAX.format(problem=f"{keyword} appears twice (subqueries and joins "
                                                                "are not simulated)"))
        parts[keyword] = text[mark.end():following.start() if following else len(text)]
    return parts


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _item(text: str) -> SelectItem:
    found = _ITEM.match(text)
    if not found:
        raise ValueError(messages.SQL_SYNTAX.format(problem=f"{text!r} is not a column or an aggregate of one"))
    if found["column"]:
        column = _plain(found["column"], "SELECT")
        return SelectItem(found["alias"] or column, None, column)
    function = found["func"].upper()
    if function not in AGGREGATES:
        raise ValueError(messages.SQL_AGGREGATE_NOT_SIMULATED.format(function=function))
    if found["distinct"]:
        raise ValueError(messages.SQL_AGGREGATE_NOT_SIMULATED.format(function=f"{function}(DISTINCT ...)"))
    column = None if found["arg"] == "*" else found["arg"].split(".")[-1]
    if column is None and AGGREGATES[function] != "COUNT":
        raise ValueError(messages.SQL_SYNTAX.format(problem=f"{function}(*) is not an aggregate of a column"))
    return SelectItem(found["alias"] or text, AGGREGATES[function], column)


def _plain(text: str, clause: str) -> str:
    if not _NAME.match(text):
        raise ValueError(messages.SQL_SYNTAX.format(problem=f"{clause} {text!r} is not a column name"))
    return text.split(".")[-1]


def _order(text: str) -> tuple[str, bool]:
    words = text.split()
    if len(words) > 2 or (len(words) == 2 and words[1].upper() not in ("ASC", "DESC")):
        raise ValueError(messages.SQL_SYNTAX.format(problem=f"ORDER BY {text!r} is not a column [ASC|DESC]"))
    return _plain(words[0], "ORDER BY"), len(words) == 2 and words[1].upper() == "DESC"


def _limit(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.strip().isdigit():
        raise ValueError(messages.SQL_SYNTAX.format(problem=f"LIMIT {text.strip()!r} is not a whole number"))
    return int(text)
