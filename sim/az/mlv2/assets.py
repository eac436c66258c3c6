"""Versioned assets of CLI v2: `az ml data|environment|model|component create|show|list|update|archive|restore`.

The four kinds behave alike in the real CLI (they are all versioned assets of one workspace): `create` from
`--file` and/or flags, `show` by `--version` or `--label`, `list` of names or of one name's versions,
`archive`/`restore` (assets are archived, not deleted), and `update` of a version's mutable fields by `--set`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.az.mlv2._common import (
    SET,
    add_flags,
    apply_set,
    client,
    dump,
    dump_all,
    file_arguments,
    ml_command,
    overrides,
    tags,
)


@dataclass(frozen=True)
class AssetKind:
    """One kind of versioned asset: its noun, its SDK loader and operations, its create flags."""

    group: str  # `az ml <group>`
    noun: str  # as help texts name it
    loader: str  # the azure.ai.ml load_* function
    operations: str  # the MLClient attribute
    fields: dict[str, str]  # flag dest -> YAML key
    flags: tuple = ()  # extra create flags: (flags, help[, kwargs])
    file_required: bool = False
    extra_commands: dict = field(default_factory=dict)  # verb -> (handler, help, flags)


COMMON_FIELDS = {"name": "name", "version": "version", "description": "description", "tags": "tags"}


def register(ml, kind: AssetKind, help_text: str) -> None:
    """Add `az ml <kind.group> ...`."""
    from sim.az._cli import group

    sub = group(ml, kind.group, help_text)
    _register_create(sub, kind)
    _versioned(sub, "show", _show(kind), f"Show details for a {kind.noun}.", kind)
    parser = ml_command(sub, "list", _list(kind), f"List {kind.noun}s in a workspace.")
    add_flags(parser, (("--name", "-n"), f"Name of the {kind.noun}; lists its versions."),
              (("--max-results", "-r"), "Max number of results to return.", {"type": int}),
              (("--include-archived",), "List archived assets and active assets.", {"action": "store_true"}),
              (("--archived-only",), "List archived assets only.", {"action": "store_true"}))
    parser = _versioned(sub, "update", _update(kind), f"Update a {kind.noun}.", kind)
    add_flags(parser, SET)
    _versioned(sub, "archive", _archive(kind, "archive"), f"Archive a {kind.noun}.", kind)
    _versioned(sub, "restore", _archive(kind, "restore"), f"Restore an archived {kind.noun}.", kind)
    for verb, (handler, text, flags) in kind.extra_commands.items():
        add_flags(_versioned(sub, verb, handler, text, kind), *flags)


def _register_create(sub, kind: AssetKind) -> None:
    parser = file_arguments(ml_command(sub, "create", _create(kind), f"Create a {kind.noun}."), kind.file_required)
    add_flags(parser, (("--name", "-n"), f"Name of the {kind.noun}."),
              (("--version", "-v"), f"Version of the {kind.noun}."),
              (("--description", "-d"), f"Description of the {kind.noun}."),
              (("--tags",), "Space-separated tags: key=value.", {"nargs": "+"}),
              (("--skip-validation",), "Skip validation of the specification.", {"action": "store_true"}),
              *kind.flags)


def _versioned(sub, verb, handler, text, kind: AssetKind):
    parser = ml_command(sub, verb, handler, text)
    add_flags(parser, (("--name", "-n"), f"Name of the {kind.noun}.", {"required": True}),
              (("--version", "-v"), f"Version of the {kind.noun}. Must be provided if label is not."),
              (("--label", "-l"), "Label of the asset (e.g. 'latest'). Must be provided if version is not."))
    return parser


def _operations(kind: AssetKind, args):
    return getattr(client(args), kind.operations)


def _create(kind: AssetKind):
    def create(args):
        import azure.ai.ml

        load = getattr(azure.ai.ml, kind.loader)
        entity = load(source=args.file, params_override=overrides(args, {**COMMON_FIELDS, **kind.fields},
                                                                   {"tags": tags}))
        options = {"skip_validation": True} if kind is COMPONENT and args.skip_validation else {}
        return dump(_operations(kind, args).create_or_update(entity, **options))
    create.__doc__ = f"az ml {kind.group} create --file FILE | --name N ..."
    return create


def _show(kind: AssetKind):
    def show(args):
        return dump(_operations(kind, args).get(args.name, version=args.version, label=args.label))
    show.__doc__ = f"az ml {kind.group} show --name N --version V | --label L."
    return show


def _list(kind: AssetKind):
    def list_assets(args):
        from azure.ai.ml.constants import ListViewType

        view = (ListViewType.ARCHIVED_ONLY if args.archived_only else ListViewType.ALL if args.include_archived
                else ListViewType.ACTIVE_ONLY)
        found = dump_all(_operations(kind, args).list(name=args.name, list_view_type=view))
        return found[:args.max_results] if args.max_results else found
    list_assets.__doc__ = f"az ml {kind.group} list [--name N]."
    return list_assets


def _update(kind: AssetKind):
    def update(args):
        operations = _operations(kind, args)
        entity = apply_set(operations.get(args.name, version=args.version, label=args.label), args.set_values)
        return dump(operations.create_or_update(entity))
    update.__doc__ = f"az ml {kind.group} update --name N --version V --set property=value."
    return update


def _archive(kind: AssetKind, verb: str):
    def archive(args):
        getattr(_operations(kind, args), verb)(args.name, version=args.version, label=args.label)
        return None
    archive.__doc__ = f"az ml {kind.group} {verb} --name N [--version V | --label L]."
    return archive


def model_download(args):
    """az ml model download --name N --version V [--download-path P]."""
    client(args).models.download(args.name, args.version, download_path=args.download_path)
    return None


DATA = AssetKind("data", "data asset", "load_data", "data", {"path": "path", "type": "type", "datastore": "datastore"},
                 ((("--path", "-p"), "Path to the data asset: a local path or a cloud URI."),
                  (("--type", "-t"), "Type of the data asset.", {"choices": ["uri_file", "uri_folder", "mltable"]}),
                  (("--datastore",), "The datastore to upload the local artifact to.")))
ENVIRONMENT = AssetKind("environment", "environment", "load_environment", "environments",
                        {"image": "image", "conda_file": "conda_file", "build_context": "build.path",
                         "dockerfile_path": "build.dockerfile_path", "os_type": "os_type", "datastore": "datastore"},
                        ((("--image", "-i"), "Docker image."),
                         (("--conda-file", "-c"), "Local path to a conda specification file."),
                         (("--build-context", "-b"), "Local path to the directory to use as a Docker build context."),
                         (("--dockerfile-path",), "Path to the Dockerfile relative to the build context."),
                         (("--os-type",), "Type of operating system.", {"choices": ["linux", "windows"]}),
                         (("--datastore",), "The datastore to upload the local artifact to.")))
MODEL = AssetKind("model", "model", "load_model", "models",
                  {"path": "path", "type": "type", "stage": "stage", "datastore": "datastore"},
                  ((("--path", "-p"), "Path to the model files: a local path, an azureml:// or runs:/ URI."),
                   (("--type", "-t"), "Type of the model.",
                    {"choices": ["custom_model", "mlflow_model", "triton_model"]}),
                   (("--stage", "-s"), "Stage of the model (e.g. Development, Production)."),
                   (("--datastore",), "The datastore to upload the local artifact to.")),
                  extra_commands={"download": (model_download, "Download all model-related files.",
                                               ((("--download-path", "-p"), "Where to download the files.",
                                                 {"default": "."}),))})
COMPONENT = AssetKind("component", "component", "load_component", "components", {}, file_required=True)
KINDS = ((DATA, "Manage Azure ML data assets."), (ENVIRONMENT, "Manage Azure ML environments."),
         (MODEL, "Manage Azure ML models."), (COMPONENT, "Manage Azure ML components."))
