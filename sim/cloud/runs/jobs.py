"""Submitted script jobs: snapshot the source folder, start the job process, queue on a cluster.

A job runs as its own process in a new session, so it keeps going if the notebook that submitted it
stops, and it finishes its own run record. The process is forked from a preloaded job host when one is
ready (`sim._jobhost`, fast), else started as `python -m sim._runner JOB.json` (set DP100_SIM_JOBHOST=0
to always do that). On a cluster a job holds
one node; jobs beyond the cluster's `max_nodes` wait in `Queued` until a node frees up.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from sim.cloud import storage_ceiling
from sim.cloud.errors import JOB, NotFound, UserError
from sim.cloud.runs import lifecycle, state

POLL_SECONDS = 0.05
SNAPSHOT_IGNORE = shutil.ignore_patterns(".git", "__pycache__", ".ipynb_checkpoints", "outputs", "logs",
                                         "azureml-logs")
SERVICE_TOKEN_ENV = "DP100_SIM_JOB_SERVICE"  # the owner token of the service that started a job (if one did)
_children: dict[str, subprocess.Popen] = {}  # job processes this process started (reaped when waited on)


def job_folder(record, run_id: str) -> Path:
    """The job's own folder: its snapshot (working directory) and its job description."""
    return record.folder / "jobs" / run_id


def snapshot(source_directory: Path, work_dir: Path) -> None:
    """Copy the source folder as it is now; the job runs on this copy, as Azure ML runs on a snapshot.

    A DP100_HOME inside the source folder is left out (`home_inside`).
    """
    home = home_inside(source_directory)

    def ignore(folder, names):
        return set(SNAPSHOT_IGNORE(folder, names)) | {n for n in names if (Path(folder) / n).resolve() == home}

    size = storage_ceiling.disk_use(source_directory, skip=home)  # each submit stores a new copy
    with storage_ceiling.accepting(size, f"the snapshot of '{source_directory}'", JOB):
        shutil.copytree(source_directory, work_dir, ignore=ignore, symlinks=True)


def home_inside(source_directory: Path) -> Path | None:
    """DP100_HOME when the folder holds it, else None: a snapshot leaves it out.

    It is the simulated Azure's own storage, not code. Copying it would copy the snapshot into itself, and reading
    its live SQLite files would release this process's SQLite locks on them (POSIX locks end at any close of the
    file), letting another process truncate a shared-memory file this process still maps: a bus error.
    """
    from dp100 import paths

    home = paths.home().resolve()
    return home if Path(source_directory).resolve() in home.parents else None


