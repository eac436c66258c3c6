"""What executes a submitted script: `python -m sim._runner JOB.json` (started by `sim.cloud.runs.jobs`).

It plays the part of Azure ML's job infrastructure on one node: prepare (Preparing), wait for a free node
on the cluster (Queued), run the learner's script with the simulator active and its output going
to `azureml-logs/70_driver_log.txt` (Running), then collect `outputs/` and `logs/` into the run's files
(Finalizing) and record Completed or Failed with the error, the way the service would. Set DP100_SIM_RUN_DELAY
(seconds) to make jobs stay Preparing for a while, as they do in Azure.

A command job (SDK v2: the job description has `command` instead of `script`) runs its command line
(`sim._command`) with its output in `user_logs/std_log.txt`, only the packages of its environment importable.
"""

from __future__ import annotations

import json
import os
import runpy
import signal
import sys
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

QUEUE_POLL_SECONDS = 0.25
DELAY_ENV = "DP100_SIM_RUN_DELAY"  # seconds a job stays Preparing (0 by default), for a realistic feel


def main(argv: list[str]) -> int:
    """Run the job described by the JSON file `argv[0]`; the exit code is 0 unless the runner broke.

    `--inside JOB.json OUTCOME.json MEM_MB FSIZE_MB` runs only the job's user code, in its sandbox
    (`sim._sandboxed_job`).
    """
    if argv[:1] == ["--inside"]:
        from sim import _sandboxed_job

        return _sandboxed_job.inside(argv[1:])
    job = json.loads(Path(argv[0]).read_text())
    import sim

    sim.activate()
    from sim.cloud import workspaces
    from sim.cloud.runs import lifecycle, state

    ids = job["workspace"]
    record = workspaces.get(ids["subscription_id"], ids["resource_group"], ids["name"])
    run_id = job["run_id"]
    os.environ["DP100_SIM_JOB"] = argv[0]
    signal.signal(signal.SIGTERM, _on_terminate)
    # The documented order: Starting (set at submission) -> Preparing -> Queued -> Running -> Finalizing.
    lifecycle.move(record, run_id, state.PREPARING)
    _prepare()
    if lifecycle.status(record, run_id) in state.TERMINAL:
        return 0  # canceled while preparing
    if not _wait_for_node(record, job):
        return 0
    _limit_duration(job.get("timeout"))
    error = _run_user_code(record, job, argv[0])
    _finish(record, run_id, error)
    return 0


def _run_user_code(record, job, job_file: str) -> dict | None:
    """Run the script or command here, or in a sandbox when the policy hides DP100_HOME and the service started the
    job (`labs.sandbox.jobs.wanted`); the error or None."""
    from labs.sandbox import jobs as job_boxes
    from sim.cloud.runs.jobs import SERVICE_TOKEN_ENV

    if job_boxes.wanted(started_by_service=bool(os.environ.get(SERVICE_TOKEN_ENV))):
        from sim import _sandboxed_job

        return _sandboxed_job.run(record, job, Path(job_file))
    return _run_command(record, job) if "command" in job else _run_script(record, job)


def _prepare() -> None:
    """Stay Preparing for the delay asked for (Azure ML builds the image and starts the node here)."""
    try:
        delay = max(0.0, float(os.environ.get(DELAY_ENV, "0") or 0))
    except ValueError:
        delay = 0.0
    time.sleep(delay)


class RunDurationExceeded(BaseException):
    """The script ran longer than its max_run_duration_seconds."""


def _limit_duration(seconds) -> None:
    """Stop the script after `max_run_duration_seconds`, as Azure ML cancels such runs."""
    if not seconds or int(seconds) <= 0:
        return

    def _expired(signum, frame):
        raise RunDurationExceeded(f"The run exceeded its max_run_duration_seconds ({int(seconds)} s).")

    signal.signal(signal.SIGALRM, _expired)
    signal.alarm(int(seconds))


def _on_terminate(signum, frame):
    # run.cancel() sends SIGTERM to the job's process group; unwind so files are still collected.
    raise KeyboardInterrupt("The run was canceled.")


def _wait_for_node(record, job) -> bool:
    """Stay Queued until the cluster has a free node (then Running); False when the run was canceled meanwhile."""
    from sim.cloud.runs import jobs, lifecycle, state

    lifecycle.move(record, job["run_id"], state.QUEUED)
    while not jobs.claim_node(record, job["run_id"], job["target"], job["max_nodes"]):
        if lifecycle.status(record, job["run_id"]) in state.TERMINAL:
            return False
        time.sleep(QUEUE_POLL_SECONDS)
    return lifecycle.status(record, job["run_id"]) not in state.TERMINAL


@contextmanager
def _output_to(log_path: Path):
    """Send this process's stdout and stderr (file descriptors 1 and 2) to the log for the block."""
    log = open(log_path, "a", buffering=1)
    saved = os.dup(1), os.dup(2)
    sys.stdout.flush(), sys.stderr.flush()
    os.dup2(log.fileno(), 1), os.dup2(log.fileno(), 2)
    try:
        yield
    finally:
        signal.alarm(0)
        sys.stdout.flush(), sys.stderr.flush()
        os.dup2(saved[0], 1), os.dup2(saved[1], 2)
        os.close(saved[0]), os.close(saved[1])
        log.close()


def _run_script(record, job) -> dict | None:
    """Run the learner's script as `__main__` in the snapshot; returns the error record or None."""
    from sim.cloud.runs import files

    with _output_to(files.driver_log_path(record, job["run_id"])):
        return script_outcome(job)


