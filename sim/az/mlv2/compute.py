"""`az ml compute create|show|list|update|delete|start|stop|restart|list-nodes|list-sizes|list-usage` (CLI v2)."""

from __future__ import annotations

from sim.az.mlv2._common import (
    NO_WAIT,
    SET,
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
    wait,
)

COMPUTE_TYPES = ("amlcompute", "computeinstance", "virtualmachine", "kubernetes")
FIELDS = {"name": "name", "type": "type", "size": "size", "location": "location", "description": "description",
          "min_instances": "min_instances", "max_instances": "max_instances",
          "idle_time_before_scale_down": "idle_time_before_scale_down", "tier": "tier",
          "admin_username": "ssh_settings.admin_username", "admin_password": "ssh_settings.admin_password",
          "ssh_key_value": "ssh_settings.ssh_key_value", "ssh_public_access_enabled": "ssh_public_access_enabled",
          "enable_node_public_ip": "enable_node_public_ip", "user_object_id": "create_on_behalf_of.user_object_id",
          "user_tenant_id": "create_on_behalf_of.user_tenant_id", "identity_type": "identity.type"}


def _bool(text: str) -> bool:
    return str(text).lower() in ("true", "yes", "1")


CREATE_FLAGS = (
    (("--name", "-n"), "Name of the compute target."),
    (("--type", "-t"), "Type of compute target: AmlCompute, ComputeInstance...",
     {"type": str.lower, "choices": COMPUTE_TYPES}),
    (("--size",), "VM size to use for the compute target."),
    (("--location", "-l"), "Location of the compute (default: the workspace's)."),
    (("--description",), "Description of the compute target."),
    (("--tier",), "VM priority tier (AmlCompute).", {"choices": ["dedicated", "low_priority"]}),
    (("--admin-username",), "Administrator user name (AmlCompute)."),
    (("--admin-password",), "Administrator password (AmlCompute)."),
    (("--ssh-key-value",), "SSH public key of the administrator user account."),
    (("--ssh-public-access-enabled",), "Enable public SSH port.", {"type": _bool}),
    (("--enable-node-public-ip",), "Enable public IP on the nodes.", {"type": _bool}),
    (("--user-object-id",), "AAD object id of the assigned user (ComputeInstance)."),
    (("--user-tenant-id",), "AAD tenant id of the assigned user (ComputeInstance)."),
    (("--identity-type",), "Type of managed identity.", {"choices": ["SystemAssigned", "UserAssigned"]}),
    NO_WAIT,
)
SCALE_FLAGS = (
    (("--min-instances",), "Minimum number of nodes (AmlCompute).", {"type": int}),
    (("--max-instances",), "Maximum number of nodes (AmlCompute).", {"type": int}),
    (("--idle-time-before-scale-down",), "Node idle time in seconds before scaling down.", {"type": int}),
)
POWER = (("start", "Start"), ("stop", "Stop"), ("restart", "Restart"))


def register(sub) -> None:
    """Add the `compute` subgroup's commands."""
    parser = file_arguments(ml_command(sub, "create", compute_create, "Create a compute target."))
    add_flags(parser, *CREATE_FLAGS, *SCALE_FLAGS)
    _named(sub, "show", compute_show, "Show details for a compute target.")
    add_flags(ml_command(sub, "list", compute_list, "List the compute targets in a workspace."),
              (("--type", "-t"), "The type of compute to filter by.", {"type": str.lower}),
              (("--max-results", "-r"), "Max number of results to return.", {"type": int}))
    add_flags(_named(sub, "update", compute_update, "Update a compute target."), *SCALE_FLAGS, SET, NO_WAIT)
    add_flags(_named(sub, "delete", compute_delete, "Delete a compute target."),
              (("--action",), "Delete or Detach.", {"choices": ["Delete", "Detach"], "default": "Delete"}),
              YES, NO_WAIT)
    for verb, text in POWER:
        add_flags(_named(sub, verb, _power(verb), f"{text} a ComputeInstance."), NO_WAIT)
    _named(sub, "list-nodes", compute_list_nodes, "List node details for an AmlCompute cluster.")
    add_flags(ml_command(sub, "list-sizes", compute_list_sizes, "List the VM sizes available by location."),
              (("--location", "-l"), "Location (default: the workspace's)."),
              (("--type", "-t"), "Compute type the sizes are for.", {"type": str.lower}))
    add_flags(ml_command(sub, "list-usage", compute_list_usage, "List the current usage of compute resources."),
              (("--location", "-l"), "Location (default: the workspace's)."))


def _named(sub, verb, handler, text):
    parser = ml_command(sub, verb, handler, text)
    parser.add_argument("--name", "-n", required=True, help="Name of the compute target.")
    return parser


def compute_create(args):
    """az ml compute create --name N --type AmlCompute|ComputeInstance [--size S] [--max-instances M] | --file."""
    from azure.ai.ml import load_compute

    compute = load_compute(source=args.file, params_override=overrides(args, FIELDS))
    return dump(wait(client(args).compute.begin_create_or_update(compute), args))


def compute_show(args):
    """az ml compute show --name N."""
    return dump(client(args).compute.get(args.name))


def compute_list(args):
    """az ml compute list [--type T]."""
    found = dump_all(client(args).compute.list(compute_type=args.type))
    return found[:args.max_results] if args.max_results else found


def compute_update(args):
    """az ml compute update --name N [--min-instances] [--max-instances] [--idle-time-before-scale-down]."""
    ml_client = client(args)
    compute = ml_client.compute.get(args.name)
    for key in ("min_instances", "max_instances", "idle_time_before_scale_down"):
        if getattr(args, key) is not None:
            setattr(compute, key, getattr(args, key))
    apply_set(compute, args.set_values)
    return dump(wait(ml_client.compute.begin_update(compute), args))


def compute_delete(args):
    """az ml compute delete --name N [--yes] [--no-wait]."""
    confirm(args)
    wait(client(args).compute.begin_delete(args.name, action=args.action), args)
    return None


def _power(verb: str):
    def power(args):
        wait(getattr(client(args).compute, f"begin_{verb}")(args.name), args)
        return None
    power.__doc__ = f"az ml compute {verb} --name N [--no-wait]."
    return power


def compute_list_nodes(args):
    """az ml compute list-nodes --name N."""
    return dump_all(client(args).compute.list_nodes(args.name))


def compute_list_sizes(args):
    """az ml compute list-sizes [--location L] [--type T]."""
    return dump_all(client(args).compute.list_sizes(location=args.location, compute_type=args.type))


def compute_list_usage(args):
    """az ml compute list-usage [--location L]."""
    return dump_all(client(args).compute.list_usage(location=args.location))
