"""What every `az ml` (CLI v2) command shares: workspace arguments, the MLClient, YAML overrides, output, errors.

Like the real `ml` extension, each command is a thin layer over azure-ai-ml (the real package): `--file` and
the flags become an entity through the SDK's `load_*` functions (flags and `--set` are `params_override`, so
the SDK's YAML schemas validate them), an `MLClient` sends it to the (simulated) service, and the result
prints as the entity's YAML-schema dictionary plus `resourceGroup`.
"""

from __future__ import annotations

import functools
import json
import re
import sys
import traceback
from datetime import date, datetime
from enum import Enum

from sim import messages
from sim.az import _state, account
from sim.az._cli import AzError, command

_RESOURCE_GROUP = re.compile(r"/resourceGroups/([^/]+)", re.IGNORECASE)
_ENUM_TEXT = re.compile(r"^([A-Z][A-Za-z0-9]*)\.([A-Z][A-Z0-9_]*)$")


# ---- arguments ---------------------------------------------------------------------------------------

def _configured(parser, flags: tuple[str, ...], dest: str, key: str, help_text: str, required: bool = True) -> None:
    """An argument whose value may come from `az configure --defaults KEY=...`, as azure-cli does it:
    required on the command line only while no default is configured."""
    value = _state.defaults().get(key)
    parser.add_argument(*flags, dest=dest, default=value, required=required and value is None, help=help_text)


def workspace_arguments(parser, workspace: bool = True, group_required: bool = True):
    """`--resource-group/-g` and (for workspace-scoped commands) `--workspace-name/-w`."""
    _configured(parser, ("--resource-group", "-g"), "resource_group", "group",
                "Name of resource group. You can configure the default group using `az configure --defaults "
                "group=<name>`.", required=group_required)
    if workspace:
        _configured(parser, ("--workspace-name", "-w"), "workspace_name", "workspace",
                    "Name of the Azure ML workspace. You can configure the default workspace using `az configure "
                    "--defaults workspace=<name>`.")
    return parser


def file_arguments(parser, file_required: bool = False):
    """`--file/-f` (a YAML specification) and `--set` (property overrides)."""
    parser.add_argument("--file", "-f", required=file_required, help="Local path to the YAML file.")
    add_flags(parser, SET)
    return parser


# Flags many commands share, as add_flags specs.
NO_WAIT = (("--no-wait",), "Do not wait for the long-running operation to finish.", {"action": "store_true"})
YES = (("--yes", "-y"), "Do not prompt for confirmation.", {"action": "store_true"})
SET = (("--set",), "Update an object by specifying a property path and value to set, e.g. "
                   "--set property1.property2=<value>.",
       {"nargs": "+", "action": "extend", "default": [], "dest": "set_values"})


def ml_command(subparsers, name: str, handler, help_text: str, *, workspace: bool = True,
               group_required: bool = True):
    """A leaf `az ml ...` command whose SDK errors print as the CLI prints them."""
    parser = command(subparsers, name, _translating_errors(handler), help_text)
    return workspace_arguments(parser, workspace, group_required)


def add_flags(parser, *specs) -> None:
    """Add flags given as (flags, help) or (flags, help, extra kwargs) tuples."""
    for spec in specs:
        flags, help_text, extra = spec if len(spec) == 3 else (*spec, {})
        parser.add_argument(*flags, help=help_text, **extra)


# ---- the SDK -----------------------------------------------------------------------------------------

def client(args, workspace: bool = True):
    """An MLClient for the command's subscription, resource group and workspace (the CLI's credential)."""
    from sim import client as sim_client

    sim_client.install()  # the SDK's requests reach the simulated service, its credential gets a token
    from azure.ai.ml import MLClient
    from azure.identity import AzureCliCredential

    name = getattr(args, "workspace_name", None) if workspace else None
    return MLClient(AzureCliCredential(), account.subscription_of(args), args.resource_group, name)


def overrides(args, fields: dict[str, str], transform: dict | None = None) -> list[dict]:
    """The SDK's `params_override` from flags (dest -> YAML key, only those given) and then `--set`."""
    transform = transform or {}
    found = []
    for dest, key in fields.items():
        value = getattr(args, dest, None)
        if value is not None and value != []:
            found.append({key: transform.get(dest, _same)(value)})
    return found + set_overrides(getattr(args, "set_values", []))


def _same(value):
    return value


def set_overrides(items: list[str]) -> list[dict]:
    """`--set a.b=c` items as `params_override` entries."""
    found = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise AzError(messages.AZ_ML_SET_INVALID.format(item=item))
        found.append({key.strip(): value})
    return found


