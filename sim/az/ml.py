"""`az ml ...` of the Azure CLI ML extension v1 (azure-cli-ml), on the simulated workspace.

Commands delegate to the SDK facade, as the real extension is built on the SDK, so both agree.
Commands that act in a workspace take `--workspace-name/-w` and `--resource-group/-g`, or find them in
the config.json of `--path/-p` (default: the current folder), as the real extension does.
"""

from __future__ import annotations

import importlib

from sim import messages
from sim.az._cli import AzError, command, group
from sim.cloud import workspaces as _workspaces
from sim.service.routed import routed

cloud_workspaces = routed(_workspaces)  # through the simulated Azure service when it runs as its own process


def register(subparsers) -> None:
    """Add the `ml` command group."""
    ml = group(subparsers, "ml", "Manage Azure Machine Learning resources (CLI v1, azure-cli-ml).")
    _register_workspace(group(ml, "workspace", "Workspace subgroup commands."))
    _register_computetarget(group(ml, "computetarget", "Compute target subgroup commands."))
    datastore = group(ml, "datastore", "Datastore subgroup commands.")
    _with_workspace(command(datastore, "list", datastore_list, "List datastores in the workspace."))
    model = group(ml, "model", "Model subgroup commands.")
    parser = _with_workspace(command(model, "list", model_list, "List models in the workspace."))
    parser.add_argument("--model-name", "-n", help="Only models with this name.")
    parser.add_argument("--tag", action="append", default=[], help="Key or key=value tag to filter by.")
    parser.add_argument("--latest", "-l", action="store_true", help="Only the latest version of each model.")
    run = group(ml, "run", "Run subgroup commands.")
    parser = _with_workspace(command(run, "list", run_list, "List runs."))
    parser.add_argument("--experiment-name", "-e", help="Only runs of this experiment.")
    parser.add_argument("--compute-target-name", help="Only runs on this compute target.")


def _with_workspace(parser, workspace_required: bool = False):
    parser.add_argument("--workspace-name", "-w", required=workspace_required, help="Workspace name.")
    parser.add_argument("--resource-group", "-g", required=workspace_required, help="Resource group name.")
    parser.add_argument("--subscription-id", help="Subscription id.")
    parser.add_argument("--path", "-p", default=".", help="Folder holding the workspace config.json.")
    return parser


def _subscription(args) -> str:
    return args.subscription_id or args.subscription or cloud_workspaces.DEFAULT_SUBSCRIPTION_ID


def _workspace(args):
    """The Workspace the command acts in, from -w/-g or from config.json under --path."""
    from sim.azureml.core.workspace import Workspace

    if args.workspace_name and args.resource_group:
        return Workspace(_subscription(args), args.resource_group, args.workspace_name)
    if args.workspace_name or args.resource_group:
        raise AzError(messages.AZ_WORKSPACE_ARGS)
    return Workspace.from_config(path=args.path)


# ---- az ml workspace ---------------------------------------------------------------------------------

def _register_workspace(sub) -> None:
    parser = command(sub, "create", workspace_create, "Create a workspace.")
    parser.add_argument("--workspace-name", "-w", required=True, help="Workspace name.")
    parser.add_argument("--resource-group", "-g", required=True, help="Resource group name.")
    parser.add_argument("--location", "-l", help="Region (default: the resource group's).")
    parser.add_argument("--sku", default="basic", help="basic or enterprise.")
    parser.add_argument("--friendly-name", "-f", help="Friendly name.")
    parser.add_argument("--exist-ok", action="store_true", help="Do not fail if the workspace exists.")
    parser.add_argument("--yes", "-y", action="store_true", help="Create the resource group if needed.")
    parser.add_argument("--subscription-id", help="Subscription id.")
    for verb, handler, text in (("show", workspace_show, "Show a workspace."),
                                ("delete", workspace_delete, "Delete a workspace.")):
        parser = _with_workspace(command(sub, verb, handler, text))
        if verb == "delete":
            parser.add_argument("--all-resources", action="store_true", help="Delete dependent resources too.")
            parser.add_argument("--no-wait", action="store_true", help="Do not wait for the deletion.")
    parser = command(sub, "list", workspace_list, "List workspaces.")
    parser.add_argument("--resource-group", "-g", help="Only this resource group.")
    parser.add_argument("--subscription-id", help="Subscription id.")


def workspace_create(args):
    """az ml workspace create -w NAME -g RG [-l LOCATION]."""
    from sim.azureml.core.workspace import Workspace

    ws = Workspace.create(args.workspace_name, subscription_id=_subscription(args),
                          resource_group=args.resource_group, location=args.location, sku=args.sku,
                          friendly_name=args.friendly_name, exist_ok=args.exist_ok, show_output=False)
    return ws.get_details()


def workspace_show(args):
    """az ml workspace show."""
    return _workspace(args).get_details()


def workspace_list(args):
    """az ml workspace list [-g RG]."""
    records = cloud_workspaces.list_workspaces(_subscription(args), args.resource_group)
    return [{"location": r.location, "resourceGroup": r.resource_group, "subscriptionId": r.subscription_id,
             "workspaceName": r.name} for r in records]


def workspace_delete(args):
    """az ml workspace delete."""
    _workspace(args).delete(delete_dependent_resources=args.all_resources, no_wait=args.no_wait)
    return None


# ---- az ml computetarget -----------------------------------------------------------------------------

