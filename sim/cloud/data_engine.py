"""The data engine (the role ``azureml.dataprep`` plays for the real SDK v1; ``mltable`` for v2).

It turns a dataset definition (see :mod:`sim.cloud.datasets`) into files or a pandas DataFrame: match the
sources in the datastore folders, read them with pandas, then apply the transformation steps in order.
Faces (the SDK v1 datasets, lab checks, the Studio page) read data through :func:`frame_of` and :func:`files_of`.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from sim import messages
from sim.cloud import datasets as _cloud
from sim.cloud.errors import DATA_READ_ERROR, DATASET, UserError

ENCODINGS = {"utf8": "utf-8", "iso88591": "iso-8859-1", "latin1": "latin-1", "ascii": "ascii",
             "utf16": "utf-16", "utf32": "utf-32", "utf8bom": "utf-8-sig", "windows1252": "cp1252"}


def files_of(record, definition: dict) -> list:
    """The files a definition reads, after file-level steps (take/skip/random_split of a FileDataset)."""
    files = _cloud.require_files(record, definition["sources"])
    if definition["type"] == _cloud.FILE:
        for step in definition.get("steps", []):
            files = _apply_to_list(files, step)
    return files


def frame_of(record, definition: dict) -> pd.DataFrame:
    """Read a tabular definition into a DataFrame and apply its steps."""
    files = _cloud.require_files(record, definition["sources"])
    return frame_from_files(files, definition["reader"], definition.get("steps", []))


def file_bytes(record, definition: dict, relative: str) -> bytes:
    """The bytes of one file a definition reads, named by its path as the dataset shows it (`files_of`): what a
    caller in another process copies into its download or mount folder. Only the definition's own files are read.

    Raises:
        NotFound: when the definition reads no file of that path.
    """
    for found in files_of(record, definition):
        if found.relative == relative:
            return Path(found.local_path).read_bytes()
    from sim.cloud.errors import NotFound

    raise NotFound(DATASET, messages.DATASET_FILE_NOT_IN_DATASET.format(path=relative))


def frame_pickle(record, definition: dict) -> bytes:
    """`frame_of` as bytes a caller in another process can take (pickled: only ever sent to callers, never read
    from them)."""
    import pickle

    return pickle.dumps(frame_of(record, definition), protocol=pickle.HIGHEST_PROTOCOL)


def frame_from_files(files: list, reader: dict, steps=()) -> pd.DataFrame:
    """Read files already found (`ResolvedFile`s: a dataset's, or an MLTable's local files) and apply the steps."""
    read = {"parquet": _read_parquet, "json_lines": _read_json_lines}.get(reader["format"], _read_delimited)
    frame = read(files, reader)
    frame = _set_types(frame, reader.get("set_column_types") or {})
    for step in steps:
        frame = _apply_to_frame(frame, step)
    return frame.reset_index(drop=True)


def _read_error(path, kind, exc) -> UserError:
    """A 400 DataReadError; the caller raises it `from exc`, so the reader's own error stays its cause."""
    return UserError(DATASET, messages.DATASET_READ_FAILED.format(path=path, kind=kind, error=exc),
                     code=DATA_READ_ERROR)


def _read_delimited(files, reader) -> pd.DataFrame:
    header = reader.get("header", "ALL_FILES_HAVE_SAME_HEADERS")
    options = {"sep": reader.get("separator", ","), "encoding": ENCODINGS[reader.get("encoding", "utf8")]}
    if not reader.get("infer_column_types", True):
        options["dtype"] = str
    if reader.get("empty_as_string"):
        options["keep_default_na"] = False
    parts, names = [], None
    for index, f in enumerate(files):
        this = dict(options)
        if header == "NO_HEADERS" or (header == "ONLY_FIRST_FILE_HAS_HEADERS" and index > 0):
            this["header"] = None
        try:
            part = pd.read_csv(f.local_path, **this)
        except Exception as exc:  # pandas raises many kinds; the learner needs the file and the reason
            raise _read_error(f.path_on_datastore, "delimited text", exc) from exc
        if this.get("header", 0) is None:
            part.columns = names if names is not None and len(names) == part.shape[1] else \
                [f"Column{i + 1}" for i in range(part.shape[1])]
        elif names is None:
            names = list(part.columns)
        parts.append(_with_path(part, f, reader))
    return pd.concat(parts, ignore_index=True, sort=False)


def _read_parquet(files, reader) -> pd.DataFrame:
    parts = []
    for f in files:
        try:
            part = pd.read_parquet(f.local_path)
        except Exception as exc:  # pyarrow errors vary; report the file
            raise _read_error(f.path_on_datastore, "Parquet", exc) from exc
        parts.append(_with_path(part, f, reader))
    return pd.concat(parts, ignore_index=True, sort=False)


def _read_json_lines(files, reader) -> pd.DataFrame:
    import json

    parts = []
    for f in files:
        rows = []
        text = f.local_path.read_text(encoding=ENCODINGS[reader.get("encoding", "utf8")])
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except ValueError as exc:
                if reader.get("invalid_lines") == "drop":
                    continue
                raise _read_error(f"{f.path_on_datastore} (line {number})", "JSON Lines", exc) from exc
        parts.append(_with_path(pd.DataFrame(rows), f, reader))
    return pd.concat(parts, ignore_index=True, sort=False)


