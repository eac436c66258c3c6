"""``azureml.data.output_dataset_config``: where a run writes its output files (OutputFileDatasetConfig).

An OutputFileDatasetConfig given as a script argument becomes a folder path; what the script writes there
lands in the destination datastore.  Here datastores are local folders, so the path handed to the script
*is* the destination folder (the effect of the default ``mount`` mode, and of ``upload`` once a run ends).
``.as_input()`` hands the same folder to a later step or run as a mounted FileDataset.

The service puts the folder in place (`sim.cloud.runs.datarefs`), in process and when it is its own process.
Difference from Azure: the ``{run-id}`` placeholder of the destination path is replaced by an id unique
to this output object (chosen when it is created), so a later step can find the folder without knowing
the producing run.  ``read_delimited_files`` gives an OutputTabularDatasetConfig, which an AutoMLStep reads.
Not simulated: ``register_on_complete``, ``read_parquet_files``.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from sim import messages
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml.data.abstract_dataset import _user_error
from sim.azureml.data.dataset_consumption_config import _validate_name

_DEFAULT_PATH = "dataset/{run-id}/{output-name}"


class OutputDatasetConfig:
    """The base of run outputs: a name and a mode."""

    def __init__(self, mode, name=None, **kwargs):
        """Create an output called ``name`` (generated when None) delivered in ``mode``."""
        self._name = _validate_name(name) if name else f"output_{uuid.uuid4().hex[:8]}"
        self.mode = mode
        self.arg_val = f"DatasetOutputConfig:{self._name}"

    @property
    def name(self):
        """The output name."""
        return self._name

    @name.setter
    def name(self, value):
        self._name = _validate_name(value)
        self.arg_val = f"DatasetOutputConfig:{self._name}"


class OutputFileDatasetConfig(OutputDatasetConfig):
    """Files a run writes, saved to a datastore path; usable as the input of a later step."""

    def __init__(self, name=None, destination=None, source=None, partition_format=None):
        """Describe an output folder.

        Args:
            name: the output name (letters, digits, underscores).
            destination: ``(datastore, 'path')``; the path may use ``{run-id}`` and ``{output-name}``.
                Default: the workspace default datastore, ``dataset/{run-id}/{output-name}``.
            source: not simulated (the script writes straight into the folder it is given).
            partition_format: not simulated.
        """
        super().__init__("mount", name)
        if destination is not None and not _is_destination(destination):
            raise _user_error(messages.OUTPUT_BAD_DESTINATION.format(kind=type(destination).__name__))
        self.destination = destination
        self.source = source
        self.partition_format = partition_format
        self._unique = uuid.uuid4().hex

    def as_mount(self, disable_metadata_cache=False):
        """The same output, written through a mounted folder (the default)."""
        self.mode = "mount"
        return self

    def as_upload(self, overwrite=False, source_globs=None):
        """The same output, uploaded when the run ends (here: the same folder, so the same result)."""
        self.mode = "upload"
        return self

    def as_input(self, name=None):
        """This output as the (mounted) input of a later step or run."""
        from sim.azureml.data.dataset_consumption_config import DatasetConsumptionConfig

        return DatasetConsumptionConfig(name or self.name, self, "mount")

    def register_on_complete(self, name, description=None, tags=None):
        """Not simulated: register the written files as a dataset yourself after the run."""
        not_simulated("OutputFileDatasetConfig.register_on_complete")

    def read_delimited_files(self, include_path=False, separator=",", header=True, partition_format=None,
                             path_glob=None, set_column_types=None):
        """The files the run writes, read as a table of delimited text (an OutputTabularDatasetConfig), e.g. as
        an AutoMLStep's training_data. Only ``separator`` is simulated among the reading options."""
        for option, value in (("include_path", include_path), ("partition_format", partition_format),
                              ("path_glob", path_glob), ("set_column_types", set_column_types)):
            if value:
                not_simulated(f"OutputFileDatasetConfig.read_delimited_files({option}=...)")
        return OutputTabularDatasetConfig(self, separator)

    def read_parquet_files(self, include_path=False, partition_format=None, path_glob=None,
                           set_column_types=None):
        """Not simulated: create a TabularDataset from the folder with Dataset.Tabular after the run."""
        not_simulated("OutputFileDatasetConfig.read_parquet_files")

    # ------------------------------------------------------------------------ run engine hook

    def _path_on_datastore(self) -> str:
        template = self.destination[1] if self.destination else _DEFAULT_PATH
        return template.replace("{run-id}", self._unique).replace("{output-name}", self.name).strip("/")

    def _datastore(self, workspace):
        if self.destination:
            return self.destination[0]
        from sim.azureml.core.datastore import Datastore

        return Datastore.get_default(workspace)

    def _as_file_dataset(self, workspace):
        """A FileDataset over the output folder (validation off: it may still be empty)."""
        from sim.azureml.data.dataset_factory import FileDatasetFactory

        return FileDatasetFactory.from_files((self._datastore(workspace), self._path_on_datastore() + "/"),
                                             validate=False)

    def _placement_request(self, placement="output") -> dict:
        """This output as the service puts it in place for a submitted script (`sim.cloud.runs.datarefs`): its
        folder on the datastore (None: the workspace's default datastore). `placement` "output_read" is the same
        folder read by a later run (`as_input()`)."""
        store = self.destination[0].name if self.destination else None
        return {"placement": placement, "name": self.name, "datastore": store, "path": self._path_on_datastore(),
                "mode": self.mode}

    def _materialize(self, work_dir, workspace=None) -> dict:
        """Run engine hook (in process): create the output folder and hand its path to the script.

        Returns:
            dict: ``{"name", "argument", "input"}`` like an input; ``input["mode"]`` is ``"output"``.
        """
        return _place(self._workspace_of(work_dir, workspace), work_dir, self._placement_request())

    def _workspace_of(self, work_dir, workspace=None):
        """The workspace whose datastore holds the folder: given, the destination's, or the job's."""
        return workspace or (self.destination[0].workspace if self.destination else _job_workspace(work_dir))


