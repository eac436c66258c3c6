"""The driver of one AutoML run: `python -m sim.cloud.automl <subscription> <resource group> <workspace> <run>`.

Started by `sim.cloud.automl.engine.submit`. It runs the trials, names the best one and exits; started again on
a run that has not ended, it goes on from the trials already made.
"""

from __future__ import annotations

import sys

from sim.cloud import workspaces
from sim.cloud.automl import driver


def main(subscription: str, resource_group: str, workspace: str, run_id: str) -> None:
    """Drive the AutoML run `run_id` of the workspace until it ends."""
    driver.drive(workspaces.get(subscription, resource_group, workspace), run_id)


if __name__ == "__main__":
    main(*sys.argv[1:5])