def _with_path(part, f, reader):
    if reader.get("include_path"):
        part.insert(0, "Path", f.relative)
    if reader.get("partition_format"):
        # Match against the full datastore path: formats may start with folders above the glob.
        for column, value in partition_values(reader["partition_format"], "/" + f.path_on_datastore).items():
            part[column] = value
    return part


_DATE_PARTS = {"yyyy": (r"\d{4}", "%Y"), "MM": (r"\d{2}", "%m"), "dd": (r"\d{2}", "%d"),
               "HH": (r"\d{2}", "%H"), "mm": (r"\d{2}", "%M"), "ss": (r"\d{2}", "%S")}


def _date_pattern(fmt):
    regex, strf, i = [], [], 0
    while i < len(fmt):
        token = next((t for t in _DATE_PARTS if fmt.startswith(t, i)), None)
        if token:
            regex.append(_DATE_PARTS[token][0])
            strf.append(_DATE_PARTS[token][1])
            i += len(token)
        else:
            regex.append(re.escape(fmt[i]))
            strf.append(fmt[i])
            i += 1
    return "".join(regex), "".join(strf)


def partition_values(partition_format: str, relative: str) -> dict:
    """Columns that ``partition_format`` (e.g. '/{Dept}/{Date:yyyy/MM/dd}/data.csv') takes from a path."""
    regex, columns, pieces = [], [], re.split(r"(\{[^}]+\})", partition_format)
    for piece in pieces:
        if piece.startswith("{") and piece.endswith("}"):
            name, _, fmt = piece[1:-1].partition(":")
            pattern, strf = _date_pattern(fmt) if fmt else (r"[^/]+", None)
            regex.append(f"(?P<g{len(columns)}>{pattern})")
            columns.append((name, strf))
        else:
            regex.append(re.escape(piece).replace(r"\*", "[^/]*"))
    match = re.search("".join(regex) + "$", relative)
    values = {}
    for index, (name, strf) in enumerate(columns):
        raw = match.group(f"g{index}") if match else None
        values[name] = pd.to_datetime(raw, format=strf) if (raw and strf) else raw
    return values


_CASTS = {"string": str, "long": "Int64", "float": "float64"}


def _set_types(frame, types: dict) -> pd.DataFrame:
    for column, spec in types.items():
        if column not in frame.columns:
            continue
        kind = spec["type"]
        if kind == "datetime":
            formats = spec.get("formats") or [None]
            frame[column] = pd.to_datetime(frame[column], format=formats[0], errors="coerce")
        elif kind == "bool":
            truthy = {str(v).lower() for v in spec.get("true_values", ["true", "1", "yes"])}
            frame[column] = frame[column].map(lambda v, t=truthy: None if pd.isna(v) else str(v).lower() in t)
        elif kind in ("long", "float"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(_CASTS[kind])
        else:
            frame[column] = frame[column].astype(str)
    return frame


def split_mask(count: int, percentage: float, seed: int) -> np.ndarray:
    """Which of ``count`` rows go to the first part of a random split (reproducible for a seed)."""
    return np.random.default_rng(seed).random(count) < percentage


def _apply_to_list(items: list, step: dict) -> list:
    op = step["op"]
    if op == "take":
        return items[: step["count"]]
    if op == "skip":
        return items[step["count"]:]
    if op == "random_split":
        mask = split_mask(len(items), step["percentage"], step["seed"])
        return [x for x, keep in zip(items, mask, strict=True) if keep == (step["part"] == 0)]
    return items


def _apply_to_frame(frame: pd.DataFrame, step: dict) -> pd.DataFrame:
    op = step["op"]
    if op == "take":
        return frame.iloc[: step["count"]]
    if op == "skip":
        return frame.iloc[step["count"]:]
    if op == "keep_columns":
        return frame[[c for c in frame.columns if c in step["columns"]]]
    if op == "drop_columns":
        return frame.drop(columns=[c for c in step["columns"] if c in frame.columns])
    if op == "random_split":
        mask = split_mask(len(frame), step["percentage"], step["seed"])
        return frame[mask] if step["part"] == 0 else frame[~mask]
    if op == "filter":
        return frame[evaluate(frame, step["expression"]).fillna(False).astype(bool)]
    return frame


_BINARY = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
           "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
           "and": lambda a, b: a & b, "or": lambda a, b: a | b,
           "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
           "div": lambda a, b: a / b}


def evaluate(frame: pd.DataFrame, expr):
    """Evaluate a filter expression tree (``["col", name]``, ``["lit", v]``, ``[op, a, b]``) on a frame."""
    op = expr[0]
    if op == "col":
        return frame[expr[1]]
    if op == "lit":
        return expr[1]
    if op == "time":
        return pd.Timestamp(expr[1])
    if op == "to_datetime":
        return pd.to_datetime(evaluate(frame, expr[1]), errors="coerce")
    if op == "not":
        return ~evaluate(frame, expr[1]).astype(bool)
    if op == "isin":
        return evaluate(frame, expr[1]).isin(expr[2])
    if op == "is_null":
        return evaluate(frame, expr[1]).isna()
    if op in ("starts_with", "ends_with", "contains"):
        text = evaluate(frame, expr[1]).astype(str).str
        method = {"starts_with": text.startswith, "ends_with": text.endswith, "contains": text.contains}[op]
        return method(expr[2]) if op != "contains" else method(expr[2], regex=False)
    return _BINARY[op](evaluate(frame, expr[1]), evaluate(frame, expr[2]))
