"""`mltable.mltable`: the MLTable class, `load` and the `from_*_files` constructors.

An MLTable here is its YAML spec (paths and transformations) and the folder its relative paths start from.
Every method that transforms returns a new MLTable with one more transformation; nothing is read until
`to_pandas_dataframe()` (or `show()`), which reads the files on disk through `sim.cloud.mltables`.

`load` takes a local folder (or its MLTable file), a data asset URI
(`azureml://subscriptions/.../workspaces/<ws>/data/<name>/versions/<v>`, `azureml:<name>:<v>`), a datastore URI
(`azureml://[subscriptions/.../workspaces/<ws>/]datastores/<d>/paths/<p>`) or a blob URL of a simulated storage
account. Short forms are read in the workspace of the job this process runs (the `AZUREML_ARM_*` variables), or
else the one a `config.json` names (as `MLClient.from_config` finds it).

When the simulated Azure runs as its own process (a sandboxed kernel cannot see its storage), a table loaded from
a URI is read by the service: `load` asks it for the MLTable file, and `to_pandas_dataframe` for the rows, with
this table's own transformations applied there (`sim.cloud.mltables.spec_at` / `frame_pickle_at`).
"""

from __future__ import annotations

import copy
import json
import os
from enum import Enum
from pathlib import Path

from sim import messages
from sim.cloud import data_uris, mltables, workspaces
from sim.cloud.errors import CloudError
from sim.service.routed import in_process, routed

_tables, _workspaces = routed(mltables), routed(workspaces)  # through the service when it is its own process


class UserErrorException(Exception):
    """A problem with what the caller asked for (a bad MLTable file, a path that matches nothing, ...)."""


class MLTableHeaders(Enum):
    """How delimited files carry column headers."""

    no_header = 0
    from_first_file = 1
    all_files_different_headers = 2
    all_files_same_headers = 3


class MLTableFileEncoding(Enum):
    """Encodings of delimited and JSON Lines files."""

    utf8 = 0
    iso88591 = 1
    latin1 = 2
    ascii = 3
    utf16 = 4
    utf32 = 5
    utf8bom = 6
    windows1252 = 7


def _service(call, *args):
    """Run a service call, turning its errors into the caller's UserErrorException."""
    try:
        return call(*args)
    except CloudError as exc:
        raise UserErrorException(exc.message) from exc


def _not_simulated(member: str):
    raise NotImplementedError(messages.MLTABLE_NOT_SIMULATED.format(what=f"MLTable.{member}"))


