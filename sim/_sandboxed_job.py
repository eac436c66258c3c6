"""A job's user code in a sandbox (`labs.sandbox.jobs`), when the policy hides DP100_HOME.

Two halves of one job:
- `run`, in the job's runner (`sim._runner`, outside the walls, started by whoever runs the simulated Azure):
  it builds the sandbox of the job's working folder, starts `python -m sim._runner --inside ...` in it with the
  job's log as its stdout and stderr, waits, stops everything left in the sandbox, and returns the outcome the
  inside wrote (or one it works out from the exit code). The runner then collects `outputs/` and `logs/` and
  records the final state, as for a job run in place;
- `inside`, in the sandbox: hard rlimits first, then the script or command line exactly as the runner runs it in
  place, with the simulated Azure (Run.get_context, MLflow, the REST API) reached only through the service's socket.
The runner's own time limit (max_run_duration_seconds) and a cancel (SIGTERM) stop the sandbox from outside, so no
code inside can switch them off.

`inside` starts warm when the runner was forked by the job host (`sim._joined_job`): the host forks a process that
joins the sandbox (`labs.sandbox.enter`) and calls `inside` there, with the host's imports already made. Otherwise
(no host, DP100_JOB_SANDBOX_WARM=0, or a sandbox that cannot be joined) bubblewrap execs a fresh
`python -m sim._runner --inside`.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

OUTCOME_FOLDER = "outcome"  # beside the job's working folder, the one other place the inside writes
OUTCOME_FILE = "outcome.json"
MAX_LINKS = 10_000  # symlinks followed when binding a job's placed inputs (datasets of a lab are small)


# ---- outside: the job runner ----------------------------------------------------------------------------------
def run(record, job: dict, job_file: Path) -> dict | None:
    """Run the job's user code in its sandbox (the working directory is its snapshot); the error record or None."""
    from dp100 import paths
    from labs.sandbox import jobs as job_boxes
    from sim import _runner

    log_path = _log_path(record, job)
    outcome = _outcome_folder(job_file)
    in_storage, in_models = _argument_paths(record, job)
    box = job_boxes.job_sandbox(Path.cwd(), paths.home(), writable=_writable(record, job, outcome) + in_storage,
                                readable=_readable(record, job, job_file) + in_models)
    inside_argv = [str(job_file), str(outcome / OUTCOME_FILE), *job_boxes.limits_args()]
    command = [sys.executable, "-m", "sim._runner", "--inside", *inside_argv]
    with open(log_path, "ab", buffering=0) as log:
        try:
            code = job_boxes.run(box, command, _inside_env(record), log, on_wait=_ServiceWatch(),
                                 warm=_warm_start(inside_argv))
        except (KeyboardInterrupt, _runner.RunDurationExceeded) as exc:  # a cancel or the time limit, from here
            if isinstance(exc, _runner.RunDurationExceeded):
                log.write(f"{exc}\n".encode())
            return _runner.stopped(exc)
        except ServiceGone as exc:
            log.write(f"{exc}\n".encode())
            return {"error": {"code": "ServiceError", "message": str(exc), "details": []}}
        return _outcome(outcome / OUTCOME_FILE, code, log)


def _warm_start(inside_argv: list[str]):
    """The warm start of the inside (forked by the job host that forked this runner, `sim._jobhost`), or None when
    this runner has no host (started as a plain subprocess) or the warm start is switched off
    (DP100_JOB_SANDBOX_WARM=0)."""
    from labs.sandbox import jobs as job_boxes
    from sim import _jobhost, _joined_job

    if not os.environ.get(_jobhost.PARENT_ENV) or not job_boxes.warm_wanted():
        return None

    def start(namespaces, cgroup_procs, folder, env, log, forward):
        return _joined_job.request_joined(namespaces, cgroup_procs, folder, env, log, inside_argv, forward)

    return start


class ServiceGone(Exception):
    """The simulated Azure service that started the job stopped while it ran."""


class _ServiceWatch:
    """Called while the sandboxed job runs: when the service that started the job has stopped, the job stops too
    (nothing a service started outlives it); while it runs, a request now and then keeps it from its idle stop (a
    script that trains quietly for long makes none)."""

    PING_SECONDS = 60.0

    def __init__(self):
        from sim.cloud.runs.jobs import SERVICE_TOKEN_ENV

        self.token = os.environ.get(SERVICE_TOKEN_ENV, "")
        self.last_ping = time.monotonic()

    def __call__(self, _proc) -> None:
        if not self.token:
            return  # started in the caller's own process (in-process mode): nothing to watch
        from sim import _owner

        if not _owner.alive(self.token):
            raise ServiceGone("The simulated Azure service that started this job stopped, so the job was stopped "
                              "with it. Submit it again.")
        if time.monotonic() - self.last_ping >= self.PING_SECONDS:
            self.last_ping = time.monotonic()
            _ping_service()


def _ping_service() -> None:
    from sim.service import channel, locations

    record = locations.read_record()
    if record is not None:
        try:
            channel.control(record, "GET", "/_sim/status")
        except OSError:
            pass  # the next tick finds out whether the service is gone


def _log_path(record, job: dict) -> Path:
    from sim import _runner
    from sim.cloud.runs import files

    return _runner.command_log_path(record, job) if "command" in job else files.driver_log_path(record, job["run_id"])


def _outcome_folder(job_file: Path) -> Path:
    folder = job_file.parent / OUTCOME_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    (folder / OUTCOME_FILE).unlink(missing_ok=True)  # never read an earlier attempt's outcome
    return folder


