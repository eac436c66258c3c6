"""Have the simulated service ready for jobs once a process imports azure-ai-ml.

The service's job engine forks each job from a preloaded job host that takes a few seconds to start
(`sim._jobhost`). Importing `azure.ai.ml` (seconds before a notebook submits its first job) is the moment to
get it ready in the background: in "inprocess" mode the host of this process (the service answers here); in
"process" mode the service process itself is started, then asked to start its own host.
"""

from __future__ import annotations


def on_sdk_import(module) -> None:
    """Get the job host ready in the background.

    Not in a job's own process, nor in the Streamlit app (`jobs.warm_up` declines), nor in a one-shot `az`
    command, which would start a host only to end it a moment later.
    """
    import os
    import sys

    if os.environ.get("DP100_SIM_JOB") or os.environ.get("AZUREML_RUN_ID") or "sim.az" in sys.modules:
        return
    from sim.service import locations

    if locations.mode() == "process":
        if "streamlit" not in sys.modules:
            import threading

            threading.Thread(target=_warm_up_service, name="dp100-service-warm-up", daemon=True).start()
        return
    from sim.cloud.runs import jobs

    jobs.warm_up()


def _warm_up_service() -> None:
    from sim.service import channel, launcher

    try:
        channel.control(launcher.ensure_running(), "POST", "/_sim/warm-up")
    except Exception:  # noqa: BLE001 - a warm-up only saves time; the first real call reports any failure
        return
