"""``azureml.data.datapath``: a datastore and a path in it, the recommended way to name dataset sources."""

from __future__ import annotations


class DataPath:
    """A path in a datastore, e.g. ``DataPath(datastore, 'diabetes-data/*.csv')``."""

    def __init__(self, datastore=None, path_on_datastore=None, name=None):
        """Create a data path.

        Args:
            datastore: the datastore object.
            path_on_datastore: the path (a file, folder or glob) in the datastore.
            name: an optional name.
        """
        self._datastore = datastore
        self._path_on_datastore = path_on_datastore
        self._name = name

    @property
    def datastore_name(self):
        """The name of the datastore."""
        return self._datastore.name if self._datastore is not None else None

    @property
    def path_on_datastore(self):
        """The path in the datastore."""
        return self._path_on_datastore

    def create_data_reference(self, data_reference_name=None, datapath_compute_binding=None):
        """A DataReference to this path (mount mode unless the binding says otherwise)."""
        from sim.azureml.data.data_reference import DataReference

        mode = getattr(datapath_compute_binding, "mode", "mount")
        return DataReference(self._datastore, data_reference_name=data_reference_name,
                             path_on_datastore=self._path_on_datastore, mode=mode)

    @staticmethod
    def create_from_data_reference(data_reference):
        """The DataPath of a DataReference."""
        return DataPath(data_reference.datastore, data_reference.path_on_datastore)

    def __repr__(self):
        return f"DataPath(datastore_name={self.datastore_name!r}, path_on_datastore={self._path_on_datastore!r})"


class DataPathComputeBinding:
    """How a DataPath reaches a pipeline step: ``(pipeline_parameter, DataPathComputeBinding(mode='mount'))`` in a
    step's arguments or inputs gives the script the folder (or file) the parameter's DataPath names.

    Difference from Azure: mount and download both hand over the datastore's own folder."""

    def __init__(self, mode="mount", path_on_compute=None, overwrite=False):
        """Describe the binding (``mode``: 'mount' or 'download')."""
        if mode not in ("mount", "download"):
            from sim import messages

            raise ValueError(messages.DATAPATH_BINDING_MODE.format(mode=mode))
        self.mode, self.path_on_compute, self.overwrite = mode, path_on_compute, overwrite