def _inside_env(record) -> dict:
    """The job's variables, with MLflow pointed at the workspace's `azureml://` URI (its store file is hidden)."""
    from sim import _jobhost
    from sim.rest.workspaces import mlflow_tracking_uri

    env = dict(os.environ)
    env["MLFLOW_TRACKING_URI"] = mlflow_tracking_uri(record)
    env.pop(_jobhost.PARENT_ENV, None)  # the job host is this runner's, not the job's
    return env


def _writable(record, job: dict, outcome: Path) -> list[Path]:
    """What the inside writes besides its working folder: its outcome, metric journals, output folders."""
    from sim.cloud.runs.journal import external_root

    found = [outcome, external_root(), *(Path(p) for p in job.get("writable", []))]
    found += [Path(p) for spec in job.get("inputs", []) if _is_output(spec) for p in _spec_paths(record, spec)]
    return _existing(found)


def _readable(record, job: dict, job_file: Path) -> list[Path]:
    """What the inside reads under DP100_HOME: its description and data inputs (and what placed links name)."""
    found = [job_file, *(Path(p) for p in job.get("readable", []))]
    for spec in job.get("inputs", []):
        if not _is_output(spec):
            found += _spec_paths(record, spec)
    found += _link_targets(record, Path.cwd())
    return _existing(found)


def _argument_paths(record, job: dict) -> tuple[list[Path], list[Path]]:
    """Paths of the job's own workspace that its arguments name (`--x /p` or `--x=/p`): (those in its storage,
    which it may write as through a read-write datastore mount: a pipeline step's output folder; those among its
    models, which it may only read: a parallel step's registered model folder, or the copy of its model that a
    batch deployment keeps, which its scoring job names in `--model_dir`). Anything else an argument names stays
    hidden: the learner chooses the arguments, so they must not open the record or another workspace."""
    from sim.cloud.endpoints import batch

    storage = Path(record.storage_root).resolve()
    models = (Path(record.folder) / "models").resolve()
    in_storage, in_models = [], []
    for argument in job.get("arguments", []):
        text = str(argument).rpartition("=")[2] if str(argument).startswith("-") else str(argument)
        path = Path(text).resolve() if os.path.isabs(text) else None
        if path is None or not path.exists():
            continue
        if path.is_relative_to(storage):
            in_storage.append(path)
        elif path.is_relative_to(models) or batch.in_deployment_model(record, path):
            in_models.append(path)
    return _existing(in_storage), _existing(in_models)


def _is_output(spec: dict) -> bool:
    inner = spec.get("input") if isinstance(spec.get("input"), dict) else {}
    return bool(spec.get("output")) or inner.get("mode") in ("output", "reference")


def _spec_paths(record, spec: dict) -> list[Path]:
    """Absolute paths an input spec names (its argument, its placed path), within the workspace's storage."""
    storage = Path(record.storage_root).resolve()
    inner = spec.get("input") if isinstance(spec.get("input"), dict) else {}
    values = (spec.get("argument"), spec.get("path"), inner.get("path"))
    found = [Path(v).resolve() for v in values if isinstance(v, str) and os.path.isabs(v)]
    return [path for path in found if path.is_relative_to(storage)]


def _link_targets(record, folder: Path) -> list[Path]:
    """Where the symlinks in the working folder point, within the workspace's storage (placed inputs link to
    datastore files). A link elsewhere (one the learner put in the source folder) shows nothing."""
    storage = Path(record.storage_root).resolve()
    targets, seen = [], 0
    for path in folder.rglob("*"):
        seen += 1
        if seen > MAX_LINKS:
            break
        if path.is_symlink() and path.resolve().is_relative_to(storage):
            targets.append(path.resolve())
    return targets


def _existing(found: list[Path]) -> list[Path]:
    """Each path once, only those that exist (bubblewrap cannot bind a missing one)."""
    unique = dict.fromkeys(p for p in found if p.exists())
    return list(unique)


def _outcome(path: Path, code: int, log) -> dict | None:
    """The outcome the inside wrote, or, when it wrote none (killed, out of memory, over quota), an error."""
    try:
        written = json.loads(path.read_text())
        return written.get("error_record")
    except (OSError, ValueError, AttributeError):
        pass
    from labs.sandbox import jobs as job_boxes

    if code == job_boxes.QUOTA_EXIT:
        message = (f"The job's folder grew past its quota of {job_boxes.quota_mb()} MB (DP100_LAB_DISK_MB) and the "
                   "job was stopped. Write less, or delete what the job does not need.")
    else:
        message = f"The job's process ended with exit code {code} before it reported how the user program ended."
    log.write(f"{message}\n".encode())
    return {"error": {"code": "UserError", "message": message, "details": []}}


# ---- inside: the sandbox ---------------------------------------------------------------------------------------
def inside(argv: list[str]) -> int:
    """`--inside JOB.json OUTCOME.json MEM_MB FSIZE_MB`: run the job's user code here and write its outcome."""
    job_file, outcome_file, mem_mb, fsize_mb = argv[0], Path(argv[1]), int(argv[2]), int(argv[3])
    from labs._launcher import apply_limits

    apply_limits(mem_mb, 0, fsize_mb)  # soft and hard: the user code cannot lift them (the cgroup counts pids)
    job = json.loads(Path(job_file).read_text())
    import signal

    import sim
    from sim import _runner

    sim.activate()
    os.environ["DP100_SIM_JOB"] = job_file
    signal.signal(signal.SIGTERM, _runner._on_terminate)
    error = _runner.command_outcome(job) if "command" in job else _runner.script_outcome(job)
    _runner._end_mlflow_fluent_run("FINISHED" if error is None else "FAILED")
    _write_outcome(outcome_file, error)
    return 0


def _write_outcome(path: Path, error: dict | None) -> None:
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps({"error_record": error}, default=str))
    os.replace(scratch, path)