def _register_computetarget(sub) -> None:
    create = group(sub, "create", "Create a compute target (amlcompute or computeinstance).")
    parser = _with_workspace(command(create, "amlcompute", computetarget_create_amlcompute,
                                     "Create an AzureML compute target."))
    parser.add_argument("--name", "-n", required=True, help="Compute target name.")
    parser.add_argument("--vm-size", "-s", default="STANDARD_NC6", help="VM size.")
    parser.add_argument("--max-nodes", "-M", type=int, required=True, help="Maximum number of nodes.")
    parser.add_argument("--min-nodes", "-m", type=int, default=0, help="Minimum number of nodes.")
    parser.add_argument("--idle-seconds-before-scaledown", type=int, default=1800, help="Idle seconds.")
    parser.add_argument("--vm-priority", choices=["dedicated", "lowpriority"], default="dedicated",
                        help="dedicated or lowpriority.")
    parser.add_argument("--location", "-l", help="Region of the compute (default: the workspace's).")
    parser.add_argument("--description", help="Description.")
    parser = _with_workspace(command(create, "computeinstance", computetarget_create_instance,
                                     "Create an AzureML compute instance target."))
    parser.add_argument("--name", "-n", required=True, help="Compute instance name.")
    parser.add_argument("--vm-size", "-s", default="STANDARD_DS3_V2", help="VM size.")
    parser.add_argument("--description", help="Description.")
    _with_workspace(command(sub, "list", computetarget_list, "List compute targets in the workspace."))
    for verb, handler, text in (("show", computetarget_show, "Show a compute target."),
                                ("delete", computetarget_delete, "Delete a compute target.")):
        parser = _with_workspace(command(sub, verb, handler, text))
        parser.add_argument("--name", "-n", required=True, help="Compute target name.")


def computetarget_create_amlcompute(args):
    """az ml computetarget create amlcompute -n NAME --max-nodes N -s SIZE."""
    from sim.azureml.core.compute import AmlCompute, ComputeTarget

    config = AmlCompute.provisioning_configuration(
        vm_size=args.vm_size, vm_priority=args.vm_priority, min_nodes=args.min_nodes, max_nodes=args.max_nodes,
        idle_seconds_before_scaledown=args.idle_seconds_before_scaledown, description=args.description,
        location=args.location)
    target = ComputeTarget.create(_workspace(args), args.name, config)
    target.wait_for_completion()
    return target.serialize()


def computetarget_create_instance(args):
    """az ml computetarget create computeinstance -n NAME -s SIZE."""
    from sim.azureml.core.compute import ComputeInstance, ComputeTarget

    config = ComputeInstance.provisioning_configuration(vm_size=args.vm_size, description=args.description)
    target = ComputeTarget.create(_workspace(args), args.name, config)
    target.wait_for_completion()
    return target.serialize()


def computetarget_list(args):
    """az ml computetarget list."""
    from sim.azureml.core.compute import ComputeTarget

    return [{"location": t.location, "name": t.name, "provisioningState": t.provisioning_state,
             "type": t.type} for t in ComputeTarget.list(_workspace(args))]


def computetarget_show(args):
    """az ml computetarget show -n NAME."""
    from sim.azureml.core.compute import ComputeTarget

    return ComputeTarget(_workspace(args), args.name).serialize()


def computetarget_delete(args):
    """az ml computetarget delete -n NAME."""
    from sim.azureml.core.compute import ComputeTarget

    ComputeTarget(_workspace(args), args.name).delete()
    return None


# ---- az ml datastore / model / run list --------------------------------------------------------------

def _owner(module_name: str, command_name: str):
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise AzError(messages.AZ_NOT_AVAILABLE.format(
                command=command_name, reason=f"{module_name} is not part of the simulator yet")) from exc
        raise


def _datastore_json(store) -> dict:
    fields = {"name": "name", "datastore_type": "datastoreType", "account_name": "accountName",
              "container_name": "containerName", "protocol": "protocol", "endpoint": "endpoint",
              "server_name": "serverName", "database_name": "databaseName", "filesystem": "filesystem"}
    data = {camel: getattr(store, attr, None) for attr, camel in fields.items()}
    return {k: v for k, v in data.items() if v is not None}


def datastore_list(args):
    """az ml datastore list."""
    datastore = _owner("sim.azureml.core.datastore", "ml datastore list")
    return [_datastore_json(store) for store in datastore.Datastore._list(_workspace(args))]


def _tag_filter(raw: list[str]):
    tags = []
    for item in raw:
        key, _, value = item.partition("=")
        tags.append([key, value] if value else key)
    return tags or None


def model_list(args):
    """az ml model list [-n NAME] [--tag key=value] [-l]."""
    model = _owner("sim.azureml.core.model", "ml model list")
    found = model.Model.list(_workspace(args), name=args.model_name, tags=_tag_filter(args.tag),
                             latest=args.latest)
    return [m.serialize() for m in found]


def run_list(args):
    """az ml run list [-e EXPERIMENT] [--compute-target-name NAME]."""
    experiment = _owner("sim.azureml.core.experiment", "ml run list")
    ws = _workspace(args)
    names = [e.name for e in experiment.Experiment.list(ws)]
    if args.experiment_name:
        if args.experiment_name not in names:
            raise AzError(messages.AZ_EXPERIMENT_NOT_FOUND.format(name=args.experiment_name, workspace=ws.name))
        names = [args.experiment_name]
    runs = []
    for name in names:
        for run in experiment.Experiment(ws, name).get_runs():
            details = run.get_details()
            if args.compute_target_name and details.get("target") != args.compute_target_name:
                continue
            runs.append({**details, "experimentName": name})
    return runs
