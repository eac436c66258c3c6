"""`az ml datastore create|show|list|delete` (CLI v2)."""

from __future__ import annotations

from sim.az.mlv2._common import add_flags, client, confirm, dump, dump_all, file_arguments, ml_command, overrides


def register(sub) -> None:
    """Add the `datastore` subgroup's commands."""
    parser = file_arguments(ml_command(sub, "create", datastore_create, "Create a datastore."), file_required=True)
    add_flags(parser, (("--name", "-n"), "Name of the datastore."))
    for verb, handler, text in (("show", datastore_show, "Show details for a datastore."),
                                ("delete", datastore_delete, "Delete a datastore (its data stays in storage).")):
        parser = ml_command(sub, verb, handler, text)
        add_flags(parser, (("--name", "-n"), "Name of the datastore.", {"required": True}))
        if verb == "delete":
            add_flags(parser, (("--yes", "-y"), "Do not prompt for confirmation.", {"action": "store_true"}))
    parser = ml_command(sub, "list", datastore_list, "List datastores in a workspace.")
    add_flags(parser, (("--max-results", "-r"), "Max number of results to return.", {"type": int}))


def datastore_create(args):
    """az ml datastore create --file datastore.yml [--name N]."""
    from azure.ai.ml import load_datastore

    entity = load_datastore(source=args.file, params_override=overrides(args, {"name": "name"}))
    return dump(client(args).datastores.create_or_update(entity))


def datastore_show(args):
    """az ml datastore show --name N."""
    return dump(client(args).datastores.get(args.name))


def datastore_list(args):
    """az ml datastore list."""
    found = dump_all(client(args).datastores.list())
    return found[:args.max_results] if args.max_results else found


def datastore_delete(args):
    """az ml datastore delete --name N (the datastore's reference only, as in Azure)."""
    confirm(args)
    client(args).datastores.delete(args.name)
    return None
