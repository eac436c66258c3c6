"""Helpers the labs' checks share: finding workspaces, runs, metrics, models and files in the simulator.

Everything here reads state through `sim.cloud` (the simulated service), never the learner's code.
"""

from __future__ import annotations

import json
from pathlib import Path

DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"


def find_workspace(resource_group: str, name: str, subscription_id: str = DEFAULT_SUBSCRIPTION):
    """The workspace record, or None."""
    from sim.cloud import workspaces

    return workspaces.find(subscription_id, resource_group, name)


def read_json(path: Path):
    """The parsed JSON file, or None when it is missing or not JSON."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def runs(record, experiment: str, include_children: bool = False) -> list[dict]:
    """Service records of an experiment's runs, newest first ([] when the experiment does not exist)."""
    from sim.cloud import experiments
    from sim.cloud.runs import lifecycle

    if not any(e.name == experiment for e in experiments.list_experiments(record)):
        return []
    return lifecycle.list_runs(record, experiment, include_children=include_children)


def run_status(record, run_id: str) -> str:
    from sim.cloud.runs import lifecycle

    return lifecycle.status(record, run_id)


def metrics(record, run_id: str) -> dict:
    """A run's metrics in the SDK's shapes (what `run.get_metrics()` returns)."""
    from sim.cloud.runs import metrics as run_metrics

    return run_metrics.get_metrics(record, run_id)


def file_names(record, run_id: str) -> list[str]:
    from sim.cloud.runs import files

    return files.names(record, run_id)


def download(record, run_id: str, name: str, target: Path) -> Path:
    from sim.cloud.runs import files

    return Path(files.download_file(record, run_id, name, str(target)))


def models(record, name: str | None = None) -> list:
    """Registered model versions (newest first), optionally of one name."""
    from sim.cloud import models as cloud_models

    return cloud_models.query(record, name=name)


def load_model(version, filename: str | None = None):
    """Unpickle a registered model version's file (joblib); raises when it is not a loadable model."""
    import joblib

    path = version.path
    if path.is_dir():
        candidates = [p for p in path.rglob("*") if p.suffix in (".pkl", ".joblib")]
        if filename:
            candidates = [p for p in candidates if p.name == filename]
        if not candidates:
            raise FileNotFoundError(f"no .pkl file in {version.id}")
        path = candidates[0]
    return joblib.load(path)


def near(a, b, tolerance: float = 0.005) -> bool:
    """True when two numbers agree within `tolerance` (absolute)."""
    try:
        return abs(float(a) - float(b)) <= tolerance
    except (TypeError, ValueError):
        return False


def scalar(value):
    """The last value of a metric that was logged once or several times."""
    return value[-1] if isinstance(value, list) and value else value


def dataset(record, name: str, version="latest"):
    """A registered dataset (sim.cloud.datasets.DatasetInfo), or None."""
    from sim.cloud import datasets

    try:
        return datasets.get_by_name(record, name, version)
    except Exception:  # noqa: BLE001 - not registered (the service raises its not-found error)
        return None


def dataset_versions(record, name: str) -> list:
    from sim.cloud import datasets

    try:
        return datasets.versions(record, name)
    except Exception:  # noqa: BLE001
        return []


def dataset_by_id(record, dataset_id: str):
    from sim.cloud import datasets

    try:
        return datasets.get_by_id(record, dataset_id)
    except Exception:  # noqa: BLE001
        return None


def dataset_frame(record, info):
    """The rows a tabular dataset reads, as the SDK's to_pandas_dataframe() would give them."""
    from sim.cloud import data_engine

    return data_engine.frame_of(record, info.definition)


def dataset_files(record, info) -> list:
    """The files a dataset reads (resolved in the datastore)."""
    from sim.cloud import data_engine

    return data_engine.files_of(record, info.definition)


def run_definition(record, run_id: str) -> dict:
    """What a submitted run was given: script, arguments, target, environment, inputDatasets."""
    from sim.cloud.runs import state

    return (state.get(record, run_id) or {}).get("definition") or {}
