"""Where local state lives. `DP100_HOME` (default `~/.dp100`) is the one root of it all.

Every package asks here for its folders instead of building paths itself, so tests can point the whole
platform at a temporary folder by setting one environment variable.

What lives there is private (progress, secrets, models, logs): `keep_private()` gives the process a umask of 077,
so every file it creates is 0600 and every folder 0700. Each entry point calls it first (the app, the `dp100`
CLI, lab kernels, job runners, scoring servers), and `ensure_home()` calls it too, for code that uses the
packages directly; `ensure_home()` also closes an existing home that is open to others (0700).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

from dp100.errors import SetupError

ENV_VAR = "DP100_HOME"
PRIVATE_UMASK = 0o077
MAX_SOCKET_PATH = 100  # AF_UNIX allows 107 bytes plus the terminating NUL; keep a margin


def keep_private() -> None:
    """From now on, files and folders this process (and what it starts) creates are its user's only."""
    previous = os.umask(PRIVATE_UMASK)
    os.umask(previous | PRIVATE_UMASK)  # never loosen a stricter umask the user chose


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
    keep_private()
    try:
        root.mkdir(parents=True, exist_ok=True)
        if root.stat().st_mode & 0o077:  # a home made before files were private: close it to others
            root.chmod(0o700)
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


def runtime_dir() -> Path:
    """This user's private runtime folder (`$XDG_RUNTIME_DIR` or the temporary folder, then `dp100-<uid>`, 0700):
    where Unix sockets go when their place under a deep DP100_HOME would pass AF_UNIX's path limit."""
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    runtime = Path(base) / f"dp100-{os.getuid()}"
    runtime.mkdir(mode=0o700, exist_ok=True)
    if runtime.stat().st_uid != os.getuid():  # someone else's folder: never put our sockets in it
        raise PermissionError(f"{runtime} belongs to another user")
    runtime.chmod(0o700)
    return runtime


def home_digest() -> str:
    """A short name derived from this home's path, for its entries in the shared runtime folder."""
    return hashlib.sha256(str(home().resolve()).encode()).hexdigest()[:24]
