"""``azureml.data.tabular_dataset``: a dataset read as a table (pandas DataFrame).

Transformations (take, skip, keep/drop columns, random_split, filter) add a step to a copy of the
definition; ``to_pandas_dataframe`` reads the files and applies the steps.
"""

from __future__ import annotations

import random

from sim import messages
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml.data import _engine
from sim.azureml.data.abstract_dataset import AbstractDataset, _user_error


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


def _not_simulated(member):
    def method(self, *args, **kwargs):
        not_simulated(member)

    method.__doc__ = f"Not simulated: {member}."
    return method


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

    to_spark_dataframe = _not_simulated("TabularDataset.to_spark_dataframe (no Spark here)")
    to_dask_dataframe = _not_simulated("TabularDataset.to_dask_dataframe")
    to_csv_files = _not_simulated("TabularDataset.to_csv_files")
    to_parquet_files = _not_simulated("TabularDataset.to_parquet_files")
    time_before = _not_simulated("TabularDataset.time_before")
    time_after = _not_simulated("TabularDataset.time_after")
    time_between = _not_simulated("TabularDataset.time_between")
    time_recent = _not_simulated("TabularDataset.time_recent")
    partition_by = _not_simulated("TabularDataset.partition_by")
    get_profile = _not_simulated("TabularDataset.get_profile")
    get_profile_runs = _not_simulated("TabularDataset.get_profile_runs")
    submit_profile_run = _not_simulated("TabularDataset.submit_profile_run")
    download = _not_simulated("TabularDataset.download (stream columns)")
    mount = _not_simulated("TabularDataset.mount (stream columns)")
