"""Helpers shared by the SIM-RUNS tests: one DP100_HOME and workspace per module, lab folders."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.sim._data_helpers import diabetes_frame

SUB = "00000000-0000-0000-0000-0000000000a4"
_seen_template: list[Path] = []  # a migrated MLflow store template from an earlier module, to reuse


def _reuse_store_template() -> None:
    """Copy a template MLflow store built by an earlier module (saves ~4 s of migrations per module)."""
    from dp100 import paths
    from sim.cloud import _mlflow_store

    target = _mlflow_store._template_path(paths.workspaces_dir())
    if _seen_template and _seen_template[0].exists() and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_seen_template[0], target)
    elif not _seen_template:
        _seen_template.append(target)


@contextmanager
def module_home(tmp_path_factory, label: str):
    """A DP100_HOME (and working folder) kept for a whole module, so lab steps can build on each other."""
    home = tmp_path_factory.mktemp(f"{label}home")
    work = tmp_path_factory.mktemp(label)
    mp = pytest.MonkeyPatch()
    mp.setenv("DP100_HOME", str(home))
    old = os.getcwd()
    os.chdir(work)
    (work / "data").mkdir()
    diabetes_frame(300, 1).to_csv(work / "data" / "diabetes.csv", index=False)
    diabetes_frame(150, 2).to_csv(work / "data" / "diabetes2.csv", index=False)
    try:
        yield home, work
    finally:
        os.chdir(old)
        mp.undo()


def new_workspace(name: str):
    """A fresh workspace with a config.json, the way the lab set-up makes one."""
    from azureml.core import Workspace

    _reuse_store_template()
    ws = Workspace.create(name=name, subscription_id=SUB, resource_group="runs-rg", location="eastus",
                          create_resource_group=True, show_output=False)
    ws.write_config()
    return ws


ENV_YML = """name: experiment_env
dependencies:
- python=3.6.2
- scikit-learn
- pandas
- pip
- pip:
  - azureml-defaults
"""
