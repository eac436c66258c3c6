"""The simulated Azure Machine Learning workspace.

`import sim; sim.activate()` makes `from azureml.core import Workspace` (and every other simulated
`azureml.*` import) resolve to this package's SDK v1 facade. Nothing is shadowed until then.
Subprocesses the simulator starts run as `python -m sim run script.py ...` so they are active too.
"""

from __future__ import annotations

import os
import sys

from sim import _hook

ACTIVE_ENV = "DP100_SIM_ACTIVE"

__all__ = ["activate", "deactivate", "is_active", "script_command", "subprocess_env", "set_caller",
           "load_ipython_extension", "unload_ipython_extension"]


def activate() -> None:
    """Make `azureml.*` imports resolve to the simulator, and Azure's client libraries reach it (idempotent)."""
    _hook.install()
    from sim import client

    client.install()  # the real azure-ai-ml / azure-identity reach the simulated service (SDK v2)
    os.environ[ACTIVE_ENV] = "1"


def deactivate() -> None:
    """Undo `activate()`: `azureml.*` imports go back to whatever is installed, if anything."""
    _hook.uninstall()
    from sim import client

    client.uninstall()
    os.environ.pop(ACTIVE_ENV, None)


def is_active() -> bool:
    """True when `azureml.*` currently resolves to the simulator."""
    return _hook.installed()


def script_command(script: str, *args: str) -> list[str]:
    """The command line that runs `script` with the simulator active, in this interpreter.

    Args:
        script: path of the Python script to run.
        *args: the script's own arguments.

    Returns:
        An argv list for `subprocess` (same interpreter, `-m sim run`).
    """
    return [sys.executable, "-m", "sim", "run", str(script), *map(str, args)]


def subprocess_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a subprocess the simulator starts.

    It carries DP100_HOME and the simulated caller through (they are already in os.environ) and
    switches off MLflow telemetry, which would otherwise try to reach the internet.

    Args:
        extra: more variables to set (they win over inherited ones).
    """
    env = dict(os.environ)
    env.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    env.setdefault("DO_NOT_TRACK", "true")
    env[ACTIVE_ENV] = "1"
    env.update(extra or {})
    return env


def set_caller(principal: str | None = None, role: str | None = None):
    """Act as another user and/or with a forced role, e.g. `sim.set_caller(role="Reader")`.

    A shortcut to `sim.cloud.access.set_caller` (see there); `sim.set_caller()` goes back to the owner.
    """
    from sim.cloud import access

    return access.set_caller(principal, role)


def load_ipython_extension(ipython) -> None:
    """`%load_ext sim` in IPython/Jupyter: activate the simulator in the kernel."""
    activate()


def unload_ipython_extension(ipython) -> None:
    """`%unload_ext sim`: deactivate the simulator in the kernel."""
    deactivate()
