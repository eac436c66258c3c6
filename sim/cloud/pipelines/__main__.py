"""The driver of one pipeline job: `python -m sim.cloud.pipelines <subscription> <resource group> <workspace> <job>`.

It moves the pipeline on until it ends, then exits (reads of the pipeline move it on too, so nothing is lost
if this process is killed).
"""

from __future__ import annotations

import sys
import time

from sim.cloud import pipelines, workspaces
from sim.cloud.runs import state

POLL_SECONDS = 0.25


def main(subscription: str, resource_group: str, workspace: str, name: str) -> None:
    """Advance the pipeline every POLL_SECONDS until it is completed, failed or canceled."""
    record = workspaces.get(subscription, resource_group, workspace)
    while pipelines.advance(record, name) not in state.TERMINAL:
        time.sleep(POLL_SECONDS)


if __name__ == "__main__":
    main(*sys.argv[1:5])
