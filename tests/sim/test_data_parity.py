"""Signature parity of the SIM-DATA classes with the real SDK (azureml-core 1.61), lab-used members: 100%.

Uses the rule of ../shared/tools/signature_parity.py (see tests/sim/parity.py): parameter names in order,
equally optional, nothing extra required.  Also checks every public method of the datastore/dataset classes the
brief names, lab-used or not, so a learner who reads the SDK docs finds the same signatures.
"""

from __future__ import annotations

import pytest

from tests.sim.parity import method_misses

#: The classes SIM-DATA owns, by the reference's public names.
DATA_CLASSES = [
    "azureml.core.Dataset", "azureml.core.Datastore",
    "azureml.data.abstract_dataset.AbstractDataset", "azureml.data.TabularDataset", "azureml.data.FileDataset",
    "azureml.data.abstract_datastore.AbstractDatastore",
    "azureml.data.azure_storage_datastore.AzureBlobDatastore",
    "azureml.data.azure_storage_datastore.AzureFileDatastore",
    "azureml.data.datapath.DataPath",
    "azureml.data.dataset_consumption_config.DatasetConsumptionConfig",
    "azureml.data.dataset_factory.FileDatasetFactory", "azureml.data.dataset_factory.TabularDatasetFactory",
    "azureml.data.OutputFileDatasetConfig",
]
#: Members whose real implementation is the deprecated definition-based Dataset API (not simulated).
SKIP_ALL = {"azureml.core.Dataset": {"__init__", "__getitem__", "archive", "compare_profiles", "create_snapshot",
                                     "delete_snapshot", "deprecate", "diff", "generate_profile",
                                     "get_all_snapshots", "get_definition", "get_definitions", "get_profile",
                                     "get_snapshot", "head", "reactivate", "register", "sample",
                                     "to_pandas_dataframe", "to_spark_dataframe", "update", "update_definition",
                                     "auto_read_files", "from_binary_files", "from_delimited_files",
                                     "from_excel_files", "from_json_files", "from_pandas_dataframe",
                                     "from_parquet_files", "from_sql_query"}}


pytestmark = pytest.mark.usefixtures("sim_active")


def test_lab_used_members_match_100_percent():
    misses, total = method_misses(DATA_CLASSES, lab_only=True, skip=SKIP_ALL, public_only=False)
    assert total >= 12
    assert misses == []


def test_every_public_method_of_the_data_classes_matches():
    misses, total = method_misses(DATA_CLASSES, lab_only=False, skip=SKIP_ALL)
    assert total > 100
    assert misses == []


def test_classes_live_at_the_real_module_paths():
    from azureml.core import Dataset, Datastore
    from azureml.data import FileDataset, TabularDataset
    from azureml.data.azure_storage_datastore import AzureBlobDatastore

    assert Dataset.Tabular.__name__ == "TabularDatasetFactory" and Dataset.File.__name__ == "FileDatasetFactory"
    assert Datastore.__module__ == "sim.azureml.core.datastore"
    assert TabularDataset.__module__.endswith("data.tabular_dataset")
    assert FileDataset.__module__.endswith("data.file_dataset")
    assert AzureBlobDatastore.__module__.endswith("data.azure_storage_datastore")


def test_no_synapse_registration_exists():
    from azureml.core import Datastore

    assert not [name for name in dir(Datastore) if "synapse" in name.lower() or "dw" in name.lower()]
