"""`az group ...` and `az deployment group create` with ARM templates that create Azure ML workspaces.

The CLI reads the template file and the `--parameters` (key=value pairs and @files); Resource Manager's side,
evaluating the template and deploying workspaces and their computes, is `sim.cloud.arm`, which the REST
service's `PUT .../deployments/<name>` uses too.
"""

from __future__ import annotations

import json
from pathlib import Path

from sim import messages
from sim.az import _state
from sim.az._cli import AzError, command, group
from sim.az.account import subscription_of
from sim.cloud import workspaces as cloud_workspaces
from sim.cloud.arm import deployments
from sim.cloud.errors import CloudError


def register(subparsers) -> None:
    """Add the `group` and `deployment` command groups."""
    groups = group(subparsers, "group", "Manage resource groups.")
    defaults = _state.defaults()  # `az configure --defaults location=... group=...` fill these in
    parser = command(groups, "create", group_create, "Create a new resource group.")
    parser.add_argument("--name", "--resource-group", "-n", "-g", dest="name", required=True, help="Name.")
    parser.add_argument("--location", "-l", default=defaults.get("location"),
                        required="location" not in defaults, help="Location.")
    command(groups, "list", group_list, "List resource groups.")
    parser = command(groups, "show", group_show, "Get a resource group.")
    parser.add_argument("--name", "--resource-group", "-n", "-g", dest="name", default=defaults.get("group"),
                        required="group" not in defaults, help="Name.")
    deployment = group(subparsers, "deployment", "Manage Azure Resource Manager template deployments.")
    rg = group(deployment, "group", "Manage deployments at resource group scope.")
    parser = command(rg, "create", deployment_group_create, "Start a deployment at resource group scope.")
    parser.add_argument("--resource-group", "-g", required=True, help="Resource group name.")
    parser.add_argument("--template-file", "-f", required=True, help="Path to the ARM template (JSON).")
    parser.add_argument("--parameters", "-p", nargs="+", action="extend", default=[],
                        help="key=value pairs or @file.json with parameter values.")
    parser.add_argument("--name", "-n", help="Deployment name (default: the template file's name).")
    parser.add_argument("--mode", choices=["Incremental", "Complete"], default="Incremental", help="Mode.")


def _subscription(args) -> str:
    return subscription_of(args)  # --subscription, else the one `az account set` chose


def _group_json(record: dict) -> dict:
    """A resource group as the CLI prints it."""
    return {"managedBy": None, "tags": None, **record, "type": "Microsoft.Resources/resourceGroups"}


def _resource_group(args, name: str) -> dict:
    found = cloud_workspaces.get_resource_group(_subscription(args), name)
    if found is None:
        raise AzError(messages.AZ_RESOURCE_GROUP_NOT_FOUND.format(name=name))
    return found


def group_create(args):
    """az group create -n NAME -l LOCATION."""
    return _group_json(cloud_workspaces.create_resource_group(_subscription(args), args.name, args.location))


def group_list(args):
    """az group list."""
    return [_group_json(record) for record in cloud_workspaces.list_resource_groups(_subscription(args))]


def group_show(args):
    """az group show -n NAME."""
    return _group_json(_resource_group(args, args.name))


# ---- templates ---------------------------------------------------------------------------------------

def _load_template(path: str) -> dict:
    file = Path(path).expanduser()
    if not file.is_file():
        raise AzError(messages.AZ_TEMPLATE_NOT_FOUND.format(path=path))
    try:
        template = json.loads(file.read_text())
    except ValueError as exc:
        raise AzError(messages.AZ_TEMPLATE_INVALID.format(path=path, problem=f"not JSON: {exc}")) from exc
    if not isinstance(template, dict) or not isinstance(template.get("resources"), list):
        raise AzError(messages.AZ_TEMPLATE_INVALID.format(path=path, problem="it has no 'resources' list"))
    return template


def _parameter_values(raw: list[str]) -> dict:
    values: dict = {}
    for item in raw:
        if item.startswith("@"):
            data = json.loads(Path(item[1:]).expanduser().read_text())
            params = data.get("parameters", data)
            values.update({k: v.get("value") if isinstance(v, dict) else v for k, v in params.items()})
        elif "=" in item:
            key, _, value = item.partition("=")
            values[key] = value
        else:
            raise AzError(messages.AZ_PARAMETER_VALUE_INVALID.format(item=item))
    return values


# ---- deploying ---------------------------------------------------------------------------------------

def deployment_group_create(args):
    """az deployment group create -g RG --template-file FILE [--parameters ...]."""
    subscription_id = _subscription(args)
    _resource_group(args, args.resource_group)
    template = _load_template(args.template_file)
    name = args.name or Path(args.template_file).stem
    try:
        return deployments.deploy(subscription_id, args.resource_group, name, template,
                                  _parameter_values(args.parameters), mode=args.mode)
    except CloudError as exc:  # Resource Manager's answer, as the CLI prints it
        raise AzError(f"({exc.code}) {exc.message}") from exc
