"""The simulated Azure CLI (`az`) with the Azure ML extension v1 (`azure-cli-ml`).

Run it as `python -m sim az ...`; lab sessions may put an `az` shim on their PATH with
`install_shim(folder)`. Supported: `az extension add/list/remove`, `az ml workspace create/show/list/delete`,
`az ml computetarget create amlcompute|computeinstance/list/show/delete`, `az ml datastore list`,
`az ml model list`, `az ml run list`, `az group create/list/show`, `az deployment group create`,
`az role assignment create/list/delete` (on a workspace scope).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from sim import messages
from sim.az import _state, deployment, ml, role
from sim.az._cli import AzError, CommandParser, command, render
from sim.azureml._common.exceptions import AzureMLException
from sim.azureml._restclient.exceptions import ServiceException

__all__ = ["main", "install_shim"]


def build_parser() -> CommandParser:
    """The whole `az` command tree (the `ml` group is always parsed; using it needs the extension)."""
    parser = CommandParser(prog="az", description="Azure Command-Line Interface (simulated, offline).")
    sub = parser.add_subparsers(dest="_command", metavar="<command>", parser_class=CommandParser)
    _register_extension(sub)
    ml.register(sub)
    deployment.register(sub)
    role.register(sub)
    return parser


def _register_extension(sub) -> None:
    from sim.az._cli import group

    ext = group(sub, "extension", "Manage and update CLI extensions.")
    for verb, handler in (("add", extension_add), ("remove", extension_remove)):
        parser = command(ext, verb, handler, f"{verb.capitalize()} an extension.")
        parser.add_argument("--name", "-n", required=True, help="Name of the extension.")
        if verb == "add":
            parser.add_argument("--yes", "-y", action="store_true", help="Do not prompt for confirmation.")
            parser.add_argument("--upgrade", action="store_true", help="Update the extension if installed.")
    command(ext, "list", extension_list, "List the installed extensions.")


def extension_add(args):
    """az extension add -n azure-cli-ml."""
    if args.name not in _state.KNOWN_EXTENSIONS:
        raise AzError(messages.AZ_EXTENSION_UNKNOWN.format(name=args.name))
    _state.add(args.name)
    return None


def extension_remove(args):
    """az extension remove -n NAME."""
    if not _state.remove(args.name):
        raise AzError(messages.AZ_EXTENSION_NOT_INSTALLED.format(name=args.name))
    return None


def extension_list(args):
    """az extension list."""
    return _state.installed()


def main(argv: list[str] | None = None) -> int:
    """Run one `az` command line; returns the exit code (0 ok, 1 error, 2 usage error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["ml"] and not _state.is_installed("azure-cli-ml"):
        print(messages.AZ_EXTENSION_MISSING, file=sys.stderr)
        return 2
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0 if not argv else 2
    return _run(handler, args)


def _run(handler, args) -> int:
    try:
        text = render(handler(args), args)
    except AzError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    except AzureMLException as exc:
        print(f"ERROR: {exc.message}", file=sys.stderr)
        return 1
    except ServiceException as exc:
        print(f"ERROR: ({exc.error_code}) {exc.message}", file=sys.stderr)
        return 1
    if text:
        try:
            print(text, flush=True)
        except BrokenPipeError:  # `az ... | head` closed the pipe early: not an error of the command
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep interpreter shutdown quiet
    return 0


def install_shim(folder: str | os.PathLike) -> Path:
    """Write an executable `az` into `folder` that runs this simulated CLI with this interpreter.

    Lab sessions put `folder` first on the PATH of the learner's shell; nothing is installed globally.

    Returns:
        The path of the shim.
    """
    target = Path(folder) / "az"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m sim az "$@"\n')
    target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return target
