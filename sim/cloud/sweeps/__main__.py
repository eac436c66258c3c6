"""The driver of one SDK v2 sweep job: `python -m sim.cloud.sweeps <subscription> <resource group> <workspace> <job>`.

Started by `sim.cloud.sweeps.sweep_jobs.submit`, never by hand. It launches the sweep's trials within its limits,
applies its policy, names its best trial and exits when the sweep has ended (or was canceled).
"""

from __future__ import annotations

import sys

from sim.cloud import workspaces
from sim.cloud.sweeps import sweep_jobs


def main(subscription: str, resource_group: str, workspace: str, name: str) -> None:
    """Drive the sweep job `name` of the workspace until it ends."""
    record = workspaces.get(subscription, resource_group, workspace)
    sweep_jobs.drive(record, name)


if __name__ == "__main__":
    main(*sys.argv[1:5])
