"""Helpers the labs' `setup` code calls (inside a fresh interpreter with the simulator active).

They give a lab its prerequisites so it can start on its own: a workspace with its config file in the lab
folder, the lab data set, sometimes a trained and registered model.
"""

from __future__ import annotations

from pathlib import Path

from labs import data

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
RESOURCE_GROUP = "rg-dp100-labs"


def workspace_for_lab(lab_id: str, folder: str | Path = "."):
    """Create (or reuse) the workspace `mlw-dp100-lab<NN>` and write its config file into `folder`."""
    from azureml.core import Workspace

    name = f"mlw-dp100-lab{lab_id}"
    try:
        ws = Workspace.get(name, subscription_id=SUBSCRIPTION, resource_group=RESOURCE_GROUP)
    except Exception:  # noqa: BLE001 - absent: create it
        ws = Workspace.create(name, subscription_id=SUBSCRIPTION, resource_group=RESOURCE_GROUP,
                              create_resource_group=True, location="eastus", sku="basic")
    ws.write_config(path=str(folder))
    return ws


def write_data(folder: str | Path = "data") -> Path:
    """Write the lab data set as `<folder>/diabetes.csv` (and a smaller second file for file datasets)."""
    path = data.write_csv(folder)
    return path
