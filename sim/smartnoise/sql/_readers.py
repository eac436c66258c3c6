"""`PandasReader` (exact answers from a data frame) and `PrivateReader` (the same queries, differentially private).

The exact reader loads the frame into an in-memory SQLite database under the metadata's `schema.table` name and
runs the query there. The private reader reads the query's parts (`_query`), lets SQLite select and filter the rows,
then computes each aggregate per group itself: values clamped to the metadata's bounds, then noisy counts and sums,
each spending `epsilon_per_column` (AVG is a noisy sum over a noisy count, VAR adds a noisy sum of squares), as
SmartNoise builds them. Groups whose noisy row count falls below the threshold that `delta` sets are
left out, as SmartNoise censors rare dimensions, so a group's mere presence does not give a person away.
"""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pandas as pd

from sim import messages
from sim.smartnoise import _noise
from sim.smartnoise.metadata import CollectionMetadata
from sim.smartnoise.sql import _query


class PandasReader:
    """Answers SQL exactly from a pandas data frame described by `metadata`."""

    def __init__(self, df, metadata, conn=None, **kwargs):
        if not isinstance(df, pd.DataFrame) or not isinstance(metadata, CollectionMetadata):
            raise TypeError(messages.SQL_READER_ARGUMENTS.format(first=type(df).__name__,
                                                                 second=type(metadata).__name__))
        self.df, self.metadata = df, metadata
        self.engine = "pandas"
        self._db = _load(df, metadata)

    def execute(self, query: str) -> list[list]:
        """The rows of `query`, the first row being the column names."""
        try:
            cursor = self._db.execute(query)
        except sqlite3.Error as exc:
            raise ValueError(messages.SQL_EXECUTE_FAILED.format(error=exc)) from None
        return [[d[0] for d in cursor.description]] + [list(row) for row in cursor.fetchall()]

    def execute_df(self, query: str) -> pd.DataFrame:
        header, *rows = self.execute(query)
        return pd.DataFrame(rows, columns=header)

    def _rows(self, table, columns: list[str], where: str | None) -> pd.DataFrame:
        """The table's `columns` for the rows `where` keeps (the private reader's input)."""
        selected = ", ".join(f'"{c}"' for c in columns) or "1"
        header, *rows = self.execute(f"SELECT {selected} FROM {_quoted(table)}" + (f" WHERE {where}" if where else ""))
        return pd.DataFrame(rows, columns=header if columns else ["_"])


class PrivateReader:
    """Answers the aggregate queries of a reader with differential privacy.

    Args:
        reader: the reader holding the data (a `PandasReader`).
        metadata: the `CollectionMetadata` with each column's bounds.
        epsilon_per_column: the privacy budget each aggregate of a query spends (smaller: more noise).
        delta: the chance allowed that a rare group's presence reveals it (sets the censoring threshold).
    """

    def __init__(self, reader, metadata, epsilon_per_column=1.0, delta=10e-16, interval_widths=None, options=None):
        if not isinstance(reader, PandasReader) or not isinstance(metadata, CollectionMetadata):
            raise TypeError(messages.SQL_PRIVATE_READER.format(given=f"{type(reader).__name__} and "
                                                                     f"{type(metadata).__name__}"))
        self.reader, self.metadata = reader, metadata
        self.epsilon_per_column, self.delta = _noise.check_budget(epsilon_per_column, delta)

    def execute(self, query: str) -> list[list]:
        """The private answer of `query`, the first row being the column names."""
        parsed = _query.parse(query)
        table = self._table(parsed.table)
        _check_columns(parsed, table)
        needed = list(dict.fromkeys(parsed.group_by + [i.column for i in parsed.items if i.function and i.column]))
        frame = self.reader._rows(table, needed, parsed.where)
        rows = [self._answer(parsed, table, key, group) for key, group in _groups(frame, parsed.group_by)]
        rows = [r for r in rows if r is not None]
        return [[i.name for i in parsed.items]] + _ordered(rows, parsed)

    def execute_df(self, query: str) -> pd.DataFrame:
        header, *rows = self.execute(query)
        return pd.DataFrame(rows, columns=header)

    def _table(self, name: str):
        if name not in self.metadata:
            raise ValueError(messages.SQL_TABLE_UNKNOWN.format(table=name, known=", ".join(self.metadata.tables)))
        return self.metadata[name]

    def _answer(self, parsed, table, key: dict, group: pd.DataFrame) -> list | None:
        """One output row for a group, or None when its noisy size says it must stay hidden."""
        epsilon = self.epsilon_per_column
        if parsed.group_by and table.censor_dims and _noisy_count(len(group), table, epsilon) < self._threshold(table):
            return None
        return [key[i.column] if i.function is None else self._aggregate(i, table, group) for i in parsed.items]

    def _aggregate(self, item, table, group: pd.DataFrame):
        epsilon, ids = self.epsilon_per_column, table.max_ids
        if item.function == "COUNT":
            present = len(group) if item.column is None else int(group[item.column].notna().sum())
            return max(0, _noisy_count(present, table, epsilon))
        column = table.columns[item.column]
        values = np.clip(pd.to_numeric(group[item.column], errors="coerce").dropna().to_numpy(dtype=float),
                         column.lower, column.upper)
        reach = max(abs(column.lower), abs(column.upper)) * ids  # the most one person can add to a sum
        total = _noise.laplace([float(values.sum())], reach, epsilon)[0]
        if item.function == "SUM":
            return total
        count = max(1, _noisy_count(len(values), table, epsilon))
        mean = float(np.clip(total / count, column.lower, column.upper))
        if item.function == "AVG":
            return mean
        squares = _noise.laplace([float((values ** 2).sum())], reach ** 2, epsilon)[0]
        variance = max(0.0, squares / count - mean ** 2)
        return variance if item.function == "VAR" else math.sqrt(variance)

    def _threshold(self, table) -> float:
        """The noisy row count below which a group is left out: Laplace noise of scale max_ids/epsilon exceeds
        this with probability at most delta."""
        scale = table.max_ids / self.epsilon_per_column
        return 1 + scale * math.log(1 / (2 * self.delta)) if self.delta > 0 else 0.0


