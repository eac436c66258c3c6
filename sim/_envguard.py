"""Inside a job process: refuse the script's imports of packages its environment does not install.

Azure ML runs a job in an image built from its environment; a script that imports a package the environment
lacks stops with `ModuleNotFoundError: No module named 'pandas'`. Jobs here run in the simulator's own
interpreter (where pandas is installed, often already imported by the preloaded job host), so `install` wraps
`builtins.__import__`: an absolute `import` made by code of the job's own folder succeeds only for the standard
library, the folder's own modules and the modules the environment provides
(`sim.cloud.environments.packages.importable_modules`). Imports made by the libraries themselves are not
judged: an environment that declares MLflow gets MLflow's own dependencies, as pip would install them.
"""

from __future__ import annotations

import builtins
import sys
from pathlib import Path

_original_import = builtins.__import__


def _is_local(module: str, root: Path) -> bool:
    return (root / f"{module}.py").is_file() or (root / module).is_dir()


def _imported_by_job(globals_: dict | None, root: str) -> bool:
    globals_ = globals_ or {}
    return globals_.get("__name__") == "__main__" or str(globals_.get("__file__") or "").startswith(root)


def install(allowed, root) -> None:
    """Judge imports made by files under `root` against `allowed` top-level module names."""
    allowed = frozenset(allowed)
    root_path = Path(root).resolve()
    prefix = str(root_path)

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):  # noqa: A002 - __import__'s names
        top = name.partition(".")[0]
        if (level == 0 and top and top not in allowed and top not in sys.stdlib_module_names
                and top != "__future__" and _imported_by_job(globals, prefix) and not _is_local(top, root_path)):
            raise ModuleNotFoundError(f"No module named '{top}'", name=top)
        return _original_import(name, globals, locals, fromlist, level)

    builtins.__import__ = guarded_import


def uninstall() -> None:
    """Judge no more imports."""
    builtins.__import__ = _original_import
