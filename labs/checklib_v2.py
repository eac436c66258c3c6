"""Helpers the SDK v2 labs' checks share: data assets and what they point at, MLTable folders, command jobs.

Like `labs.checklib`, everything here reads the simulated service's state through `sim.cloud`, never the
learner's code, and answers None (or an empty list) where the service has nothing, so a check can say what is
missing instead of breaking.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

# ---- data assets ---------------------------------------------------------------------------------------

def data_asset(record, name: str, version: str | None = None):
    """One version of a data asset (the latest when `version` is None), or None."""
    from sim.cloud import data_assets

    try:
        return data_assets.latest(record, name) if version is None else data_assets.get(record, name, str(version))
    except Exception:  # noqa: BLE001 - not registered (the service's not-found error)
        return None


def data_versions(record, name: str) -> list:
    """Every active version of a data asset, newest first ([] when there is none)."""
    from sim.cloud import data_assets

    try:
        return data_assets.versions(record, name)
    except Exception:  # noqa: BLE001
        return []


_ASSET_VERSIONED = re.compile(r"/data/(?P<name>[^/]+)/versions/(?P<version>[^/]+)/?$", re.IGNORECASE)
_ASSET_SHORT = re.compile(r"^azureml:(?!//)(?P<name>[^:@/]+)(?::(?P<version>[^:@/]+)|@latest)?$")


def data_asset_named(uri) -> tuple[str, str | None] | None:
    """(name, version) of the data asset a job input's URI names (an ARM id, `azureml://.../data/<n>/versions/<v>`,
    `azureml:<n>:<v>` or `azureml:<n>@latest`, version None), or None for a URI that names no asset."""
    text = str(uri or "")
    match = _ASSET_VERSIONED.search(text) or _ASSET_SHORT.match(text)
    return (match.group("name"), match.group("version")) if match else None


def asset_datastore(record, asset) -> str | None:
    """The datastore an asset's path lies in, or None (a path the service cannot place)."""
    from sim.cloud import data_uris

    try:
        return data_uris.datastore_path(record, asset.path).datastore
    except Exception:  # noqa: BLE001
        return None


def asset_files(record, asset) -> list[Path]:
    """The files on disk behind an asset: the file of a uri_file, every file under a folder ([] when absent)."""
    from sim.cloud import data_uris

    try:
        where = data_uris.local_path(record, asset.path)
    except Exception:  # noqa: BLE001
        return []
    if where.is_file():
        return [where]
    return sorted(p for p in where.rglob("*") if p.is_file()) if where.is_dir() else []


def csv_frame(paths: list[Path]) -> pd.DataFrame | None:
    """The CSV files read and stacked in order, or None when one is not a readable CSV."""
    try:
        return pd.concat([pd.read_csv(p) for p in paths], ignore_index=True) if paths else None
    except Exception:  # noqa: BLE001 - not CSV: the check says the content is wrong
        return None


def same_rows(frame: pd.DataFrame | None, expected: pd.DataFrame) -> bool:
    """True when `frame` holds exactly the rows of `expected` (same columns, same values, any order)."""
    if frame is None or list(frame.columns) != list(expected.columns) or len(frame) != len(expected):
        return False
    key = list(expected.columns)
    left = frame.sort_values(key).reset_index(drop=True)
    right = expected.sort_values(key).reset_index(drop=True)
    try:
        pd.testing.assert_frame_equal(left, right, check_dtype=False, check_exact=False, atol=1e-6)
    except AssertionError:
        return False
    return True


# ---- MLTable -------------------------------------------------------------------------------------------

def mltable_folder(record, asset) -> Path | None:
    """The folder an mltable asset points at, on disk, or None."""
    from sim.cloud import data_uris

    try:
        where = data_uris.local_path(record, asset.path)
    except Exception:  # noqa: BLE001
        return None
    return where if where.is_dir() else None


def mltable_spec(folder: Path) -> dict | None:
    """The parsed `MLTable` file of a folder, or None (missing, or not an MLTable the service accepts)."""
    from sim.cloud import mltables

    try:
        return mltables.read_spec(folder)
    except Exception:  # noqa: BLE001 - the service's validation error: the check says what is wrong
        return None


def mltable_frame(folder: Path) -> pd.DataFrame | None:
    """The table the folder's `MLTable` file reads, as the service reads it (`mltable.load`), or None."""
    from sim.cloud import mltables

    spec = mltable_spec(folder)
    if spec is None:
        return None
    try:
        return mltables.read(folder, spec)
    except Exception:  # noqa: BLE001 - unreadable as described
        return None


# ---- command jobs --------------------------------------------------------------------------------------

_ENV_VERSIONED = re.compile(r"environments/(?P<name>[^/]+)/versions/", re.IGNORECASE)
_ENV_SHORT = re.compile(r"^(?:azureml:)?(?P<name>[^:@/]+)(?:[:@].*)?$")


def environment_name(environment_id: str | None) -> str | None:
    """The environment name in an id as a job records it (ARM id, registry URI, `azureml:name:1`, `name@latest`)."""
    text = str(environment_id or "")
    match = _ENV_VERSIONED.search(text) or _ENV_SHORT.match(text)
    return match.group("name") if match else None


def command_jobs(record) -> list[dict]:
    """The workspace's command jobs as the service ran them, newest first, each a dict with `name`, `status`,
    `experiment`, `display_name`, `compute`, `environment_name`, `environment_id`, `command`, `inputs` (as
    submitted), `tags`, `error` (the service's error as text, "" when none)."""
    from sim.cloud import command_jobs as jobs

    found = []
    for row in jobs.list_jobs(record):
        job = row.get("definition") or {}
        found.append({
            "name": row["run_id"], "status": jobs.status(record, row["run_id"]), "experiment": row["experiment"],
            "display_name": job.get("displayName"), "compute": jobs.compute_name(job.get("computeId")),
            "environment_name": environment_name(job.get("environmentId")),
            "environment_id": job.get("environmentId"), "command": str(job.get("command") or ""),
            "inputs": job.get("inputs") or {}, "tags": job.get("tags") or {},
            "error": json.dumps(row.get("error")) if row.get("error") else ""})
    return found


# ---- sweep jobs ----------------------------------------------------------------------------------------

def sweep_jobs(record) -> list[dict]:
    """The workspace's sweep jobs as the service ran them, newest first, each a dict with `name`, `status`,
    `experiment`, `settings` (what the sweep engine runs: sampling, parameter_space, policy, policy_settings,
    primary_metric_name, primary_metric_goal, max_total_runs, max_concurrent_runs), `properties` (the parent's,
    `best_child_run_id` once it ended) and `trials` (each `name`, `status`, `params`: the sampled values)."""
    from sim.cloud.runs import lifecycle
    from sim.cloud.sweeps import sweep_jobs as jobs

    found = []
    for row in jobs.list_jobs(record):
        found.append({"name": row["run_id"], "status": lifecycle.status(record, row["run_id"]),
                      "experiment": row["experiment"], "settings": lifecycle.sweep_settings(record, row["run_id"]),
                      "properties": dict(row.get("properties") or {}),
                      "trials": [_trial(record, t) for t in jobs.trials(record, row["run_id"])]})
    return found


def _trial(record, row: dict) -> dict:
    from sim.cloud.runs import lifecycle

    tags = (row.get("definition") or {}).get("tags") or {}
    try:
        params = json.loads(tags.get("hyperparameters") or "{}")
    except ValueError:
        params = {}
    return {"name": row["run_id"], "status": lifecycle.status(record, row["run_id"]), "params": params}