class MLTable:
    """A table: which files, how to read them, what to do to the rows and columns."""

    def __init__(self, spec: dict | None = None, base: Path | None = None, source: tuple | None = None):
        """Use `mltable.load` or a `mltable.from_*_files` function instead."""
        self._spec = spec or {"paths": [], "transformations": []}
        self._base = Path(base) if base is not None else None
        # (workspace record, URI, transformations of the file) of a table the service reads (see the module doc)
        self._source = source

    # ----------------------------------------------------------------------------------- reading

    def to_pandas_dataframe(self):
        """Read the table into a pandas DataFrame."""
        if self._source is not None:
            return self._read_in_service()
        base = self._base or Path.cwd()
        spec = _service(self._resolved_spec)
        return _service(mltables.read, base, spec)

    def _read_in_service(self):
        """The rows of a table loaded from a URI, read by the service (only it sees the storage)."""
        import pickle

        record, uri, own_steps = self._source
        added = (self._spec.get("transformations") or [])[own_steps:]
        data = _service(_tables.frame_pickle_at, record, uri, added)
        return pickle.loads(data)  # noqa: S301 - bytes the service made from the data files, never a caller's

    def show(self, count: int = 20):
        """The first `count` rows, as a DataFrame."""
        return self.take(count).to_pandas_dataframe()

    def _resolved_spec(self) -> dict:
        """The spec with URI paths turned into local paths (they point into the simulated storage)."""
        spec = copy.deepcopy(self._spec)
        for entry in spec.get("paths") or []:
            for kind in ("file", "folder", "pattern"):
                if kind in entry and isinstance(entry[kind], str) and "://" in entry[kind]:
                    entry[kind] = str(_local_of(entry[kind]))
        return spec

    # ---------------------------------------------------------------------------- transformations

    def _with(self, step) -> MLTable:
        spec = copy.deepcopy(self._spec)
        spec.setdefault("transformations", []).append(step)
        return MLTable(spec, self._base, self._source)

    def take(self, count: int = 20) -> MLTable:
        """The first `count` rows."""
        return self._with({"take": _count(count, "take")})

    def skip(self, count: int) -> MLTable:
        """All rows but the first `count`."""
        return self._with({"skip": _count(count, "skip")})

    def keep_columns(self, columns) -> MLTable:
        """Only these columns (a name or a list of names)."""
        return self._with({"keep_columns": [columns] if isinstance(columns, str) else list(columns)})

    def drop_columns(self, columns) -> MLTable:
        """All columns but these (a name or a list of names)."""
        return self._with({"drop_columns": [columns] if isinstance(columns, str) else list(columns)})

    def take_random_sample(self, probability, seed=None):
        """Not simulated."""
        _not_simulated("take_random_sample")

    def random_split(self, percent=0.5, seed=None):
        """Not simulated."""
        _not_simulated("random_split")

    def filter(self, expression):
        """Not simulated."""
        _not_simulated("filter")

    def convert_column_types(self, column_types):
        """Not simulated."""
        _not_simulated("convert_column_types")

    def extract_columns_from_partition_format(self, partition_format):
        """Not simulated."""
        _not_simulated("extract_columns_from_partition_format")

    def to_dask_dataframe(self):
        """Not simulated: there is no Dask here."""
        _not_simulated("to_dask_dataframe")

    # --------------------------------------------------------------------------------- the YAML

    @property
    def paths(self) -> list[dict]:
        """The paths of the table, as written in its MLTable file."""
        return copy.deepcopy(self._spec.get("paths") or [])

    def save(self, path=None, overwrite: bool = True, colocated: bool = False, show_progress: bool = False,
             if_err_remove_files: bool = True):
        """Write the MLTable file into folder `path` (the folder it was loaded from by default).

        Raises:
            UserErrorException: the file exists and `overwrite` is False.
        """
        folder = Path(path) if path is not None else (self._base or Path.cwd())
        target = folder / mltables.FILE_NAME
        if target.exists() and not overwrite:
            raise UserErrorException(f"An MLTable file already exists in {folder}; pass overwrite=True.")
        folder.mkdir(parents=True, exist_ok=True)
        target.write_text(mltables.dump(self._spec), encoding="utf-8")
        return self

    def __repr__(self) -> str:
        return mltables.dump(self._spec)

    __str__ = __repr__


def _count(count, name: str) -> int:
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise UserErrorException(f"{name} needs a whole number of rows, not {count!r}.")
    return count


# -------------------------------------------------------------------------------------- workspace

def _context_record():
    """The workspace short URIs are read in: the job's, else the one config.json names (None if neither)."""
    env = os.environ
    if env.get("AZUREML_ARM_WORKSPACE_NAME"):
        return _workspaces.find(env.get("AZUREML_ARM_SUBSCRIPTION", ""), env.get("AZUREML_ARM_RESOURCEGROUP", ""),
                                env["AZUREML_ARM_WORKSPACE_NAME"])
    start = Path.cwd()
    for folder in (start, *start.parents):
        for candidate in (folder / ".azureml" / "config.json", folder / "config.json"):
            if candidate.is_file():
                return _record_from_config(candidate)
    return None


