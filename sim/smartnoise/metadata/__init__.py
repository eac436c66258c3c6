"""`opendp.smartnoise.metadata`: what a private reader must know about each table (`CollectionMetadata`).

The YAML layout is SmartNoise's: `<collection>: <schema>: <table>:` with the table's `rows` (and options such as
`max_ids`), then one entry per column with its `type` (int, float, boolean, string), `lower`/`upper` bounds for
numbers, and `private_id: True` on the column that identifies a person.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from sim import messages

NUMERIC = ("int", "float")
TABLE_OPTIONS = {"rows", "row_privacy", "max_ids", "sample_max_ids", "clamp_counts", "clamp_columns",
                 "censor_dims", "use_dpsu"}


class Column:
    """One column: its name, type, bounds (numbers) and whether it is the private identifier."""

    def __init__(self, name: str, typename: str, lower=None, upper=None, private_id: bool = False,
                 nullable: bool = True):
        self.name, self.typename = name, typename
        self.lower, self.upper = lower, upper
        self.private_id, self.nullable = bool(private_id), bool(nullable)

    @property
    def is_numeric(self) -> bool:
        return self.typename in NUMERIC

    def __str__(self) -> str:
        star = "*" if self.private_id else ""
        bounds = f" ({self.lower}, {self.upper})" if self.lower is not None or self.upper is not None else ""
        return f"{star}{self.name} [{self.typename}]{bounds}"


class Table:
    """A table of a schema: its columns, row count and privacy options."""

    def __init__(self, schema: str, name: str, columns: list[Column], rowcount: int = 0, max_ids: int = 1,
                 row_privacy: bool = False, censor_dims: bool = True, clamp_columns: bool = True):
        self.schema, self.name, self.rowcount = schema, name, int(rowcount)
        self.columns = {c.name: c for c in columns}
        self.max_ids, self.row_privacy = int(max_ids), bool(row_privacy)
        self.censor_dims, self.clamp_columns = bool(censor_dims), bool(clamp_columns)

    @property
    def table_name(self) -> str:
        """`schema.table` (or just the table when it has no schema), as queries name it."""
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def key_column(self) -> Column | None:
        return next((c for c in self.columns.values() if c.private_id), None)

    def __str__(self) -> str:
        lines = [f"    {self.table_name} [{self.rowcount} rows]"]
        return "\n".join(lines + [f"        {column}" for column in self.columns.values()])


class CollectionMetadata:
    """The tables of one collection (a database), by `schema.table` name."""

    def __init__(self, tables: list[Table], engine: str = "pandas", name: str = "Database"):
        self.name, self.engine = name, engine
        self.tables = {t.table_name.lower(): t for t in tables}

    @classmethod
    def from_file(cls, path) -> CollectionMetadata:
        """Read the YAML metadata file at `path`."""
        try:
            document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(messages.DP_METADATA_FILE.format(path=path, error=exc)) from None
        return cls.from_dict(document, source=str(path))

    @classmethod
    def from_dict(cls, document, source: str = "the dictionary") -> CollectionMetadata:
        """Build from the parsed YAML layout ({collection: {schema: {table: {...}}}})."""
        if not isinstance(document, dict) or len(document) != 1:
            raise ValueError(messages.DP_METADATA_SHAPE.format(source=source, problem="one collection at the top"))
        (name, schemas), = document.items()
        engine = (schemas or {}).pop("engine", "pandas") if isinstance(schemas, dict) else "pandas"
        if not isinstance(schemas, dict):
            raise ValueError(messages.DP_METADATA_SHAPE.format(source=source, problem=f"{name} holds no schemas"))
        tables = [_table(schema, table, spec, source) for schema, tables in schemas.items()
                  for table, spec in _mapping(tables, source, schema).items()]
        return cls(tables, engine=engine, name=name)

    def __getitem__(self, name: str) -> Table:
        return self.tables[name.lower()]

    def __contains__(self, name: str) -> bool:
        return name.lower() in self.tables

    def __str__(self) -> str:
        return "\n".join([f"{self.name}:"] + [str(t) for t in self.tables.values()])

    __repr__ = __str__


def _mapping(value, source, where) -> dict:
    if not isinstance(value, dict):
        raise ValueError(messages.DP_METADATA_SHAPE.format(source=source, problem=f"{where} is not a mapping"))
    return value


def _table(schema: str, name: str, spec, source: str) -> Table:
    spec = dict(_mapping(spec, source, f"{schema}.{name}"))
    options = {k: spec.pop(k) for k in list(spec) if k in TABLE_OPTIONS}
    columns = [_column(column, _mapping(info, source, f"{schema}.{name}.{column}"), source)
               for column, info in spec.items()]
    return Table(schema, name, columns, rowcount=options.get("rows", 0), max_ids=options.get("max_ids", 1),
                 row_privacy=options.get("row_privacy", False), censor_dims=options.get("censor_dims", True),
                 clamp_columns=options.get("clamp_columns", True))


def _column(name: str, info: dict, source: str) -> Column:
    typename = str(info.get("type", "")).lower()
    if typename not in ("int", "float", "boolean", "string", "datetime"):
        raise ValueError(messages.DP_METADATA_SHAPE.format(source=source, problem=f"column {name} has type "
                                                           f"{info.get('type')!r}"))
    return Column(name, typename, info.get("lower"), info.get("upper"), info.get("private_id", False),
                  info.get("nullable", True))


__all__ = ["CollectionMetadata", "Table", "Column"]
