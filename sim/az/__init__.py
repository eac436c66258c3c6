"""The simulated Azure CLI (`az`) with the Azure ML extensions: v2 (`ml`) or v1 (`azure-cli-ml`).

Run it as `python -m sim az ...`; lab sessions may put an `az` shim on their PATH with
`install_shim(folder)`. As in Azure, one of the two ML extensions is installed at a time and gives `az ml` its
commands: with `ml`, the CLI v2 tree (`sim.az.mlv2`: workspace, compute, data, environment, model, component,
datastore, job, online-endpoint, online-deployment, on the real azure-ai-ml); with `azure-cli-ml`, the v1 tree
(`sim.az.ml`: `az ml workspace`, `az ml computetarget`, `az ml datastore|model|run list`). Always there:
`az extension add/list/remove`, `az login`, `az account show/list/set`, `az provider register/show/list`,
`az configure --defaults`, `az group create/list/show`, `az deployment group create`,
`az role assignment create/list/delete` (on a workspace scope).
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from sim import messages
from sim.az import _state, account, deployment, ml, role
from sim.az._cli import AzError, CommandParser, command, render
from sim.azureml._common.exceptions import AzureMLException
from sim.azureml._common.service_errors import v1_errors
from sim.azureml._restclient.exceptions import ServiceException

__all__ = ["main", "install_shim"]


def build_parser(ml_tree: str | None = "v1") -> CommandParser:
    """The whole `az` command tree, with the `ml` group of the installed ML extension ("v1", "v2" or None)."""
    parser = CommandParser(prog="az", description="Azure Command-Line Interface (simulated, offline).")
    sub = parser.add_subparsers(dest="_command", metavar="<command>", parser_class=CommandParser)
    _register_extension(sub)
    if ml_tree == "v2":
        from sim.az import mlv2

        mlv2.register(sub)
    elif ml_tree == "v1":
        ml.register(sub)
    account.register(sub)
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
    """az extension add -n ml | -n azure-cli-ml (not both: they conflict, as in Azure)."""
    if args.name not in _state.KNOWN_EXTENSIONS:
        raise AzError(messages.AZ_EXTENSION_UNKNOWN.format(name=args.name))
    other = _state.CONFLICTS[args.name]
    if _state.is_installed(other):
        raise AzError(messages.AZ_EXTENSION_CONFLICT.format(name=args.name, other=other))
    if _state.is_installed(args.name) and not args.upgrade:
        if not args.only_show_errors:
            version = _state.KNOWN_EXTENSIONS[args.name]["version"]
            print(messages.AZ_EXTENSION_ALREADY_INSTALLED.format(name=args.name, version=version), file=sys.stderr)
        return None
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
    ml_tree = _state.ml_tree()
    if argv[:1] == ["ml"] and ml_tree is None:
        print(messages.AZ_EXTENSION_MISSING, file=sys.stderr)
        return 2
    parser = build_parser(ml_tree)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    handler = getattr(args, "handler", None)
    if handler is None:  # a command group alone (`az ml compute`) shows that group's help, as azure-cli does
        try:
            parser.parse_args([*argv, "--help"])
        except SystemExit as exc:
            return int(exc.code or 0)
    return _run(handler, args)


def _run(handler, args) -> int:
    try:
        with v1_errors():  # the v1 CLI reports the service's errors as the v1 SDK it is built on raises them
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
    target.chmod(target.stat().st_mode | stat.S_IXUSR)  # the user's own, like everything under DP100_HOME
    return target