def _record_from_config(path: Path):
    try:
        config = json.loads(path.read_text())
        return _workspaces.find(config["subscription_id"], config["resource_group"], config["workspace_name"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _local_of(uri: str) -> Path:
    """The local file or folder a URI points at in the simulated storage."""
    record = _context_record()
    if record is None and data_uris.is_short_form(uri):
        raise UserErrorException(messages.MLTABLE_NO_WORKSPACE.format(uri=uri))
    return _service(data_uris.local_path, record, uri)


# ----------------------------------------------------------------------------------- constructors

def load(uri, storage_options: dict | None = None, ml_client=None) -> MLTable:
    """Load the MLTable of a local folder, a data asset or a datastore folder.

    Raises:
        UserErrorException: no MLTable file there, or an invalid one, or a URI that names nothing.
    """
    text = os.fspath(uri)
    is_uri = text.startswith("azureml:") or ("://" in text and not text.startswith("file://"))
    if is_uri and not in_process():
        return _load_in_service(text)
    if is_uri:
        folder = _local_of(text)
    else:
        folder = Path(text.removeprefix("file://")).expanduser()
    if folder.name == mltables.FILE_NAME and folder.is_file():
        folder = folder.parent
    return MLTable(_service(mltables.read_spec, folder), folder.resolve())


def _load_in_service(uri: str) -> MLTable:
    """A URI's table when the storage is the service's alone: its MLTable file now, its rows when read."""
    record = _context_record()
    if record is None and data_uris.is_short_form(uri):
        raise UserErrorException(messages.MLTABLE_NO_WORKSPACE.format(uri=uri))
    spec = _service(_tables.spec_at, record, uri)
    return MLTable(spec, None, (record, uri, len(spec.get("transformations") or [])))


def _paths(paths) -> list[dict]:
    if isinstance(paths, dict):
        paths = [paths]
    if not isinstance(paths, list) or not all(isinstance(p, dict) for p in paths):
        raise UserErrorException("paths must be a list of dicts such as {'file': './data.csv'} or "
                                 "{'pattern': './data/*.csv'}.")
    return copy.deepcopy(paths)


def _enum_name(value, enum) -> str:
    return value.name if isinstance(value, enum) else str(value)


def from_delimited_files(paths, header="all_files_same_headers", delimiter: str = ",",
                         support_multi_line: bool = False, empty_as_string: bool = False, encoding="utf8",
                         include_path_column: bool = False, infer_column_types: bool = True) -> MLTable:
    """A table over delimited text files (CSV, TSV, ...)."""
    options = {"delimiter": delimiter, "encoding": _enum_name(encoding, MLTableFileEncoding),
               "header": _enum_name(header, MLTableHeaders), "empty_as_string": empty_as_string,
               "include_path_column": include_path_column, "infer_column_types": bool(infer_column_types),
               "support_multi_line": support_multi_line}
    table = MLTable({"paths": _paths(paths), "transformations": [{"read_delimited": options}]})
    _service(mltables.reader_and_steps, table._spec)  # bad options fail here, as the real constructor does
    return table


def from_parquet_files(paths, include_path_column: bool = False) -> MLTable:
    """A table over Parquet files."""
    return MLTable({"paths": _paths(paths),
                    "transformations": [{"read_parquet": {"include_path_column": include_path_column}}]})


def from_json_lines_files(paths, invalid_lines: str = "error", encoding="utf8",
                          include_path_column: bool = False) -> MLTable:
    """A table over JSON Lines files (one object per line)."""
    options = {"invalid_lines": invalid_lines, "encoding": _enum_name(encoding, MLTableFileEncoding),
               "include_path_column": include_path_column}
    table = MLTable({"paths": _paths(paths), "transformations": [{"read_json_lines": options}]})
    _service(mltables.reader_and_steps, table._spec)
    return table


def from_delta_lake(delta_table_uri, timestamp_as_of=None, version_as_of=None, include_path_column=False):
    """Not simulated: Delta Lake tables."""
    raise NotImplementedError(messages.MLTABLE_NOT_SIMULATED.format(what="mltable.from_delta_lake"))