def launch(record, run_id: str, job: dict, env_extra: dict) -> int:
    """Write the job description and start the job process; returns its pid."""
    folder = job_folder(record, run_id)
    job_file = folder / "job.json"
    job_file.write_text(json.dumps(job, indent=2, default=str))
    env = _job_env(env_extra)
    from sim import _jobhost

    pid = _jobhost.request_job(job_file, folder / "wd", env, folder / "runner.log")
    if pid is None:
        with open(folder / "runner.log", "ab") as out:
            proc = subprocess.Popen([sys.executable, "-m", "sim._runner", str(job_file)], cwd=folder / "wd",
                                    env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        _children[run_id] = proc
        pid = proc.pid
    state.set_pid(record, run_id, pid)
    return pid


def with_project_on_path(env: dict) -> dict:
    """Make `python -m sim...` work from any working folder, installed or not."""
    root = str(Path(__file__).resolve().parents[3])
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    if root not in parts:
        env["PYTHONPATH"] = os.pathsep.join([root, *parts])
    return env


def _job_env(extra: dict) -> dict:
    env = with_project_on_path(dict(os.environ))
    env.update({"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true", "PYTHONUNBUFFERED": "1",
                "MPLBACKEND": "Agg"})
    env.pop("MLFLOW_RUN_ID", None)
    env.update({k: str(v) for k, v in extra.items()})
    from sim.service import locations

    if locations.IN_SERVICE:  # a sandboxed job ends with the service that started it (sim._sandboxed_job)
        from sim import _owner

        env[SERVICE_TOKEN_ENV] = _owner.token()
    else:
        env.pop(SERVICE_TOKEN_ENV, None)
    return env


def warm_up() -> None:
    """Get a job host ready in the background so the next submit starts fast.

    Not in the Streamlit app's process: it reads experiments but does not submit runs.
    """
    if "streamlit" in sys.modules:
        return
    from sim import _jobhost

    _jobhost.warm_up()


def reap(run_id: str) -> None:
    """Collect the exit status of a finished job process this process started (no zombies)."""
    proc = _children.get(run_id)
    if proc is not None and proc.poll() is not None:
        _children.pop(run_id, None)


def wait(record, run_id: str, on_tick=None, timeout=None) -> str:
    """Block until the run reaches a terminal state; `on_tick()` is called between polls."""
    deadline = None if timeout is None else time.monotonic() + timeout
    delay = POLL_SECONDS
    while True:
        reap(run_id)
        current = lifecycle.status(record, run_id)
        if on_tick:
            on_tick()
        if current in state.TERMINAL:
            return current
        if deadline is not None and time.monotonic() > deadline:
            return current
        time.sleep(delay)
        delay = min(delay * 1.3, 0.5)


def cancel(record, run_id: str) -> None:
    """Cancel a run; a running job process (and anything it started) is stopped."""
    row = state.get(record, run_id)
    if row and row["run_type"] == "hyperdrive":  # a sweep's pid is its driver (maybe the service): stop the sweep
        from sim.cloud.sweeps import hyperdrive

        hyperdrive.cancel(record, run_id)
        return
    lifecycle.finish(record, run_id, state.CANCELED)
    if row and row["pid"] and state.process_alive(row["pid"]):
        import signal

        try:
            os.killpg(row["pid"], signal.SIGTERM)
        except ProcessLookupError:
            pass
    reap(run_id)


def cancel_active(record) -> list[str]:
    """Cancel every queued or running job of a workspace (e.g. when a lab session ends); returns run ids."""
    canceled = []
    for row in state.list_for(record):
        if row["run_type"] == state.SCRIPT and row["status"] not in state.TERMINAL:
            cancel(record, row["run_id"])
            canceled.append(row["run_id"])
    return canceled


@contextmanager
def compute_lock(record, target: str):
    """An exclusive lock on a compute target's node bookkeeping, shared by every process."""
    lock_dir = record.folder / "locks"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"compute-{target}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def claim_node(record, run_id: str, target: str, max_nodes: int | None) -> bool:
    """Move a queued run to Running when its cluster has a free node; returns True when it did."""
    if not max_nodes:
        lifecycle.move(record, run_id, state.RUNNING)
        return True
    with compute_lock(record, target):
        if state.count_active_on(record, target) >= max_nodes:
            return False
        lifecycle.move(record, run_id, state.RUNNING)
        return True


def resolve_target(record, target) -> tuple[str, int | None]:
    """The compute a job runs on: ('local', None) or (cluster name, max_nodes).

    Raises:
        NotFound: when no compute target of that name exists in the workspace.
    """
    from sim.cloud.runs import errors

    if target in (None, "", "local"):
        return "local", None
    from sim.cloud import compute

    try:
        found = compute.get(record, target)
    except Exception as exc:
        raise NotFound(JOB, errors.COMPUTE_NOT_FOUND_FOR_RUN.format(name=target, workspace=record.name)) \
            from exc
    if getattr(found, "type", "") == "AmlCompute":
        return found.name, max(1, int(getattr(found, "max_nodes", 1) or 1))
    return found.name, None


def submit(record, experiment_name: str, spec: dict, build_arguments, tags=None, *, run_id=None,
           parent_run_id=None, display_name=None) -> str:
    """Create a script run, snapshot its source folder, and start its job process.

    Args:
        record: the workspace record.
        experiment_name: where the run goes.
        spec: `source_directory`, `script`, `target`, `environment` (a dict), `max_run_duration_seconds`.
        build_arguments: called with the snapshot folder; returns (argv strings, input dataset specs).
        tags: run tags.
        run_id: the id to give the run (a sweep names its children `HD_<guid>_<n>`); default: a new one.
        parent_run_id: the run this job is a child of (e.g. its HyperDrive run).
        display_name: the run's display name (a pipeline step's name); default: none, as a script run has.

    Returns:
        The new run's id.
    """
    from sim.cloud.runs import errors

    source = Path(spec["source_directory"]).resolve()
    if not source.is_dir():
        raise UserError(JOB, errors.SOURCE_DIRECTORY_NOT_FOUND.format(path=spec["source_directory"]))
    if not (source / spec["script"]).is_file():
        raise UserError(JOB, errors.SCRIPT_NOT_FOUND.format(script=spec["script"], path=source))
    target, max_nodes = resolve_target(record, spec.get("target"))
    if target != "local":  # a remote run's image is built in the workspace's registry; a local run uses this machine
        from sim.cloud.environments import build_image

        build_image(record, spec.get("environment"))
    definition = {"script": spec["script"], "arguments": [], "target": target,
                  "environment": spec.get("environment") or {}, "sourceDirectory": str(source),
                  "maxRunDurationSeconds": spec.get("max_run_duration_seconds")}
    row = lifecycle.start(record, experiment_name, state.SCRIPT, state.NOT_STARTED, target=target,
                          definition=definition, tags=tags, run_id=run_id, parent_run_id=parent_run_id,
                          display_name=display_name)
    run_id = row["run_id"]
    try:
        work_dir = job_folder(record, run_id) / "wd"
        snapshot(source, work_dir)
        arguments, inputs = build_arguments(work_dir)
        _record_definition(record, run_id, definition, arguments, inputs)
        lifecycle.move(record, run_id, state.STARTING)  # the service has the run; its job process takes it on
        job = {"run_id": run_id, "experiment": experiment_name, "script": spec["script"], "arguments": arguments,
               "inputs": inputs, "target": target, "max_nodes": max_nodes, "workspace": _ws_ids(record),
               "timeout": spec.get("max_run_duration_seconds")}
        launch(record, run_id, job, _context_env(record, row, experiment_name))
    except BaseException as exc:
        lifecycle.finish(record, run_id, state.FAILED, error={"error": {"code": "UserError", "message": str(exc)}})
        raise
    return run_id


def submit_script(record, experiment_name: str, spec: dict, arguments: list[str], tags=None) -> str:
    """`submit` for a script whose arguments are plain text (no dataset inputs): what a caller in another process
    can send. Returns the new run's id."""
    argv = [str(value) for value in arguments]
    return submit(record, experiment_name, spec, lambda _work_dir: (argv, []), tags=tags)


def submit_with_inputs(record, experiment_name: str, spec: dict, arguments: list, tags=None, *,
                       inputs: list | None = None) -> str:
    """`submit` for a caller in another process: each argument is text, or {"input": request} for a dataset input
    the service puts in place in the job's folder (`sim.cloud.runs.inputs.place`). Returns the new run's id.

    Args:
        inputs: more placement requests, put in place for the script but not passed on its command line (an
            Estimator's `inputs=`: the script finds them through `run.input_datasets`).
    """
    from sim.cloud.runs import inputs as placing

    def build(work_dir):
        argv, placed = [], []
        for value in arguments:
            if isinstance(value, dict) and isinstance(value.get("input"), dict):
                found = placing.place(record, work_dir, value["input"])
                placed.append(found)
                argv.append(str(found["argument"]))
            else:
                argv.append(str(value))
        placed += [placing.place(record, work_dir, request) for request in inputs or ()]
        return argv, placed

    return submit(record, experiment_name, spec, build, tags=tags)


def _record_definition(record, run_id, definition, arguments, inputs) -> None:
    from sqlalchemy import update

    definition = dict(definition, arguments=arguments,
                      inputDatasets=[{"name": i.get("name"), "argument": i.get("argument")} for i in inputs])
    with state.engine(record).begin() as conn:
        conn.execute(update(state.run_records).where(state.run_records.c.run_id == run_id)
                     .values(definition=definition))


def _ws_ids(record) -> dict:
    return {"subscription_id": record.subscription_id, "resource_group": record.resource_group,
            "name": record.name}


def _context_env(record, row, experiment_name) -> dict:
    """The variables Azure ML sets for a job, plus MLflow's, so both APIs find the run."""
    from sim.cloud import experiments

    experiment_id = experiments.get_or_create(record, experiment_name).id
    return {"AZUREML_RUN_ID": row["run_id"], "AZUREML_ARM_SUBSCRIPTION": record.subscription_id,
            "AZUREML_ARM_RESOURCEGROUP": record.resource_group, "AZUREML_ARM_WORKSPACE_NAME": record.name,
            "AZUREML_ARM_PROJECT_NAME": experiment_name, "AZUREML_EXPERIMENT_ID": experiment_id,
            "MLFLOW_TRACKING_URI": record.mlflow_uri, "MLFLOW_RUN_ID": row["run_id"],
            "MLFLOW_EXPERIMENT_ID": experiment_id}
