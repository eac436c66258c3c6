"""`az ml workspace create|show|list|update|delete` (CLI v2)."""

from __future__ import annotations

from sim.az import _state
from sim.az.mlv2._common import (
    NO_WAIT,
    YES,
    add_flags,
    apply_set,
    client,
    confirm,
    dump,
    dump_all,
    file_arguments,
    ml_command,
    overrides,
    tags,
    wait,
)

FIELDS = {"name": "name", "location": "location", "display_name": "display_name", "description": "description",
          "tags": "tags", "image_build_compute": "image_build_compute",
          "public_network_access": "public_network_access"}


def register(sub) -> None:
    """Add the `workspace` subgroup's commands."""
    parser = file_arguments(ml_command(sub, "create", workspace_create, "Create a workspace.", workspace=False))
    parser.add_argument("--name", "-n", help="Name of the Azure ML workspace.")
    _descriptive_flags(parser)
    add_flags(parser, (("--location", "-l"), "The location to be used for the new workspace (default: the "
                                             "resource group's)."),
              NO_WAIT, (("--update-dependent-resources", "-u"), "Allow updating dependent resources.",
                        {"action": "store_true"}))
    parser = ml_command(sub, "show", workspace_show, "Show details for a workspace.", workspace=False)
    _name_argument(parser)
    ml_command(sub, "list", workspace_list, "List all the workspaces in a subscription.", workspace=False,
               group_required=False)
    parser = file_arguments(ml_command(sub, "update", workspace_update, "Update a workspace.", workspace=False))
    _name_argument(parser)
    _descriptive_flags(parser)
    parser = ml_command(sub, "delete", workspace_delete, "Delete a workspace.", workspace=False)
    _name_argument(parser)
    add_flags(parser, (("--all-resources",), "Delete all the dependent resources associated with the workspace.",
                       {"action": "store_true"}),
              (("--permanently-delete",), "Delete permanently instead of soft-deleting.", {"action": "store_true"}),
              NO_WAIT, YES)


def _name_argument(parser) -> None:
    default = _state.defaults().get("workspace")
    parser.add_argument("--name", "-n", default=default, required=default is None,
                        help="Name of the Azure ML workspace. You can configure the default workspace using "
                             "`az configure --defaults workspace=<name>`.")


def _descriptive_flags(parser) -> None:
    add_flags(parser, (("--display-name",), "Display name for the workspace."),
              (("--description",), "Description of the workspace."),
              (("--tags",), "Space-separated tags: key[=value].", {"nargs": "+"}),
              (("--image-build-compute", "-i"), "The name of the compute target to use for building environment "
                                                "Docker images."),
              (("--public-network-access",), "Allow public endpoint connectivity.",
               {"choices": ["Enabled", "Disabled"]}))


def _workspace_entity(args):
    from azure.ai.ml import load_workspace

    return load_workspace(source=args.file, params_override=overrides(args, FIELDS, {"tags": tags}))


def workspace_create(args):
    """az ml workspace create --name NAME [-g RG] [--location L] | --file workspace.yml."""
    ml_client = client(args, workspace=False)
    poller = ml_client.workspaces.begin_create(_workspace_entity(args),
                                               update_dependent_resources=args.update_dependent_resources)
    return dump(wait(poller, args))


def workspace_show(args):
    """az ml workspace show --name NAME."""
    return dump(client(args, workspace=False).workspaces.get(args.name))


def workspace_list(args):
    """az ml workspace list [-g RG] (every workspace of the subscription without a resource group)."""
    scope = "resource_group" if args.resource_group else "subscription"
    return dump_all(client(args, workspace=False).workspaces.list(scope=scope))


def workspace_update(args):
    """az ml workspace update --name NAME [--description D] [--display-name N] [--set k=v]."""
    ml_client = client(args, workspace=False)
    if args.file:
        entity = _workspace_entity(args)
    else:
        entity = ml_client.workspaces.get(args.name)
        for key in ("display_name", "description", "image_build_compute", "public_network_access"):
            if getattr(args, key) is not None:
                setattr(entity, key, getattr(args, key))
        if args.tags:
            entity.tags = {**(entity.tags or {}), **tags(args.tags)}
        apply_set(entity, args.set_values)
    return dump(ml_client.workspaces.begin_update(entity).result())


def workspace_delete(args):
    """az ml workspace delete --name NAME [--all-resources] [--yes] [--no-wait]."""
    confirm(args)
    poller = client(args, workspace=False).workspaces.begin_delete(
        args.name, delete_dependent_resources=args.all_resources, permanently_delete=args.permanently_delete)
    wait(poller, args)
    return None
