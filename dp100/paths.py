"""Where local state lives. `DP100_HOME` (default `~/.dp100`) is the one root of it all.

Every package asks here for its folders instead of building paths itself, so tests can point the whole
platform at a temporary folder by setting one environment variable.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from dp100.errors import SetupError

ENV_VAR = "DP100_HOME"


def home() -> Path:
    """The root folder of all local state (not created here)."""
    raw = os.environ.get(ENV_VAR, "").strip()
    return Path(raw).expanduser() if raw else Path.home() / ".dp100"


def ensure_home() -> Path:
    """Create the root folder if needed and prove it is writable.

    Raises:
        SetupError: when the folder cannot be created or written.
    """
    root = home()
    try:
        root.mkdir(parents=True, exist_ok=True)
        # A probe name per process and thread: two threads proving the folder at once must not race.
        probe = root / f".write-test-{os.getpid()}-{threading.get_ident()}"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise SetupError(
            f"{ENV_VAR} folder {root} is not writable ({exc.strerror or exc}); "
            f"set {ENV_VAR} to a folder you can write to, or fix its permissions."
        ) from exc
    return root


def subdir(*parts: str) -> Path:
    """A folder under the root, created on demand (for example `subdir("workspaces")`)."""
    path = ensure_home().joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_db_url() -> str:
    """The learner's record database URL: `DP100_DATABASE_URL`, else a SQLite file under the root."""
    url = os.environ.get("DP100_DATABASE_URL", "").strip()
    return url or f"sqlite:///{ensure_home() / 'progress.db'}"


def workspaces_dir() -> Path:
    """Root of the simulated cloud: one folder per simulated workspace lives below it."""
    return subdir("cloud")


def labs_dir() -> Path:
    """Root of the learners' lab working folders."""
    return subdir("labs")
