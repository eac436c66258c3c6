"""``azureml.core.dataset``: the ``Dataset`` entry point (``Dataset.Tabular``, ``Dataset.File``, lookups).

In SDK v1 ``Dataset`` is mostly a doorway: ``Dataset.Tabular`` / ``Dataset.File`` create datasets and
``Dataset.get_by_name`` / ``get_by_id`` / ``get_all`` look registered ones up; the objects returned are
TabularDataset or FileDataset (``azureml.data``).  The older definition-based API of this class
(``from_delimited_files`` on Dataset itself, snapshots, profiles) is deprecated and not simulated.
"""

from __future__ import annotations

from sim import messages
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml.data.abstract_dataset import AbstractDataset
from sim.azureml.data.dataset_factory import FileDatasetFactory, TabularDatasetFactory


def _deprecated(member):
    def method(*args, **kwargs):
        from sim.azureml.exceptions import UserErrorException

        raise UserErrorException(messages.NOT_SIMULATED.format(
            member=f"{member} (deprecated: use Dataset.Tabular / Dataset.File and TabularDataset / FileDataset)"))

    method.__doc__ = f"Not simulated: the deprecated {member}."
    return staticmethod(method)


class Dataset:
    """Create, register and look up datasets.

    Attributes:
        Tabular: the TabularDatasetFactory (``Dataset.Tabular.from_delimited_files(...)``).
        File: the FileDatasetFactory (``Dataset.File.from_files(...)``).
    """

    Tabular = TabularDatasetFactory
    File = FileDatasetFactory

    def __init__(self, definition, workspace=None, name=None, id=None):  # noqa: A002 - the SDK's names
        """Not simulated: the deprecated definition-based Dataset; use Dataset.Tabular / Dataset.File."""

        not_simulated("Dataset(definition, ...)")

    @staticmethod
    def get_by_name(workspace, name, version="latest", **kwargs):
        """Get a registered dataset (TabularDataset or FileDataset) by name and version."""
        return AbstractDataset.get_by_name(workspace, name, version, **kwargs)

    @staticmethod
    def get_by_id(workspace, id, **kwargs):  # noqa: A002 - the SDK's parameter name
        """Get a saved dataset by id."""
        return AbstractDataset.get_by_id(workspace, id, **kwargs)

    @staticmethod
    def get_all(workspace):
        """All registered datasets of the workspace (latest versions), keyed by name."""
        return AbstractDataset.get_all(workspace)

    @staticmethod
    def get(workspace, name=None, id=None):  # noqa: A002 - the SDK's parameter name
        """Get a registered dataset by name, or a saved one by id (the older lookup)."""
        if name is not None:
            return AbstractDataset.get_by_name(workspace, name)
        return AbstractDataset.get_by_id(workspace, id)

    @staticmethod
    def list(workspace):  # noqa: A003 - the SDK's method name
        """The registered datasets of the workspace, as a list."""
        return list(AbstractDataset.get_all(workspace).values())

    auto_read_files = _deprecated("Dataset.auto_read_files")
    from_binary_files = _deprecated("Dataset.from_binary_files")
    from_excel_files = _deprecated("Dataset.from_excel_files")
    from_json_files = _deprecated("Dataset.from_json_files")
    from_pandas_dataframe = _deprecated("Dataset.from_pandas_dataframe")
    from_sql_query = _deprecated("Dataset.from_sql_query")
    from_parquet_files = _deprecated("Dataset.from_parquet_files")
    from_delimited_files = _deprecated("Dataset.from_delimited_files")
