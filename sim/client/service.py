"""Have the simulated service ready for jobs once a process imports azure-ai-ml.

In Azure the service is always up; here it answers in the caller's process for now (`sim.rest` through the
transport), and its job engine forks each job from a preloaded job host that takes a few seconds to start
(`sim._jobhost`). Importing `azure.ai.ml` (seconds before a notebook submits its first job) is the moment to
start that host in the background, so the first job starts as fast as the next ones. Once the service runs in
a process of its own, it starts its host itself and this goes.
"""

from __future__ import annotations


def on_sdk_import(module) -> None:
    """Start the job host in the background.

    Not in a job's own process, nor in the Streamlit app (`jobs.warm_up` declines), nor in a one-shot `az`
    command, which would start a host only to end it a moment later.
    """
    import os
    import sys

    if os.environ.get("DP100_SIM_JOB") or os.environ.get("AZUREML_RUN_ID") or "sim.az" in sys.modules:
        return
    from sim.cloud.runs import jobs

    jobs.warm_up()
