"""``azureml.data.dataset_factory``: ``Dataset.Tabular`` and ``Dataset.File`` factories, and DataType.

Sources are datastore paths: a ``(datastore, 'path/or/*.glob')`` tuple, a DataPath, a DataReference, or a
list of those.  As in the real SDK, a local path is not a valid source (upload it to a datastore first);
http(s) URLs are valid in Azure but need the internet, so here they raise a clear error.
"""

from __future__ import annotations

import fnmatch
import os
import re
import uuid

import sim.cloud.datasets
import sim.cloud.datastores
from sim import messages
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml._common.service_errors import v1_service
from sim.azureml.data.abstract_dataset import _user_error
from sim.azureml.data.abstract_datastore import AbstractDatastore
from sim.azureml.data.data_reference import DataReference
from sim.azureml.data.datapath import DataPath
from sim.azureml.data.dataset_type_definitions import PromoteHeadersBehavior

_cloud = v1_service(sim.cloud.datasets)
_stores = v1_service(sim.cloud.datastores)

_URL = re.compile(r"^(https?|adl|wasbs?|abfss?)://", re.IGNORECASE)
_HEADERS = {True: "ALL_FILES_HAVE_SAME_HEADERS", False: "NO_HEADERS"}
_HEADER_NAMES = ("ALL_FILES_HAVE_SAME_HEADERS", "NO_HEADERS", "ONLY_FIRST_FILE_HAS_HEADERS",
                 "COMBINE_ALL_FILES_HEADERS")
_ENCODINGS = ("utf8", "iso88591", "latin1", "ascii", "utf16", "utf32", "utf8bom", "windows1252")


class DataType:
    """A column type for ``set_column_types`` (``DataType.to_float()``, ``DataType.to_datetime(...)``)."""

    def __init__(self, spec):
        """Wrap a type spec; use the static constructors."""
        self._spec = spec

    @staticmethod
    def to_string():
        """Read the column as text."""
        return DataType({"type": "string"})

    @staticmethod
    def to_long():
        """Read the column as 64-bit integers."""
        return DataType({"type": "long"})

    @staticmethod
    def to_float(decimal_mark="."):
        """Read the column as floating-point numbers."""
        return DataType({"type": "float"})

    @staticmethod
    def to_bool():
        """Read the column as booleans ('true'/'1'/'yes' are True)."""
        return DataType({"type": "bool"})

    @staticmethod
    def to_datetime(formats=None):
        """Read the column as datetimes, with optional strftime-style formats."""
        formats = [formats] if isinstance(formats, str) else formats
        return DataType({"type": "datetime", "formats": list(formats) if formats else None})


def _source_of(item):
    """One normalized source {'datastore', 'path'} and its datastore object."""
    if isinstance(item, tuple):
        if len(item) != 2 or not isinstance(item[0], AbstractDatastore) or not isinstance(item[1], str):
            raise _user_error(messages.DATASET_INVALID_TUPLE)
        return {"datastore": item[0].name, "path": item[1]}, item[0]
    if isinstance(item, DataPath) and item._datastore is not None:
        return {"datastore": item.datastore_name, "path": item.path_on_datastore or ""}, item._datastore
    if isinstance(item, DataReference):
        return {"datastore": item.datastore.name, "path": item.path_on_datastore or ""}, item.datastore
    if isinstance(item, str) and _URL.match(item):
        raise _user_error(messages.DATASET_URL_NOT_SIMULATED.format(url=item))
    raise _user_error(messages.DATASET_INVALID_PATH)


def _normalize(path):
    """(sources, workspace) from any accepted ``path`` value."""
    items = path if isinstance(path, list) else [path]
    if path is None or not items:
        raise _user_error(messages.DATASET_INVALID_PATH)
    pairs = [_source_of(item) for item in items]
    return [s for s, _ in pairs], pairs[0][1].workspace


