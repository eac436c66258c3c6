"""`az ml ...` of the Azure ML CLI v2 (the `ml` extension), built on the real azure-ai-ml as the extension is.

`az ml workspace|compute|data|environment|model|component|datastore|job|online-endpoint|online-deployment`;
each command loads its `--file`/flags through the SDK and calls an `MLClient` that reaches the simulated
service. See `_common` for what all commands share.
"""

from __future__ import annotations

from sim.az._cli import group
from sim.az.mlv2 import assets, compute, datastore, endpoints, job, workspace


def register(subparsers) -> None:
    """Add the v2 `ml` command group."""
    ml = group(subparsers, "ml", "Manage Azure Machine Learning resources with the Azure CLI ML extension v2.")
    workspace.register(group(ml, "workspace", "Manage Azure ML workspaces."))
    compute.register(group(ml, "compute", "Manage Azure ML compute resources."))
    datastore.register(group(ml, "datastore", "Manage Azure ML datastores."))
    for kind, help_text in assets.KINDS:
        assets.register(ml, kind, help_text)
    job.register(group(ml, "job", "Manage Azure ML jobs."))
    endpoints.register(ml)
