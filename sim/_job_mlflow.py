"""Inside a job process: MLflow calls join the job's run, as they do in Azure ML's curated environments.

Azure runs a job with `MLFLOW_RUN_ID` set to the job's run. The curated environments' MLflow 2 starts that run on
the first logging call, `mlflow.sklearn.log_model(...)` included, so a script that never calls `start_run()` still
logs its model to the job (Microsoft's lab 10 scripts rely on it). MLflow 3 logs such a model with no run at all,
so `azureml://jobs/<job>/outputs/artifacts/paths/model/` would find nothing; here a model logged with no active
run starts the job's run first, as MLflow 2 did.
"""

from __future__ import annotations

import functools
import os


def attach_logged_models_to_the_job_run() -> None:
    """Make `Model.log` (every flavor's `log_model`) start the job's run when no run is active."""
    if not os.environ.get("MLFLOW_RUN_ID"):
        return
    from mlflow.models import model

    original = model.Model.log.__func__
    if getattr(original, "_sim_joins_job_run", False):
        return

    @functools.wraps(original)
    def log(cls, *args, run_id=None, **kwargs):
        import mlflow

        if run_id is None and mlflow.active_run() is None:
            mlflow.start_run()  # resumes the job's run: MLFLOW_RUN_ID names it
        return original(cls, *args, run_id=run_id, **kwargs)

    log._sim_joins_job_run = True
    model.Model.log = classmethod(log)
