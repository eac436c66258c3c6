"""The `dp100` command: version, doctor, reset, and the subcommands each package contributes.

A package adds commands by exposing `register(subparsers)` that adds its parser(s) and sets
`func` (called with the parsed args, returns an exit code). List it in `COMMAND_MODULES`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from dp100 import __version__, doctor, paths, reset
from dp100.errors import SetupError

# Modules that contribute subcommands through `register(subparsers)`.
COMMAND_MODULES: list[str] = ["curriculum.cli", "labs.cli", "quizzes.cli", "sim.service.cli"]


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every package's subcommands."""
    parser = argparse.ArgumentParser(prog="dp100", description="DP-100 study and lab platform.")
    parser.add_argument("--version", action="version", version=f"dp100 {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    doctor.register(sub)
    reset.register(sub)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `dp100` console script."""
    paths.keep_private()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except SetupError as exc:
        print(f"dp100: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `dp100 ... | head` closed the pipe early: not an error of the command
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps interpreter shutdown quiet
        return 0
    finally:
        _tell_recoveries()


def _tell_recoveries() -> None:
    """Say so when this command found the progress record damaged and started a new one (progress.repair)."""
    from progress import db

    for recovery in db.recoveries:
        print(f"dp100: {recovery.message()}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