def apply_set(entity, items: list[str]):
    """Apply `--set a.b=value` to an entity fetched for an update, as azure-cli's generic update does
    (attributes, or keys inside dictionaries; values that read as JSON are parsed)."""
    for entry in set_overrides(items):
        (path, raw), = entry.items()
        *parents, last = path.split(".")
        target = entity
        for part in parents:
            target = target.get(part) if isinstance(target, dict) else getattr(target, part)
        value = _json_or_text(raw)
        if isinstance(target, dict):
            target[last] = value
        else:
            setattr(target, last, value)
    return entity


def _json_or_text(raw: str):
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def tags(items: list[str] | None) -> dict | None:
    """`--tags key=value key2=value2` as a dictionary."""
    if not items:
        return None
    return dict((item.partition("=")[0], item.partition("=")[2]) for item in items)


def wait(poller, args):
    """The result of a long-running operation, or None with `--no-wait`."""
    if getattr(args, "no_wait", False):
        return None
    return poller.result()


def confirm(args) -> None:
    """Ask before deleting, as the CLI does; without a terminal, `--yes` is needed."""
    if getattr(args, "yes", False):
        return
    if not sys.stdin.isatty():
        raise AzError(messages.AZ_ML_NO_TTY)
    if input(messages.AZ_ML_CONFIRM).strip().lower() not in ("y", "yes"):
        raise AzError(messages.AZ_ML_NOT_CONFIRMED)


# ---- output ------------------------------------------------------------------------------------------

def dump(entity):
    """An entity as the CLI prints it: its YAML-schema dictionary, plus `resourceGroup` from its id."""
    if entity is None or isinstance(entity, (list, str, int, float, bool)) or type(entity) is dict:
        return entity
    if hasattr(entity, "_to_job"):  # a job the SDK gives back as a node (Command...): dump it as a standalone job
        entity = entity._to_job()
    data = plain(_as_dict(entity))
    match = _RESOURCE_GROUP.search(str(data.get("id") or ""))
    if match:
        data["resourceGroup"] = match.group(1)
    return data


def plain(value):
    """A value as azure-cli's JSON output shows it: enums by their value, datetimes in ISO 8601."""
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, str):
        return _enum_text(value)
    if value is None or isinstance(value, (int, float, bool)):
        return value
    return str(value)


def _enum_text(text: str) -> str:
    """The value of an enum member the SDK's schemas wrote with str() ("JobStatus.COMPLETED" -> "Completed").

    azure-ai-ml's REST models hand out enum members, and its marshmallow schemas write them with str(), which on
    Python 3.11+ gives "Class.MEMBER"; the CLI's documented output, and what learners query, is the value.
    """
    match = _ENUM_TEXT.match(text)
    if not match:
        return text
    from azure.ai.ml._restclient.arm_ml_service import models

    cls = getattr(models, match.group(1), None)
    if isinstance(cls, type) and issubclass(cls, Enum) and match.group(2) in cls.__members__:
        return cls[match.group(2)].value
    return text


def _as_dict(entity) -> dict:
    if hasattr(entity, "_to_dict"):
        return entity._to_dict()
    if hasattr(entity, "_to_rest_object"):  # keys, tokens, sizes: the REST shape (camelCase), as the CLI prints
        rest = entity._to_rest_object()
        return rest.as_dict() if hasattr(rest, "as_dict") else rest.serialize()
    return {key: value for key, value in vars(entity).items() if not key.startswith("_")}


def dump_all(entities) -> list:
    """Every entity of a listing, dumped."""
    return [dump(entity) for entity in entities]


# ---- errors ------------------------------------------------------------------------------------------

def _translating_errors(handler):
    @functools.wraps(handler)
    def run(args):
        try:
            return handler(args)
        except AzError:
            raise
        except Exception as exc:  # every SDK failure prints as `ERROR: ...`, never as a traceback
            if getattr(args, "debug", False):
                traceback.print_exc(file=sys.stderr)
            raise AzError(error_text(exc)) from exc
    return run


def error_text(exc: Exception) -> str:
    """What the CLI prints after `ERROR: ` for an exception the SDK raised."""
    from azure.ai.ml.exceptions import MlException
    from azure.core.exceptions import AzureError, HttpResponseError
    from marshmallow import ValidationError

    if isinstance(exc, HttpResponseError):
        return str(exc)  # "(Code) message" then "Code: ..." and "Message: ..." lines, as the CLI shows them
    if isinstance(exc, MlException):
        return exc.message
    if isinstance(exc, (ValidationError, AzureError, OSError, ValueError)):
        return str(exc)
    return messages.AZ_ML_UNEXPECTED.format(kind=type(exc).__name__, error=exc)
