"""``azureml.data.tabular_dataset``: a dataset read as a table (pandas DataFrame).

Transformations (take, skip, keep/drop columns, random_split, filter) add a step to a copy of the
definition; ``to_pandas_dataframe`` reads the files and applies the steps.
"""

from __future__ import annotations

import random

import sim.cloud.data_engine
from sim import messages
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml._common.service_errors import v1_service
from sim.azureml.data.abstract_dataset import AbstractDataset, _user_error

_engine = v1_service(sim.cloud.data_engine)


def _count(value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _user_error(messages.DATASET_BAD_COUNT.format(value=value))
    return value


def _columns(columns):
    if isinstance(columns, str):
        return [columns]
    if isinstance(columns, (list, tuple)) and all(isinstance(c, str) for c in columns):
        return list(columns)
    raise _user_error(messages.DATASET_COLUMNS_TYPE.format(kind=type(columns).__name__))


def _split_args(percentage, seed):
    if isinstance(percentage, bool) or not isinstance(percentage, (int, float)) or not 0 < percentage < 1:
        raise _user_error(messages.DATASET_BAD_PERCENTAGE.format(value=percentage))
    # Without a seed, pick one now so that the two halves are exact complements.
    return float(percentage), int(seed) if seed is not None else random.randrange(2**31)


class TabularDataset(AbstractDataset):
    """A dataset of rows and columns, read from delimited text or Parquet files in a datastore."""

    def __init__(self):
        """Create an empty dataset; use Dataset.Tabular.from_delimited_files / from_parquet_files."""
        super().__init__()

    def __getitem__(self, key):
        """A column expression for :meth:`filter`, e.g. ``dataset['Age'] > 30``."""
        from sim.azureml.data._expression import ColumnExpression

        return ColumnExpression(["col", key])

    @property
    def timestamp_columns(self):
        """The (timestamp, partition_timestamp) columns set by with_timestamp_columns."""
        ts = self._definition.get("timestamp_columns") or {}
        return ts.get("timestamp"), ts.get("partition_timestamp")

    def to_pandas_dataframe(self, on_error="null", out_of_range_datetime="null"):
        """Read the data into a pandas DataFrame.

        Raises:
            DatasetValidationError: the source paths match no file.
            DatasetExecutionError: a file could not be parsed.
        """
        return _engine.frame_of(self._record, self._definition)

    def take(self, count):
        """A dataset of the first ``count`` rows."""
        return self._derive({"op": "take", "count": _count(count)})

    def skip(self, count):
        """A dataset without the first ``count`` rows."""
        return self._derive({"op": "skip", "count": _count(count)})

    def take_sample(self, probability, seed=None):
        """A dataset of a random sample of rows, each kept with ``probability``."""
        percentage, seed = _split_args(probability, seed)
        return self._derive({"op": "random_split", "percentage": percentage, "seed": seed, "part": 0})

    def random_split(self, percentage, seed=None):
        """Split the rows at random into two datasets: about ``percentage`` of them, and the rest.

        Returns:
            tuple: (first TabularDataset, second TabularDataset); together they hold every row once.
        """
        percentage, seed = _split_args(percentage, seed)
        step = {"op": "random_split", "percentage": percentage, "seed": seed}
        return self._derive(dict(step, part=0)), self._derive(dict(step, part=1))

    def keep_columns(self, columns, validate=False):
        """A dataset with only the given columns.

        Raises:
            DatasetValidationError: with ``validate``, when a column does not exist.
        """
        columns = _columns(columns)
        if validate:
            self._check_columns(columns)
        return self._derive({"op": "keep_columns", "columns": columns})

    def drop_columns(self, columns):
        """A dataset without the given columns (absent columns are ignored, as in the SDK)."""
        return self._derive({"op": "drop_columns", "columns": _columns(columns)})

    def filter(self, expression):
        """A dataset of the rows where ``expression`` (built from ``dataset['column']``) is true."""
        from sim.azureml.data._expression import ColumnExpression

        if not isinstance(expression, ColumnExpression):
            raise _user_error(messages.DATASET_FILTER_EXPRESSION.format(kind=type(expression).__name__))
        return self._derive({"op": "filter", "expression": expression.tree})

    def with_timestamp_columns(self, timestamp=None, partition_timestamp=None, validate=False, **kwargs):
        """A dataset with timestamp columns defined (used by data drift and time-series features)."""
        timestamp = kwargs.get("fine_grain_timestamp", timestamp)
        partition_timestamp = kwargs.get("coarse_grain_timestamp", partition_timestamp)
        if validate:
            self._check_columns([c for c in (timestamp, partition_timestamp) if c])
        return self._derive(timestamp_columns={"timestamp": timestamp, "partition_timestamp": partition_timestamp})

    def _check_columns(self, columns):
        from sim.azureml.data.dataset_error_handling import DatasetValidationError

        present = set(self.take(1).to_pandas_dataframe().columns)
        missing = [c for c in columns if c not in present]
        if missing:
            raise DatasetValidationError(messages.DATASET_MISSING_COLUMNS.format(columns=missing))

    def time_before(self, end_time, include_boundary=True, validate=True):
        """Rows whose timestamp is before ``end_time`` (needs with_timestamp_columns)."""
        return self._time_filter(None, end_time, include_boundary)

    def time_after(self, start_time, include_boundary=True, validate=True):
        """Rows whose timestamp is after ``start_time`` (needs with_timestamp_columns)."""
        return self._time_filter(start_time, None, include_boundary)

    def time_between(self, start_time, end_time, include_boundary=True, validate=True):
        """Rows whose timestamp is between ``start_time`` and ``end_time``."""
        return self._time_filter(start_time, end_time, include_boundary)

    def time_recent(self, time_delta, include_boundary=True, validate=True):
        """Rows whose timestamp is within ``time_delta`` (a datetime.timedelta) of now."""
        import datetime as dt

        return self._time_filter(dt.datetime.now() - time_delta, None, include_boundary)

    def _time_filter(self, start, end, include_boundary):
        from sim.azureml.exceptions import DatasetTimestampMissingError

        column = self.timestamp_columns[0] or self.timestamp_columns[1]
        if column is None:
            raise DatasetTimestampMissingError(
                "Please use with_timestamp_columns() to assign a timestamp column to the dataset first.")
        stamp = ["to_datetime", ["col", column]]
        tree = None
        for bound, strict, loose in ((start, "gt", "ge"), (end, "lt", "le")):
            if bound is not None:
                part = [loose if include_boundary else strict, stamp, ["time", _iso(bound)]]
                tree = part if tree is None else ["and", tree, part]
        return self._derive({"op": "filter", "expression": tree})

    def to_spark_dataframe(self):
        """Not simulated: there is no Spark here."""
        not_simulated("TabularDataset.to_spark_dataframe")

    def to_dask_dataframe(self, sample_size=10000, dtypes=None, on_error="null", out_of_range_datetime="null"):
        """Not simulated: Dask dataframes."""
        not_simulated("TabularDataset.to_dask_dataframe")

    def to_csv_files(self, separator=","):
        """Not simulated: converting to a FileDataset of CSV files."""
        not_simulated("TabularDataset.to_csv_files")

    def to_parquet_files(self):
        """Not simulated: converting to a FileDataset of Parquet files."""
        not_simulated("TabularDataset.to_parquet_files")

    def partition_by(self, partition_keys, target, name=None, show_progress=True, partition_as_file_dataset=False):
        """Not simulated: writing a partitioned copy."""
        not_simulated("TabularDataset.partition_by")

    def get_profile(self, workspace=None):
        """Not simulated: data profiles."""
        not_simulated("TabularDataset.get_profile")

    def get_profile_runs(self, workspace=None):
        """Not simulated: data profile runs."""
        not_simulated("TabularDataset.get_profile_runs")

    def submit_profile_run(self, compute_target, experiment, cache_datastore_name=None):
        """Not simulated: data profile runs."""
        not_simulated("TabularDataset.submit_profile_run")

    def download(self, stream_column, target_path=None, overwrite=False, ignore_not_found=True):
        """Not simulated: stream columns (use a FileDataset to download files)."""
        not_simulated("TabularDataset.download (stream columns)")

    def mount(self, stream_column, mount_point=None):
        """Not simulated: stream columns (use a FileDataset to mount files)."""
        not_simulated("TabularDataset.mount (stream columns)")


def _iso(value):
    import pandas as pd

    return pd.Timestamp(value).isoformat()