def _partition(partition_format):
    if partition_format is None:
        return {}
    keys = [m.split(":")[0] for m in re.findall(r"\{([^}]+)\}", partition_format)]
    return {"partition_format": partition_format, "partition_keys": keys}


def _column_types(set_column_types):
    if set_column_types is None:
        return None
    if not isinstance(set_column_types, dict) or not all(isinstance(v, DataType) for v in set_column_types.values()):
        raise _user_error("`set_column_types` must be a dictionary where key is column name and value is "
                          ":class: azureml.data.DataType")
    return {str(k): v._spec for k, v in set_column_types.items()}


def _tabular(path, reader, validate, partition_format, inferring=False):
    from sim.azureml.data.tabular_dataset import TabularDataset

    sources, workspace = _normalize(path)
    if partition_format:
        reader = dict(reader, partition_format=partition_format)
    definition = {"type": _cloud.TABULAR, "sources": sources, "reader": reader, "steps": [],
                  **_partition(partition_format)}
    if validate or inferring:
        _cloud.require_files(workspace._record, sources, inferring=not validate)
    return TabularDataset._create(definition, workspace)


class TabularDatasetFactory:
    """``Dataset.Tabular``: create TabularDatasets from files in datastores."""

    @staticmethod
    def from_delimited_files(path, validate=True, include_path=False, infer_column_types=True,
                             set_column_types=None, separator=",", header=True, partition_format=None,
                             support_multi_line=False, empty_as_string=False, encoding="utf8"):
        """A TabularDataset over delimited text files (CSV, TSV, ...).

        Raises:
            UserErrorException: a bad ``path``, ``header`` or ``encoding``.
            DatasetValidationError: with ``validate`` (the default), when no file matches the path.
        """
        if isinstance(header, bool):
            header = _HEADERS[header]
        elif isinstance(header, PromoteHeadersBehavior):
            header = header.name
        if header not in _HEADER_NAMES:
            raise _user_error(messages.DATASET_BAD_HEADER)
        if not isinstance(encoding, str) or encoding.lower() not in _ENCODINGS:
            raise _user_error(messages.DATASET_BAD_ENCODING.format(encoding=encoding))
        reader = {"format": "delimited", "separator": separator, "header": header, "encoding": encoding.lower(),
                  "include_path": bool(include_path), "infer_column_types": bool(infer_column_types),
                  "empty_as_string": bool(empty_as_string), "support_multi_line": bool(support_multi_line),
                  "set_column_types": _column_types(set_column_types)}
        return _tabular(path, reader, validate, partition_format, inferring=bool(infer_column_types))

    @staticmethod
    def from_parquet_files(path, validate=True, include_path=False, set_column_types=None,
                           partition_format=None):
        """A TabularDataset over Parquet files.

        Raises:
            DatasetValidationError: with ``validate`` (the default), when no file matches the path.
        """
        reader = {"format": "parquet", "include_path": bool(include_path),
                  "set_column_types": _column_types(set_column_types)}
        return _tabular(path, reader, validate, partition_format)

    @staticmethod
    def from_json_lines_files(path, validate=True, include_path=False, set_column_types=None,
                              partition_format=None, invalid_lines="error", encoding="utf8"):
        """A TabularDataset over JSON Lines files (one JSON object per line).

        Raises:
            UserErrorException: ``invalid_lines`` is not 'error' or 'drop', or a bad encoding.
            DatasetValidationError: with ``validate`` (the default), when no file matches the path.
        """
        if invalid_lines not in ("error", "drop"):
            raise _user_error(f"Expected 'error' or 'drop' as value for invalid_lines, found {invalid_lines}")
        if not isinstance(encoding, str) or encoding.lower() not in _ENCODINGS:
            raise _user_error(messages.DATASET_BAD_ENCODING.format(encoding=encoding))
        reader = {"format": "json_lines", "include_path": bool(include_path), "invalid_lines": invalid_lines,
                  "encoding": encoding.lower(), "set_column_types": _column_types(set_column_types)}
        return _tabular(path, reader, validate, partition_format)

    @staticmethod
    def from_sql_query(query, validate=True, set_column_types=None, query_timeout=30):
        """Not simulated: SQL datastores hold no data here."""
        not_simulated("Dataset.Tabular.from_sql_query")

    @staticmethod
    def register_pandas_dataframe(dataframe, target, name, description=None, tags=None, show_progress=True,
                                  row_group_size=None, make_target_path_unique=True):
        """Write a DataFrame as Parquet to ``target`` (a DataPath or (datastore, path)) and register it."""
        import tempfile

        sources, workspace = _normalize(target)
        folder = sources[0]["path"].rstrip("/")
        if make_target_path_unique:
            folder = f"{folder}/{uuid.uuid4()}".lstrip("/")
        with tempfile.TemporaryDirectory() as tmp:
            local = os.path.join(tmp, "part-00000.parquet")
            dataframe.to_parquet(local, index=False, row_group_size=row_group_size)
            _stores.upload(workspace._record, sources[0]["datastore"], [(local, f"{folder}/part-00000.parquet")],
                           overwrite=True, log=print if show_progress else None)
        store = _datastore_object(target)
        dataset = TabularDatasetFactory.from_parquet_files((store, f"{folder}/*.parquet"))
        return dataset.register(workspace, name, description=description, tags=tags, create_new_version=True)

    @staticmethod
    def register_spark_dataframe(dataframe, target, name, description=None, tags=None, show_progress=True):
        """Not simulated: there is no Spark here."""
        not_simulated("Dataset.Tabular.register_spark_dataframe")

    @staticmethod
    def register_dask_dataframe(dataframe, target, name, description=None, tags=None, show_progress=True):
        """Not simulated: Dask dataframes."""
        not_simulated("Dataset.Tabular.register_dask_dataframe")