def _noisy_count(count: int, table, epsilon: float) -> int:
    return int(_noise.discrete_laplace([int(count)], table.max_ids, epsilon)[0])


def _check_columns(parsed, table) -> None:
    known = ", ".join(table.columns)
    key = table.key_column()
    for name in parsed.group_by + [i.column for i in parsed.items if i.column]:
        if name not in table.columns:
            raise ValueError(messages.SQL_COLUMN_UNKNOWN.format(table=table.table_name, column=name, known=known))
        if key is not None and name == key.name:
            raise ValueError(messages.SQL_PRIVATE_ID.format(column=name))
    for item in parsed.items:
        if item.function is None and item.column not in parsed.group_by:
            raise ValueError(messages.SQL_NO_AGGREGATE.format(column=item.column))
        if item.function not in (None, "COUNT") and not table.columns[item.column].is_numeric:
            raise ValueError(messages.SQL_NOT_NUMERIC.format(function=item.function, column=item.column))


def _groups(frame: pd.DataFrame, group_by: list[str]):
    """(key values, rows) per group; one group of every row when the query has no GROUP BY."""
    if not group_by:
        yield {}, frame
        return
    for values, group in frame.groupby(group_by, sort=True, dropna=False):
        values = values if isinstance(values, tuple) else (values,)
        yield {c: _plain(v) for c, v in zip(group_by, values, strict=True)}, group


def _ordered(rows: list[list], parsed) -> list[list]:
    names = [i.name for i in parsed.items]
    for name, descending in reversed(parsed.order_by):
        if name not in names:
            raise ValueError(messages.SQL_SYNTAX.format(problem=f"ORDER BY {name!r} is not one of the output "
                                                                f"columns ({', '.join(names)})"))
        rows.sort(key=lambda row, at=names.index(name): (row[at] is None, row[at]), reverse=descending)
    return rows[:parsed.limit] if parsed.limit is not None else rows


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _quoted(table) -> str:
    return f'"{table.schema}"."{table.name}"' if table.schema else f'"{table.name}"'


def _load(df: pd.DataFrame, metadata: CollectionMetadata) -> sqlite3.Connection:
    """An in-memory database holding `df` under each of the metadata's table names (schemas attached)."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    for table in metadata.tables.values():
        if table.schema and table.schema.lower() not in ("main", "temp"):
            attached = {row[1].lower() for row in db.execute("PRAGMA database_list")}
            if table.schema.lower() not in attached:
                db.execute("ATTACH DATABASE ':memory:' AS " + f'"{table.schema}"')
        columns = ", ".join(f'"{c}"' for c in df.columns)
        db.execute(f"CREATE TABLE {_quoted(table)} ({columns})")
        marks = ", ".join("?" for _ in df.columns)
        rows = df.astype(object).where(df.notna(), None).itertuples(index=False, name=None)
        db.executemany(f"INSERT INTO {_quoted(table)} VALUES ({marks})", [tuple(map(_plain, r)) for r in rows])
    return db
