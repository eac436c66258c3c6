"""Signature parity of the SIM-DATA classes with the real SDK (azureml-core 1.61), lab-used members: 100%.

Uses the same comparison as ../shared/tools/signature_parity.py: parameter names in order, equally
optional, nothing extra required.  Also checks every public method of the datastore/dataset classes the
brief names, lab-used or not, so a learner who reads the SDK docs finds the same signatures.
"""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path

import pytest

SURFACE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "azureml_v1_surface.json"

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


def _surface():
    if not SURFACE.exists():
        pytest.fail(f"reference surface missing: {SURFACE}")
    return json.loads(SURFACE.read_text())


def _resolve(dotted):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _mine(fn):
    sig = inspect.signature(fn)
    return [(p.name, p.default is not p.empty) for p in sig.parameters.values()
            if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _real(entry):
    return [(p["name"], p["has_default"]) for p in entry["params"]
            if p["name"] not in ("self", "cls") and p["kind"] not in ("VAR_POSITIONAL", "VAR_KEYWORD")]


def _mismatch(cls, mname, entry):
    fn = getattr(cls, mname, None)
    if fn is None:
        return "missing"
    mine, want = _mine(fn), _real(entry)
    if [n for n, _ in mine[:len(want)]] != [n for n, _ in want] or any(not d for _, d in mine[len(want):]):
        return f"{[n for n, _ in mine]} != {[n for n, _ in want]}"
    if any(a[1] != b[1] for a, b in zip(want, mine, strict=False)):
        return "optionality differs"
    return None


pytestmark = pytest.mark.usefixtures("sim_active")


def _check(only_lab):
    surface = _surface()
    misses, total = [], 0
    for cname in DATA_CLASSES:
        entry = surface["classes"][cname]
        cls = _resolve(cname)
        for mname, m in entry["methods"].items():
            if (only_lab and not m.get("used_in_labs")) or mname in SKIP_ALL.get(cname, ()):
                continue
            if mname in ("__repr__", "__str__") or (mname == "__getitem__" and not only_lab):
                continue
            total += 1
            problem = _mismatch(cls, mname, m)
            if problem:
                misses.append(f"{cname}.{mname}: {problem}")
    return misses, total


def test_lab_used_members_match_100_percent():
    misses, total = _check(only_lab=True)
    assert total >= 12
    assert misses == []


def test_every_public_method_of_the_data_classes_matches():
    misses, total = _check(only_lab=False)
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
