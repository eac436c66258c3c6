"""``azureml.pipeline.core.builder``: PipelineData, the intermediate data one step writes and the next reads."""

from __future__ import annotations

import uuid

from sim.azureml.data.dataset_consumption_config import _validate_name


class PipelineData:
    """A folder on a datastore that one pipeline step writes (listed in its ``outputs``) and later steps read
    (listed in their ``inputs``); in a step's ``arguments`` it is the folder's path.

    Difference from Azure: the folder is ``azureml/<id>/<name>`` with an id chosen when the object is created,
    not the producing run's id, so a step that reuses an earlier run still finds it.
    """

    def __init__(self, name, datastore=None, output_name=None, output_mode="mount", output_path_on_compute=None,
                 output_overwrite=None, data_type=None, is_directory=None, pipeline_output_name=None,
                 training_output=None):
        """Name the data (letters, digits and underscores) and where it is kept (the default datastore)."""
        self._name = _validate_name(name)
        self._datastore = datastore
        self._output_name = output_name or name
        self._output_mode = output_mode
        self._data_type = data_type or "AnyDirectory"
        self._pipeline_output_name = pipeline_output_name
        self._training_output = training_output  # an AutoMLStep's Metrics or Model: one file, not a folder
        self._unique = uuid.uuid4().hex

    @property
    def name(self):
        """The data's name."""
        return self._name

    @property
    def datastore(self):
        """The datastore that holds it (None: the workspace's default)."""
        return self._datastore

    @property
    def training_output(self):
        """The TrainingOutput this data holds (an AutoMLStep's metrics or model), or None."""
        return self._training_output

    @property
    def data_type(self):
        """The data type (``AnyDirectory``)."""
        return self._data_type

    def as_input(self, input_name):
        """The same data, read by a step under ``input_name``."""
        self._input_name = input_name
        return self

    def as_mount(self, input_name=None):
        """The same data, mounted for the reading step."""
        return self.as_input(input_name or self.name)

    def as_download(self, input_name=None, path_on_compute=None, overwrite=None):
        """The same data, downloaded for the reading step (here the same folder)."""
        return self.as_input(input_name or self.name)

    def get_env_variable_name(self):
        """The environment variable a step reads the data's path from."""
        return f"AZUREML_DATAREFERENCE_{self.name}"

    def _path_on_datastore(self) -> str:
        return f"azureml/{self._unique}/{self.name}"

    def __repr__(self):
        return f"$AZUREML_DATAREFERENCE_{self.name}"


__all__ = ["PipelineData"]
