"""`dp100 reset --yes`: wipe the learner's local state after an explicit confirmation."""

from __future__ import annotations

import shutil
import sys

from dp100 import paths
from progress.db import forget_engines
from sim.cloud import storage_ceiling, store


def register(sub) -> None:
    """Add the `reset` command."""
    parser = sub.add_parser("reset", help="delete all local state under DP100_HOME (asks for --yes)")
    parser.add_argument("--yes", action="store_true", help="confirm: delete everything under DP100_HOME")
    parser.set_defaults(func=run)


def wipe_home() -> list[str]:
    """Delete everything under DP100_HOME; return the names removed.

    The simulated Azure service, lab kernels, the lab JupyterLab and simulated scoring servers are stopped first,
    so no process outlives its folder.
    """
    root = paths.home()
    if not root.exists():
        return []
    _stop_simulated_services()
    forget_engines()  # an open SQLite connection would keep the deleted record alive
    store.dispose_under(root)  # and the workspaces' state.db files
    storage_ceiling.forget()  # what this process counted as stored is gone too
    removed = []
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
        removed.append(entry.name)
    return removed


def _stop_simulated_services() -> None:
    # Lab kernels, the lab JupyterLab and scoring servers work inside DP100_HOME: stop them before their folders
    # go (the JupyterLab server's record is there too: once deleted, nothing could find the server to stop it).
    from labs import api as labs_api
    from labs import jupyter
    from sim import service
    from sim.cloud import services, workspaces

    service.stop()  # the simulated Azure's own process: it writes the state about to be deleted
    labs_api.close_all()
    jupyter.stop()
    for record in workspaces.list_workspaces():
        services.stop_all(record)


def run(args) -> int:
    """Refuse without --yes; otherwise wipe and say what went."""
    root = paths.home()
    if not args.yes:
        print(f"This deletes all your progress, labs and simulated workspaces under {root}.\n"
              "Run `dp100 reset --yes` to confirm.", file=sys.stderr)
        return 1
    removed = wipe_home()
    print(f"Removed {len(removed)} item(s) from {root}." if removed else f"Nothing to remove in {root}.")
    return 0
