"""``azureml.data.abstract_datastore``: the base class of every datastore."""

from __future__ import annotations

import sys

import sim.cloud.datastores
from sim.azureml._common.service_errors import v1_service

_cloud = v1_service(sim.cloud.datastores)


class AbstractDatastore:
    """A named connection to a storage service, registered in a workspace.

    Get one with ``Datastore.get(workspace, name)`` or ``workspace.get_default_datastore()``; register
    new ones with the ``Datastore.register_*`` methods.
    """

    def __init__(self, workspace, name, datastore_type):
        """Create the client-side object of a datastore (no service call).

        Args:
            workspace: the workspace the datastore belongs to.
            name: the datastore name.
            datastore_type: the service's type name, e.g. ``'AzureBlob'``.
        """
        self._workspace = workspace
        self._name = name
        self._datastore_type = datastore_type

    @property
    def workspace(self):
        """The workspace this datastore belongs to."""
        return self._workspace

    @workspace.setter
    def workspace(self, workspace):
        self._workspace = workspace

    @property
    def name(self):
        """The name of the datastore."""
        return self._name

    @name.setter
    def name(self, name):
        self._name = name

    @property
    def datastore_type(self):
        """The type of the datastore, e.g. ``'AzureBlob'``."""
        return self._datastore_type

    @datastore_type.setter
    def datastore_type(self, datastore_type):
        self._datastore_type = datastore_type

    def set_as_default(self):
        """Make this datastore the workspace's default datastore."""
        _cloud.set_default(self._workspace._record, self._name)

    def unregister(self):
        """Remove this datastore's registration; the storage and its files are not deleted."""
        _cloud.unregister(self._workspace._record, self._name)

    def _as_dict(self):
        return {"name": self._name, "datastore_type": self._datastore_type}

    def _get_console_logger(self):
        return sys.stdout

    @property
    def _record(self):
        return self._workspace._record
