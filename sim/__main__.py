"""`python -m sim ...`: run a script with the simulator active, the simulated `az` CLI, the coverage page.

    python -m sim run script.py [args...]
    python -m sim az ml workspace list
    python -m sim coverage [--check]
    python -m sim warmup          (build the MLflow template store ahead of the first Workspace.create)
"""

from __future__ import annotations

import os
import runpy
import sys

import sim

USAGE = ("usage: python -m sim run SCRIPT [ARGS...] | python -m sim az ARGS... | "
         "python -m sim coverage [--check] | python -m sim warmup")


def run_script(argv: list[str]) -> int:
    """Run `argv[0]` as `__main__` with `argv[1:]` as its arguments and the simulator active."""
    if not argv:
        print("usage: python -m sim run SCRIPT [ARGS...]", file=sys.stderr)
        return 2
    script = os.path.abspath(argv[0])
    if not os.path.isfile(script):
        print(f"python -m sim run: can't open file '{argv[0]}': no such file.", file=sys.stderr)
        return 2
    sim.activate()
    sys.argv = [script, *argv[1:]]
    sys.path.insert(0, os.path.dirname(script))
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Dispatch `python -m sim` subcommands."""
    argv = list(sys.argv[1:] if argv is None else argv)
    from dp100 import paths

    paths.keep_private()  # job runners, the az CLI and warm-up write under DP100_HOME: the user's only
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        return run_script(rest)
    if command == "az":
        from sim.az import main as az_main

        return az_main(rest)
    if command == "warmup":
        from sim.cloud import workspaces

        workspaces.warm_up()
        print("simulated cloud ready (MLflow template store built).")
        return 0
    if command == "coverage":
        from sim import coverage

        return coverage.main(rest)
    print(f"python -m sim: unknown command '{command}'.\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
