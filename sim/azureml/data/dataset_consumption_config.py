"""``azureml.data.dataset_consumption_config``: how a dataset reaches a submitted script.

Modes: ``direct`` (the script gets the dataset object; the command-line argument is its id),
``download`` (files copied into the run's folder; the argument is that folder) and ``mount`` (a folder of
links to the datastore files; the argument is that folder).

The hook for the run engine (SIM-RUNS): ``config._materialize(work_dir)`` prepares the input and returns
a JSON-able spec ``{"name", "argument", "input"}``; inside the script's process,
``sim.azureml.data._input_from_spec(spec["input"])`` rebuilds what ``run.input_datasets[name]`` holds.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

from sim import messages
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml.data.abstract_dataset import _user_error
from sim.azureml.data.constants import _DATASET_ARGUMENT_TEMPLATE, DIRECT_MODE, DOWNLOAD_MODE, MOUNT_MODE

_SUPPORTED_MODES = (DIRECT_MODE, DOWNLOAD_MODE, MOUNT_MODE)
_NAME_RE = re.compile(r"^[a-zA-Z_]+[a-zA-Z0-9_]*$")


def _validate_name(name):
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise _user_error(messages.CONSUMPTION_BAD_NAME.format(name=name))
    return name


class DatasetConsumptionConfig:
    """A dataset input of a run: its name, the dataset, and the delivery mode."""

    def __init__(self, name, dataset, mode="direct", path_on_compute=None):
        """Describe how ``dataset`` is delivered to a run under ``name``.

        Args:
            name: the input name (letters, digits, underscores; not starting with a digit), or None
                for a generated one.
            dataset: a TabularDataset, a FileDataset, or a (workspace, name[, version]) tuple.
            mode: 'direct', 'download' or 'mount' (the last two for FileDataset only).
            path_on_compute: where a download or mount appears (relative to the run folder).
        """
        from sim.azureml.data.abstract_dataset import AbstractDataset
        from sim.azureml.data.output_dataset_config import OutputDatasetConfig
        from sim.azureml.data.tabular_dataset import TabularDataset

        if isinstance(dataset, tuple):
            workspace, ds_name, *version = dataset
            dataset = AbstractDataset.get_by_name(workspace, ds_name, version[0] if version else "latest")
        mode = str(mode).lower()
        if _is_parameter(dataset):
            _check_parameter(dataset, mode)
        if mode == "hdfs":
            not_simulated("DatasetConsumptionConfig mode 'hdfs'")
        if mode not in _SUPPORTED_MODES:
            raise _user_error(f"Invalid mode '{mode}'. Mode can only be mount, download, hdfs, link, or direct")
        if isinstance(getattr(dataset, "default_value", dataset), TabularDataset) and mode != DIRECT_MODE:
            raise _user_error(messages.CONSUMPTION_BAD_MODE.format(kind=type(dataset).__name__, mode=mode))
        self.dataset = dataset
        if name:
            self._name = _validate_name(name)
        elif isinstance(dataset, OutputDatasetConfig) or _is_parameter(dataset):
            self._name = _validate_name(dataset.name)
        else:
            suffix = str(dataset.id).split("-")[0] if dataset.id else str(uuid.uuid4()).split("-")[0]
            self._name = f"input_{suffix}"
        self.arg_val = _DATASET_ARGUMENT_TEMPLATE.format(self._name)
        self.mode = mode
        self.path_on_compute = path_on_compute

    @property
    def name(self):
        """The input name (the key in ``run.input_datasets``)."""
        return self._name

    @name.setter
    def name(self, value):
        self._name = _validate_name(value)
        self.arg_val = _DATASET_ARGUMENT_TEMPLATE.format(self._name)

    def as_download(self, path_on_compute=None):
        """The same input, downloaded into the run's folder (FileDataset only)."""
        return DatasetConsumptionConfig(self.name, self.dataset, DOWNLOAD_MODE, path_on_compute)

    def as_mount(self, path_on_compute=None):
        """The same input, mounted as a folder in the run (FileDataset only)."""
        return DatasetConsumptionConfig(self.name, self.dataset, MOUNT_MODE, path_on_compute)

    def as_hdfs(self):
        """Not simulated: HDFS delivery exists only on Synapse Spark pools."""
        not_simulated("DatasetConsumptionConfig.as_hdfs")

    # ------------------------------------------------------------------------ run engine hook

    def _target_folder(self, work_dir: Path) -> Path:
        from sim.cloud.runs.inputs import target_folder

        return target_folder(Path(work_dir), self.name, self.path_on_compute)

    def _placement_request(self) -> dict:
        """This input as the service places it in a job's folder (`sim.cloud.runs.inputs.place`): a saved dataset,
        or an earlier run's output folder (`as_input()`); a pipeline parameter is not offered that way."""
        dataset = self.dataset
        if hasattr(dataset, "_as_file_dataset"):  # an earlier output: its folder, read in this input's mode
            return dict(dataset._placement_request("output_read"), name=self.name, mode=self.mode)
        if _is_parameter(dataset):
            from sim import messages as sim_messages
            from sim.service.routed import NotRouted

            raise NotRouted(sim_messages.SIM_SERVICE_NOT_ROUTED.format(
                target=f"a {type(dataset).__name__} as a submitted script's input"))
        record = dataset._record
        return {"name": self.name, "mode": self.mode, "id": dataset.id, "kind": type(dataset).__name__,
                "definition": dataset._definition, "path_on_compute": self.path_on_compute,
                "workspace": {"subscription_id": record.subscription_id, "resource_group": record.resource_group,
                              "name": record.name},
                "registration": {"name": dataset.name, "version": dataset.version} if dataset.name else None}

    def _materialize(self, work_dir, workspace=None) -> dict:
        """Prepare this input for a run whose working folder is ``work_dir``.

        Saves the dataset (it gets an id), then downloads or links its files for those modes.

        Returns:
            dict: ``{"name", "argument", "input"}``, JSON-able; see the module docstring.
        """
        from sim.azureml.data import output_dataset_config
        from sim.azureml.data.file_dataset import _engine, _place

        dataset = self.dataset
        if _is_parameter(dataset):  # the service puts the run's dataset in place when the step starts
            return {"name": self.name, "argument": dataset._placeholder(),
                    "input": {"mode": DIRECT_MODE, "parameter": dataset.name}}
        if hasattr(dataset, "_as_file_dataset"):  # an earlier output: its folder already is the mount
            return output_dataset_config._place(dataset._workspace_of(work_dir, workspace), work_dir,
                                                self._placement_request())
        dataset_id = dataset.id
        record = dataset._record
        spec = {"mode": self.mode, "id": dataset_id, "kind": type(dataset).__name__,
                "definition": dataset._definition,
                "workspace": {"subscription_id": record.subscription_id,
                              "resource_group": record.resource_group, "name": record.name},
                "registration": ({"name": dataset.name, "version": dataset.version} if dataset.name else None)}
        if self.mode == DIRECT_MODE:
            return {"name": self.name, "argument": dataset_id, "input": spec}
        folder = self._target_folder(work_dir)
        folder.mkdir(parents=True, exist_ok=True)
        files = _engine.files_of(record, dataset._definition)
        placed = _place(dataset, files, folder, link=(self.mode == MOUNT_MODE))
        # The service hands the script the file itself when the dataset is one file with no transforms.
        path = placed[0] if _single_file_no_transform(dataset._definition, files) else os.fspath(folder)
        spec["path"] = path
        return {"name": self.name, "argument": path, "input": spec}


