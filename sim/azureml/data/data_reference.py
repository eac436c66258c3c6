"""``azureml.data.data_reference``: a path in a datastore and how a run should see it (legacy API)."""

from __future__ import annotations

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

    def _materialize(self, work_dir) -> dict:
        """Run engine hook: make the referenced data a local path for a submitted script.

        ``download`` copies the files, ``mount`` links them, ``upload`` hands over the datastore folder
        itself (what the script writes lands in the datastore).  The script's argument is that path, where
        Azure ML would substitute ``$AZUREML_DATAREFERENCE_<name>``.

        Returns:
            dict: ``{"name", "argument", "input"}``; ``input["mode"]`` is ``"reference"``.
        """
        import os
        import shutil
        from pathlib import Path

        import sim.cloud.datastores
        from sim.azureml._common.service_errors import v1_service

        # The datastore's folder on the service's disk: only a process that sees it (a job's own, in process) may
        # use it; through the service `content_root` is refused by name, never written locally.
        datastores = v1_service(sim.cloud.datastores)
        record, name = self.datastore._record, self.datastore.name
        root = datastores.content_root(record, name)
        rel = datastores.clean_relative(self.path_on_datastore)
        if self.mode == "upload":
            target = root / rel
            target.mkdir(parents=True, exist_ok=True)
        else:
            compute = Path(self.path_on_compute) if self.path_on_compute else Path(
                "azureml_datarefs") / self.data_reference_name
            base = compute if compute.is_absolute() else Path(work_dir) / compute
            single = (root / rel).is_file()
            names = [rel] if single else datastores.list_files(record, name, (rel + "/") if rel else "")
            for item in names:
                dest = base / _local_name(item, rel, single)
                dest.parent.mkdir(parents=True, exist_ok=True)
                if self.mode == "mount":
                    os.symlink(root / item, dest)
                else:
                    shutil.copyfile(root / item, dest)
            base.mkdir(parents=True, exist_ok=True)
            target = base / Path(rel).name if single else base
        return {"name": self.data_reference_name, "argument": os.fspath(target),
                "input": {"mode": "reference", "path": os.fspath(target)}}

    def __str__(self):
        return f"$AZUREML_DATAREFERENCE_{self.data_reference_name}"

    def __repr__(self):
        return self.__str__()


def _local_name(item: str, rel: str, single: bool):
    """Where a datastore file goes below the local folder: its path under the referenced folder."""
    from pathlib import PurePosixPath

    if single or not rel:
        return PurePosixPath(item).name if single else PurePosixPath(item)
    return PurePosixPath(item).relative_to(rel)