class OutputTabularDatasetConfig(OutputDatasetConfig):
    """The files of an OutputFileDatasetConfig read as a table: the training data of an AutoMLStep that follows
    the step writing them. Difference from Azure: only an AutoMLStep reads it; as a script's input (``as_input``)
    it is not simulated, so give the script the OutputFileDatasetConfig's folder instead."""

    def __init__(self, source, separator=","):
        """Read ``source``'s files as delimited text split by ``separator``."""
        super().__init__("mount", source.name)
        self._source, self._separator = source, separator
        self._unique = source._unique  # a step that reads it runs after the step that writes the files

    def as_input(self, name=None):
        """Not simulated: a script reads the OutputFileDatasetConfig's folder (``.as_input()``) instead."""
        not_simulated("OutputTabularDatasetConfig.as_input")

    def _tabular_source(self, workspace) -> dict:
        """Where the service reads the table: the output folder on its datastore, and how to split lines."""
        store = self._source._datastore(workspace)
        return {"kind": "folder", "datastore": store.name, "path": self._source._path_on_datastore(),
                "separator": self._separator}


def _is_destination(value) -> bool:
    from sim.azureml.data.abstract_datastore import AbstractDatastore

    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], AbstractDatastore)
            and isinstance(value[1], str))


def _job_workspace(work_dir):
    """The workspace of a job from its working folder (``<workspace>/jobs/<run id>/wd``)."""
    import sim.cloud.workspaces
    from sim.azureml._common.service_errors import v1_service
    from sim.azureml.core.workspace import Workspace

    workspaces = v1_service(sim.cloud.workspaces)
    folder = Path(work_dir).resolve().parent.parent.parent
    meta = folder / "workspace.json"
    if Path(work_dir).resolve().parent.parent.name != "jobs" or not meta.exists():
        raise _user_error(messages.OUTPUT_NO_WORKSPACE)
    data = json.loads(meta.read_text())
    record = workspaces.get(data["subscription_id"], data["resource_group"], data["name"])
    return Workspace._from_record(record)


def _place(workspace, work_dir, request: dict) -> dict:
    """An output folder (or an earlier one read) put in place in process, as the service does it."""
    import sim.cloud.runs.datarefs
    from sim.azureml._common.service_errors import v1_service

    # Writes a datastore's folder: only a process that sees it (in process) may; in process mode the script run
    # sends the request instead, and this is refused by name.
    places = v1_service(sim.cloud.runs.datarefs)
    return places.place(workspace._record, Path(work_dir) if work_dir is not None else None, request)