def _single_file_no_transform(definition: dict, files: list) -> bool:
    """True for a FileDataset made from exactly one file path (not a folder or a pattern) and no steps."""
    from sim.cloud.runs.inputs import single_file_no_transform

    return single_file_no_transform(definition, files)


def _is_parameter(value) -> bool:
    from sim.azureml.pipeline.core.graph import PipelineParameter

    return isinstance(value, PipelineParameter)


def _check_parameter(parameter, mode: str) -> None:
    """A PipelineParameter consumed as a dataset: its default is a dataset, given to the script directly."""
    if parameter._declaration()["kind"] != "dataset":
        raise _user_error(messages.PIPELINE_PARAMETER_NOT_DATASET.format(name=parameter.name))
    if mode != DIRECT_MODE:
        not_simulated("a dataset PipelineParameter consumed as_mount() or as_download() (it is given directly)")


def dataset_reference(dataset) -> dict:
    """A dataset as the service names it in a run's inputs (id, kind, definition, workspace, registration)."""
    spec = DatasetConsumptionConfig("dataset", dataset)._materialize(None)["input"]
    return {k: v for k, v in spec.items() if k != "mode"}


def _input_from_spec(spec: dict):
    """What ``run.input_datasets[name]`` holds in the script: a dataset object (direct) or a path string.

    Specs whose mode is ``output`` (OutputFileDatasetConfig) or ``reference`` (DataReference) are not
    dataset inputs in Azure ML; the run engine may leave them out of ``input_datasets``.
    """
    if spec["mode"] != DIRECT_MODE:
        return spec["path"]
    from sim.azureml.data.abstract_dataset import _from_info
    from sim.cloud import datasets as _cloud

    workspace = _workspace_from(spec["workspace"])
    reg = spec.get("registration") or {}
    info = _cloud.DatasetInfo(id=spec["id"], definition=spec["definition"], name=reg.get("name"),
                              version=reg.get("version"))
    return _from_info(workspace, info)


def _workspace_from(identity: dict):
    import sim.cloud.workspaces
    from sim.azureml._common.service_errors import v1_service
    from sim.azureml.core.workspace import Workspace

    workspaces = v1_service(sim.cloud.workspaces)
    record = workspaces.get(identity["subscription_id"], identity["resource_group"], identity["name"])
    return Workspace._from_record(record)
