"""`az ml job create|show|list|stream|cancel|download|update|archive|restore|validate|show-services` (CLI v2)."""

from __future__ import annotations

import sys

from sim import messages
from sim.az.mlv2._common import (
    NO_WAIT,
    SET,
    add_flags,
    apply_set,
    client,
    dump,
    dump_all,
    file_arguments,
    ml_command,
    overrides,
    wait,
)

JOB_UPDATABLE = ("display_name", "description", "tags", "properties")


CREATE_FLAGS = (
    (("--name", "-n"), "Name of the job."),
    (("--stream", "-s"), "Stream the job's logs to the console until it finishes.", {"action": "store_true"}),
    (("--web", "-e"), "Show the job in the studio (this simulator prints its address).", {"action": "store_true"}),
    (("--save-as", "-a"), "File name to which the created job's YAML is written."),
    (("--skip-validation",), "Skip validation of the job.", {"action": "store_true"}),
)
LIST_FLAGS = (
    (("--parent-job-name", "-p"), "Name of the parent job: lists its child jobs."),
    (("--max-results", "-r"), "Max number of results to return (default 50).", {"type": int, "default": 50}),
    (("--all-results",), "Return all results.", {"action": "store_true"}),
    (("--include-archived",), "List archived jobs and active jobs.", {"action": "store_true"}),
    (("--archived-only",), "List archived jobs only.", {"action": "store_true"}),
)
DOWNLOAD_FLAGS = (
    (("--download-path", "-p"), "Where to download the files.", {"default": "."}),
    (("--output-name",), "Name of the user-defined output to download."),
    (("--all",), "Download all outputs and logs.", {"action": "store_true"}),
)


def register(sub) -> None:
    """Add the `job` subgroup's commands."""
    add_flags(file_arguments(ml_command(sub, "create", job_create, "Create a job."), file_required=True),
              *CREATE_FLAGS)
    for verb, handler, text in (("show", job_show, "Show details for a job."),
                                ("stream", job_stream, "Stream job logs to the console."),
                                ("archive", job_archive, "Archive a job."),
                                ("restore", job_restore, "Restore an archived job.")):
        _named(sub, verb, handler, text)
    add_flags(_named(sub, "cancel", job_cancel, "Cancel a job."), NO_WAIT)
    add_flags(ml_command(sub, "list", job_list, "List jobs in a workspace."), *LIST_FLAGS)
    add_flags(_named(sub, "download", job_download, "Download all job-related files."), *DOWNLOAD_FLAGS)
    add_flags(_named(sub, "update", job_update, "Update a job's display name, description, tags or properties."),
              SET)
    file_arguments(ml_command(sub, "validate", job_validate, "Validate a job specification."), file_required=True)
    add_flags(_named(sub, "show-services", job_show_services, "Show the services of a job per node."),
              (("--node-index", "-i"), "The node index.", {"type": int, "default": 0}))


def _named(sub, verb, handler, text):
    parser = ml_command(sub, verb, handler, text)
    parser.add_argument("--name", "-n", required=True, help="Name of the job.")
    return parser


def _load(args):
    from azure.ai.ml import load_job

    return load_job(source=args.file, params_override=overrides(args, {"name": "name"}))


def job_create(args):
    """az ml job create --file job.yml [--name N] [--set k=v] [--stream]."""
    ml_client = client(args)
    job = ml_client.jobs.create_or_update(_load(args), skip_validation=args.skip_validation)
    if args.save_as:
        job.dump(args.save_as)
    if args.web:
        print(messages.AZ_ML_NO_BROWSER.format(url=job.studio_url), file=sys.stderr)
    if args.stream:
        ml_client.jobs.stream(job.name)
        job = ml_client.jobs.get(job.name)
    return dump(job)


def job_show(args):
    """az ml job show --name N."""
    return dump(client(args).jobs.get(args.name))


def job_list(args):
    """az ml job list [--parent-job-name P] [--max-results N | --all-results]."""
    from azure.ai.ml.constants import ListViewType

    view = (ListViewType.ARCHIVED_ONLY if args.archived_only else ListViewType.ALL if args.include_archived
            else ListViewType.ACTIVE_ONLY)
    found = dump_all(client(args).jobs.list(parent_job_name=args.parent_job_name, list_view_type=view))
    return found if args.all_results else found[:args.max_results]


def job_stream(args):
    """az ml job stream --name N: the job's logs until it finishes."""
    client(args).jobs.stream(args.name)
    return None


def job_cancel(args):
    """az ml job cancel --name N."""
    wait(client(args).jobs.begin_cancel(args.name), args)
    return None


def job_download(args):
    """az ml job download --name N [--download-path P] [--output-name O | --all]."""
    client(args).jobs.download(args.name, download_path=args.download_path, output_name=args.output_name,
                               all=args.all)
    return None


def job_update(args):
    """az ml job update --name N --set display_name=... description=... tags.k=v."""
    ml_client = client(args)
    job = apply_set(ml_client.jobs.get(args.name), args.set_values)
    changes = {key: getattr(job, key, None) for key in JOB_UPDATABLE}
    return dump(ml_client.jobs.update(args.name, **changes))


def job_archive(args):
    """az ml job archive --name N."""
    client(args).jobs.archive(args.name)
    return None


def job_restore(args):
    """az ml job restore --name N."""
    client(args).jobs.restore(args.name)
    return None


def job_validate(args):
    """az ml job validate --file job.yml: the validation result, as the SDK reports it."""
    result = client(args).jobs.validate(_load(args))
    return result._to_dict()


def job_show_services(args):
    """az ml job show-services --name N [--node-index I]."""
    services = client(args).jobs.show_services(args.name, node_index=args.node_index) or {}
    return {name: dump(service) for name, service in services.items()}