def script_outcome(job) -> dict | None:
    """Run the script of `job` as `__main__` here (stdout and stderr already go to its log); the error or None."""
    script = str(Path.cwd() / job["script"])
    sys.argv = [script, *job["arguments"]]
    sys.path.insert(0, str(Path(script).parent))
    try:
        runpy.run_path(script, run_name="__main__")
        return None
    except SystemExit as exc:
        return _exit_error(exc)
    except (KeyboardInterrupt, RunDurationExceeded) as exc:
        return stopped(exc)
    except BaseException as exc:
        _print_user_traceback(exc, script)
        return {"error": {"code": "UserError",
                          "message": f"User program failed with {type(exc).__name__}: {exc}",
                          "messageFormat": "User program failed with {type}: {message}",
                          "messageParameters": {"type": type(exc).__name__, "message": str(exc)},
                          "details": []}}


def stopped(exc: BaseException) -> dict:
    """The record of a run canceled (SIGTERM) or stopped at its max_run_duration_seconds."""
    if isinstance(exc, KeyboardInterrupt):
        return {"error": {"code": "UserError", "message": "The run was canceled."}, "canceled": True}
    print(str(exc), file=sys.stderr)
    return {"error": {"code": "UserError", "message": str(exc), "details": []}, "canceled": True,
            "keep_error": True}


def _run_command(record, job) -> dict | None:
    """Run a command job's command line in the snapshot; returns the error record or None."""
    with _output_to(command_log_path(record, job)):
        return command_outcome(job)


def command_log_path(record, job) -> Path:
    """Where a command job's output goes (`user_logs/std_log.txt` among the run's files); its folder is made."""
    from sim.cloud.runs import files

    log_path = files.artifact_root(record, job["run_id"]) / job["log_file"]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    return log_path


def command_outcome(job) -> dict | None:
    """Run the command line of `job` here (stdout and stderr already go to its log); the error or None."""
    from sim import _command, _envguard, _job_mlflow

    mode, argv = _command.parse(job["command"])
    _job_mlflow.attach_logged_models_to_the_job_run()
    if job.get("modules") is not None:
        _envguard.install(job["modules"], Path.cwd())
    try:
        return _command_outcome(mode, argv, job["log_file"])
    except (KeyboardInterrupt, RunDurationExceeded) as exc:
        return stopped(exc)
    finally:
        _envguard.uninstall()


def _command_outcome(mode: str, argv: list[str], log_name: str) -> dict | None:
    from sim import _command

    if mode == "script" and not (Path.cwd() / argv[0]).is_file():
        print(f"python: can't open file '{Path.cwd() / argv[0]}': [Errno 2] No such file or directory",
              file=sys.stderr)
        return _command.failure("python", 2, log_name)
    try:
        status = _command.run(mode, argv)
    except SystemExit as exc:
        status = 0 if exc.code in (None, 0) else (exc.code if isinstance(exc.code, int) else 1)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        return _command.failure("python", status, log_name) if status else None
    except (KeyboardInterrupt, RunDurationExceeded):
        raise
    except BaseException as exc:
        text = _print_user_traceback(exc, None)
        return _command.failure("python", 1, log_name, text)
    return _command.failure("/bin/bash", status, log_name) if status else None


def _print_user_traceback(exc: BaseException, script: str | None) -> str:
    """Print the traceback from the learner's code down (the runner's own frames left out); returns it.

    Args:
        script: the learner's script; None: the first frame in the job's folder (or of `python -c`) starts it.
    """
    from sim import _envguard

    # The environment check raises from inside `import`: the learner sees the import fail, not the check.
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename != _envguard.__file__]
    here = str(Path.cwd())
    mine = (lambda f: f.filename == script) if script else (
        lambda f: f.filename.startswith(here) or f.filename == "<string>")
    start = next((i for i, f in enumerate(frames) if mine(f)), 0)
    text = ("Traceback (most recent call last):\n" + "".join(traceback.format_list(frames[start:]))
            + "".join(traceback.format_exception_only(type(exc), exc)))
    print(text, end="", file=sys.stderr)
    return text


def _exit_error(exc: SystemExit) -> dict | None:
    code = exc.code
    if code in (None, 0):
        return None
    message = code if isinstance(code, str) else f"User program exited with exit code {code}."
    return {"error": {"code": "UserError", "message": f"User program failed: {message}", "details": []}}


def _finish(record, run_id: str, error: dict | None) -> None:
    """Flush metrics, end MLflow's fluent run, collect outputs/ and logs/, record the final state."""
    from sim.cloud.runs import files, lifecycle, metrics, state

    metrics.close_all()
    _end_mlflow_fluent_run("FINISHED" if error is None else "FAILED")
    lifecycle.move(record, run_id, state.FINALIZING)  # the user's code is done; its files are being uploaded
    for folder in ("outputs", "logs"):
        files.copy_tree_into(record, run_id, Path.cwd() / folder, folder)
    if error is None:
        lifecycle.finish(record, run_id, state.COMPLETED)
    elif error.pop("canceled", False):
        lifecycle.finish(record, run_id, state.CANCELED, error=error if error.pop("keep_error", False) else None)
    else:
        lifecycle.finish(record, run_id, state.FAILED, error=error)


def _end_mlflow_fluent_run(status: str) -> None:
    # The script may have used `with mlflow.start_run()` or bare mlflow.log_*; end that run now so
    # MLflow's own exit hook does not mark a failed run FINISHED after we record it.
    if "mlflow" not in sys.modules:
        return
    import mlflow

    if mlflow.active_run() is not None:
        mlflow.end_run(status=status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
