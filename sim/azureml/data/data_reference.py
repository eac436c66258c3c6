"""``azureml.data.data_reference``: a path in a datastore and how a run should see it (legacy API)."""

from __future__ import annotations

import os
from pathlib import Path

from sim.azureml._common.not_simulated import not_simulated

SUPPORTED_DATAREF_MODES = ("mount", "download", "upload")


class DataReference:
    """A reference to data in a datastore: the datastore, a path in it, and a mode (mount/download/upload).

    ``str(reference)`` is ``$AZUREML_DATAREFERENCE_<name>``, the placeholder Azure ML replaces with a
    local path in a run.  Datasets are the recommended way to consume data; this class exists because
    ``upload``/``upload_files``/``path`` return it.
    """

    def __init__(self, datastore, data_reference_name=None, path_on_datastore=None, mode="mount",
                 path_on_compute=None, overwrite=False):
        """Create a reference.

        Args:
            datastore: the datastore object.
            data_reference_name: a name for the reference (defaults to the datastore name).
            path_on_datastore: the path in the datastore (None means its root).
            mode: 'mount', 'download' or 'upload'.
            path_on_compute: where the data appears on the compute.
            overwrite: whether an upload replaces existing data.
        """
        from sim.azureml.exceptions import UserErrorException

        if mode not in SUPPORTED_DATAREF_MODES:
            raise UserErrorException(f"Invalid mode {mode}. Only mount, download, upload are supported")
        self.datastore = datastore
        self.data_reference_name = data_reference_name or datastore.name
        self.path_on_datastore = path_on_datastore
        self.mode = mode
        self.path_on_compute = path_on_compute
        self.overwrite = overwrite

    def path(self, path=None, data_reference_name=None):
        """A reference to ``path`` under this reference's path."""
        if not path or path in ("/", ".", "./"):
            if data_reference_name:
                return DataReference(self.datastore, data_reference_name=data_reference_name)
            return self
        if not self.path_on_datastore or self.path_on_datastore in ("/", ".", "./"):
            joined = path
        else:
            joined = f"{self.path_on_datastore}/{path}"
        return DataReference(self.datastore, data_reference_name=data_reference_name, path_on_datastore=joined)

    def as_download(self, path_on_compute=None, overwrite=False):
        """A copy of this reference in download mode."""
        return self._clone(mode="download", path_on_compute=path_on_compute, overwrite=overwrite)

    def as_upload(self, path_on_compute=None, overwrite=False):
        """A copy of this reference in upload mode."""
        return self._clone(mode="upload", path_on_compute=path_on_compute, overwrite=overwrite)

    def as_mount(self):
        """A copy of this reference in mount mode."""
        return self._clone(mode="mount")

    def _clone(self, **changes):
        values = {"datastore": self.datastore, "data_reference_name": self.data_reference_name,
                  "path_on_datastore": self.path_on_datastore, "mode": self.mode,
                  "path_on_compute": self.path_on_compute, "overwrite": self.overwrite}
        values.update(changes)
        return DataReference(**values)

    def to_config(self):
        """Not simulated: DataReference run configurations belong to the legacy estimator API."""

        not_simulated("DataReference.to_config")

    def _placement_request(self) -> dict:
        """This reference as the service puts it in place for a submitted script (`sim.cloud.runs.datarefs`)."""
        path_on_compute = None if self.path_on_compute is None else os.fspath(self.path_on_compute)
        return {"placement": "data_reference", "name": self.data_reference_name, "datastore": self.datastore.name,
                "path": self.path_on_datastore, "mode": self.mode, "path_on_compute": path_on_compute}

    def _materialize(self, work_dir) -> dict:
        """Run engine hook (in process): make the referenced data a local path for a submitted script.

        ``download`` copies the files, ``mount`` links them, ``upload`` hands over the datastore folder
        itself (what the script writes lands in the datastore).  The script's argument is that path, where
        Azure ML would substitute ``$AZUREML_DATAREFERENCE_<name>``.  The service does the same with
        `_placement_request` when the simulated Azure is its own process.

        Returns:
            dict: ``{"name", "argument", "input"}``; ``input["mode"]`` is ``"reference"``.
        """
        import sim.cloud.runs.datarefs
        from sim.azureml._common.service_errors import v1_service

        # Writes the job's folder and reads the datastore's: only a process that sees them (in process) may do it;
        # in process mode the script run sends `_placement_request` instead, and this is refused by name.
        places = v1_service(sim.cloud.runs.datarefs)
        return places.place(self.datastore._record, Path(work_dir), self._placement_request())

    def __str__(self):
        return f"$AZUREML_DATAREFERENCE_{self.data_reference_name}"

    def __repr__(self):
        return self.__str__()

