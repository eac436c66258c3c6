"""The driver of one data drift run: `python -m sim.cloud.datadrift <subscription> <resource group> <workspace> <run>`.

Started by `sim.cloud.datadrift.engine.submit`; it compares the periods, keeps the results and ends the run.
"""

from __future__ import annotations

import sys

from sim.cloud import workspaces
from sim.cloud.datadrift import engine


def main(subscription: str, resource_group: str, workspace: str, run_id: str) -> None:
    """Drive the drift run `run_id` of the workspace to its end."""
    engine.drive(workspaces.get(subscription, resource_group, workspace), run_id)


if __name__ == "__main__":
    main(*sys.argv[1:5])
