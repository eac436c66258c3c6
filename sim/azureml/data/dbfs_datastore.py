"""``azureml.data.dbfs_datastore``: the Databricks File System datastore (registration only)."""

from __future__ import annotations

from sim.azureml.data.abstract_datastore import AbstractDatastore
from sim.azureml.data.constants import DBFS


class DBFSDatastore(AbstractDatastore):
    """A datastore that points at a Databricks File System; it takes no credentials."""

    def __init__(self, workspace, name):
        """Create the client-side object; register with Datastore.register_dbfs."""
        super().__init__(workspace, name, DBFS)
