"""Simulated ``azureml.data``: datasets, datastores, data paths and run inputs.

Exports resolve lazily (so importing a datastore module does not import pandas).  ``_input_from_spec`` is
the hook the run engine calls inside a submitted script; see ``dataset_consumption_config``.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "TabularDataset": "sim.azureml.data.tabular_dataset",
    "FileDataset": "sim.azureml.data.file_dataset",
    "DataType": "sim.azureml.data.dataset_factory",
    "DataPath": "sim.azureml.data.datapath",
    "DataReference": "sim.azureml.data.data_reference",
    "DatasetConsumptionConfig": "sim.azureml.data.dataset_consumption_config",
    "AzureBlobDatastore": "sim.azureml.data.azure_storage_datastore",
    "AzureFileDatastore": "sim.azureml.data.azure_storage_datastore",
    "OutputFileDatasetConfig": "sim.azureml.data.output_dataset_config",
    "_input_from_spec": "sim.azureml.data.dataset_consumption_config",
}

__all__ = ["TabularDataset", "FileDataset", "DataType", "OutputFileDatasetConfig"]


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'azureml.data' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