def _datastore_object(target):
    return target[0] if isinstance(target, tuple) else target._datastore


class FileDatasetFactory:
    """``Dataset.File``: create FileDatasets from files in datastores."""

    @staticmethod
    def from_files(path, validate=True, partition_format=None, is_file=False):
        """A FileDataset over the files a path, folder or glob matches.

        Raises:
            DatasetValidationError: with ``validate`` (the default), when no file matches the path.
        """
        from sim.azureml.data.file_dataset import FileDataset

        sources, workspace = _normalize(path)
        definition = {"type": _cloud.FILE, "sources": sources, "steps": [], **_partition(partition_format)}
        if validate:
            _cloud.require_files(workspace._record, sources)
        return FileDataset._create(definition, workspace)

    @staticmethod
    def upload_directory(src_dir, target, pattern=None, overwrite=False, show_progress=True):
        """Upload a local folder to ``target`` (a DataPath or (datastore, path)) and return a FileDataset of it.

        Args:
            src_dir: the local folder.
            target: where to put the files.
            pattern: an optional glob on file names (e.g. '*.csv').
            overwrite: replace existing files (otherwise they are skipped).
            show_progress: print progress lines.
        """
        if not os.path.isdir(src_dir):
            raise _user_error(messages.DATASTORE_SRC_NOT_DIR)
        sources, workspace = _normalize(target)
        folder = sources[0]["path"].rstrip("/")
        pairs = []
        for dirpath, _dirs, filenames in os.walk(src_dir):
            for filename in sorted(filenames):
                full = os.path.join(dirpath, filename)
                rel = os.path.relpath(full, src_dir).replace(os.sep, "/")
                if pattern is None or fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(filename, pattern):
                    pairs.append((full, f"{folder}/{rel}" if folder else rel))
        _stores.upload(workspace._record, sources[0]["datastore"], pairs, overwrite=overwrite,
                       log=print if show_progress else None)
        return FileDatasetFactory.from_files((_datastore_object(target), folder + "/" if folder else ""))
