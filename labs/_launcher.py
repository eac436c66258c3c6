"""Start an IPython kernel for a lab session with resource limits applied to its own process.

Run as `python -m labs._launcher --mem-mb N --nproc N --fsize-mb N -f CONNECTION_FILE` (inside the kernel's
sandbox, labs.sandbox; with `--sandbox`, as JupyterLab's kernel specs do, it first builds that sandbox and stays
outside it as its keeper, labs.sandbox.supervise). The limits are set here, soft and hard, before the kernel
imports anything, so they bind the kernel and every process it starts, and no cell can lift them. The simulator is
activated (when it is installed) so `from azureml.core import Workspace` works in the first cell, and, as on a
compute instance, `MLFLOW_TRACKING_URI` names the workspace of the lab folder's config file (set-up wrote it
before the kernel starts), so `mlflow.start_run()` in a cell logs to the workspace without set_tracking_uri.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys


def _set_limit(kind: int, value: int) -> None:
    # Soft and hard alike: a cell (or anything it starts) can lower its limits but never lift them again.
    # A hard limit we were given is never raised.
    _soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, value))


def apply_limits(mem_mb: int, nproc: int, fsize_mb: int = 0) -> None:
    """Limit, for good, the address space (MB), the number of processes and the size of any one written file (MB)
    of this process and its children (0 leaves a limit as it is)."""
    if mem_mb > 0:
        _set_limit(resource.RLIMIT_AS, mem_mb * 1024 * 1024)
    if nproc > 0:
        # RLIMIT_NPROC counts all processes of the user, so allow what already runs plus `nproc`.
        # (It does not bind root with its capabilities; the kernel's cgroup or the engine's watchdog does.)
        running = sum(1 for name in os.listdir("/proc") if name.isdigit())
        _set_limit(resource.RLIMIT_NPROC, running + nproc)
    if fsize_mb > 0:
        # Python ignores SIGXFSZ, so a write past it fails with "File too large" instead of killing the kernel.
        _set_limit(resource.RLIMIT_FSIZE, fsize_mb * 1024 * 1024)


def activate_simulator() -> None:
    """Activate the simulator if it is importable; a lab kernel still starts without it."""
    try:
        import sim

        sim.activate()
    except Exception as exc:  # noqa: BLE001 - any failure only means "no simulator"
        print(f"[lab] simulator not active: {exc}", file=sys.stderr)


def quiet_progress_bar_warning() -> None:
    """Keep tqdm's "IProgress not found. Please update jupyter and ipywidgets" out of the learner's outputs.

    MLflow 3 imports `tqdm.auto` when it is first imported, and in a kernel without ipywidgets tqdm warns that its
    notebook bar cannot be drawn. Lab outputs show text, not widgets, so there is nothing to update: the warning
    only sent learners (labs 22 and 24 showed it in their first cell) looking for a fault that is not there.
    """
    import warnings

    warnings.filterwarnings("ignore", message="IProgress not found")


def workspace_tracking_uri(folder: str) -> str | None:
    """The MLflow tracking URI of the workspace that `folder`'s config file names, or None.

    It is the workspace's `azureml://` URI (what a compute instance presets) when MLflow can open that scheme
    (the simulator's plugin is installed), else the workspace's own store URI, which the same runs land in.
    """
    from pathlib import Path

    import sim.cloud.workspaces
    from labs.grading import read_config
    from sim.service.routed import routed

    names = read_config(Path(folder))
    # Through the service when this kernel's sandbox hides the home (DP100_SERVICE=process): it cannot read the state.
    record = None if names is None else routed(sim.cloud.workspaces).find(*names)
    if record is None:
        return None
    if not _azureml_scheme_served():
        return record.mlflow_uri
    from sim.rest.workspaces import mlflow_tracking_uri

    return mlflow_tracking_uri(record)


def _azureml_scheme_served() -> bool:
    # Entry points are read from package metadata: cheap, and MLflow itself is not imported here.
    from importlib.metadata import entry_points

    return any(ep.name == "azureml" for ep in entry_points(group="mlflow.tracking_store"))


def preset_mlflow_tracking(folder: str) -> None:
    """Set MLFLOW_TRACKING_URI to the lab workspace's tracking URI, when the folder names a workspace."""
    try:
        uri = workspace_tracking_uri(folder)
    except Exception as exc:  # noqa: BLE001 - a kernel still starts; MLflow then uses its default store
        print(f"[lab] MLflow tracking not preset: {exc}", file=sys.stderr)
        return
    if uri:
        os.environ["MLFLOW_TRACKING_URI"] = uri


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="labs._launcher")
    parser.add_argument("--mem-mb", type=int, default=0)
    parser.add_argument("--nproc", type=int, default=0)
    parser.add_argument("--fsize-mb", type=int, default=0)
    parser.add_argument("--sandbox", action="store_true", help="start the kernel in a sandbox of the current folder")
    known, rest = parser.parse_known_args(argv)
    if known.sandbox:  # JupyterLab's kernel specs: this process stays outside as the sandbox's keeper
        from labs.sandbox.supervise import supervise

        sys.exit(supervise(known.mem_mb, known.nproc, rest))
    from dp100 import paths

    paths.keep_private()  # what the learner's cells write under DP100_HOME is theirs only
    apply_limits(known.mem_mb, known.nproc, known.fsize_mb)
    activate_simulator()
    quiet_progress_bar_warning()
    preset_mlflow_tracking(os.getcwd())
    sys.path.insert(0, os.getcwd())  # like `python -m ipykernel_launcher`: modules in the lab folder import
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=rest)


if __name__ == "__main__":
    main()
