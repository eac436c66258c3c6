"""Simulated `azureml.core.workspace`: the Workspace class, delegating to `sim.cloud.workspaces`.

Supported: create, get, from_config, write_config, list, delete, update, get_details, the properties and
asset dictionaries, default datastore and key vault, the MLflow tracking URI, get_run. Private
endpoints, connections, keys and diagnostics are not simulated and say so.
"""

from __future__ import annotations

import importlib
import json
import logging
import time
from pathlib import Path

import sim.cloud.access
import sim.cloud.workspaces
from sim import messages
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml._common.service_errors import v1_service
from sim.azureml.exceptions import UserErrorException
from sim.cloud import regions
from sim.cloud.errors import WORKSPACE

access = v1_service(sim.cloud.access)
_workspaces = v1_service(sim.cloud.workspaces)

_log = logging.getLogger(__name__)
WORKSPACE_READ = "Microsoft.MachineLearningServices/workspaces/read"
_CONFIG_DIRS = (".azureml", "aml_config", None)  # searched in this order, as the real SDK does
_CONFIG_FILES = ("config.json", "project.json")


class Workspace:
    """A simulated Azure Machine Learning workspace.

    `Workspace(subscription_id, resource_group, workspace_name)` gets an existing workspace; use
    `Workspace.create` to make one and `Workspace.from_config()` to load the one in config.json.
    """

    DEFAULT_CPU_CLUSTER_NAME = "cpu-cluster"
    DEFAULT_GPU_CLUSTER_NAME = "gpu-cluster"

    def __init__(self, subscription_id, resource_group, workspace_name, auth=None, _location=None,
                 _disable_service_check=False, _workspace_id=None, sku="basic", tags=None,
                 _cloud="AzureCloud"):
        self._record = _readable(_workspaces.get(subscription_id, resource_group, workspace_name))
        self._auth = auth

    @classmethod
    def _from_record(cls, record, auth=None) -> Workspace:
        """A Workspace object for a cloud record, without another lookup."""
        ws = cls.__new__(cls)
        ws._record = record
        ws._auth = auth
        return ws

    # ---- lifecycle --------------------------------------------------------------------------------

    @staticmethod
    def create(name, auth=None, subscription_id=None, resource_group=None, location=None,
               create_resource_group=True, sku="basic", tags=None, friendly_name=None, storage_account=None,
               key_vault=None, app_insights=None, container_registry=None, adb_workspace=None,
               primary_user_assigned_identity=None, cmk_keyvault=None, resource_cmk_uri=None,
               hbi_workspace=False, default_cpu_compute_target=None, default_gpu_compute_target=None,
               private_endpoint_config=None, private_endpoint_auto_approval=True, exist_ok=False,
               show_output=True, user_assigned_identity_for_cmk_encryption=None,
               system_datastores_auth_mode="accessKey", v1_legacy_mode=None):
        """Create a workspace with its storage account, key vault and Application Insights.

        Existing resources can be given by their Azure resource ids. A container registry comes only when given:
        otherwise Azure creates one at the workspace's first image build, and `get_details()` lists none until then.

        Returns:
            Workspace: the new workspace (or the existing one when exist_ok=True).

        Raises:
            UserErrorException: a name or id is invalid.
            WorkspaceException: the workspace exists (without exist_ok), or the region is unknown.
        """
        if private_endpoint_config is not None:
            not_simulated("Workspace.create(private_endpoint_config=...)")
        tags = dict(tags or {})
        tags.setdefault("createdByToolkit", f"sdk-v1-{_version()}")
        existed = bool(subscription_id and resource_group and
                       _workspaces.find(subscription_id, resource_group, name))
        started = time.perf_counter()
        record = _workspaces.create(subscription_id, resource_group, name, location=location, sku=sku,
                                    create_resource_group=create_resource_group, exist_ok=exist_ok,
                                    friendly_name=friendly_name, tags=tags, hbi_workspace=hbi_workspace,
                                    associated={"storage_account": storage_account, "key_vault": key_vault,
                                                "application_insights": app_insights,
                                                "container_registry": container_registry})
        if show_output and not existed:
            _print_deployment(record, time.perf_counter() - started)
        return Workspace._from_record(record, auth)

    @staticmethod
    def get(name, auth=None, subscription_id=None, resource_group=None, location=None, cloud="AzureCloud",
            id=None):
        """Get an existing workspace by name (subscription and resource group narrow the search).

        Raises:
            ProjectSystemException: no workspace of that name.
            WorkspaceException: several workspaces match (pass subscription_id and resource_group).
        """
        if id is not None:
            subscription_id, resource_group, name = _parse_arm_id(id)
        record = _readable(_workspaces.get_by_name(name, subscription_id, resource_group))
        if location and regions.normalize_region(location) != record.location:
            raise UserErrorException(messages.WORKSPACE_WRONG_LOCATION.format(
                name=name, actual=record.location, location=location))
        return Workspace._from_record(record, auth)

    @staticmethod
    def from_config(path=None, auth=None, _logger=None, _file_name=None):
        """Load the workspace named in a config file.

        Looks in `path` (default: the current folder) and each parent for `.azureml/config.json`, then
        `aml_config/config.json`, then `config.json`; `path` may also be the file itself.

        Raises:
            UserErrorException: no config file, or it lacks subscription_id/resource_group/workspace_name.
            ProjectSystemException: the workspace it names does not exist.
        """
        found = _find_config(Path(path or "."), _file_name)
        subscription_id, resource_group, name = _read_config(found)
        (_logger or _log).info("Found the config file in: %s", found)
        return Workspace.get(name, auth=auth, subscription_id=subscription_id, resource_group=resource_group)

    def write_config(self, path=None, file_name=None):
        """Write the workspace's identity to `<path>/.azureml/config.json` for `from_config`.

        Args:
            path: the folder to write into (default: the current folder).
            file_name: the file name (default: config.json).
        """
        base = Path(path or ".").expanduser()
        folder = base / ("aml_config" if (base / "aml_config").is_dir() else ".azureml")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            name = file_name if not file_name or file_name.endswith(".json") else f"{file_name}.json"
            (folder / (name or "config.json")).write_text(json.dumps({"Id": None, "Scope": self._record.arm_id}))
        except OSError as exc:
            raise UserErrorException(messages.CONFIG_WRITE_FAILED.format(folder=folder, error=exc)) from exc

    @staticmethod
    def list(subscription_id, auth=None, resource_group=None):
        """Every workspace of a subscription (or resource group) as {name: [Workspace, ...]}."""
        result: dict[str, list[Workspace]] = {}
        for record in _workspaces.list_workspaces(subscription_id, resource_group):
            result.setdefault(record.name, []).append(Workspace._from_record(record, auth))
        return result

    def delete(self, delete_dependent_resources=False, no_wait=False):
        """Delete the workspace, its assets and (offline, always) its associated resources."""
        _workspaces.delete(self._record)

    def update(self, friendly_name=None, description=None, tags=None, image_build_compute=None,
               service_managed_resources_settings=None, primary_user_assigned_identity=None,
               allow_public_access_when_behind_vnet=None, v1_legacy_mode=None):
        """Change the friendly name, description or tags; returns the new details."""
        changes = {k: v for k, v in (("friendly_name", friendly_name), ("description", description),
                                     ("tags", tags)) if v is not None}
        self._record = _workspaces.update(self._record, **changes)
        return self.get_details()

    # ---- properties -------------------------------------------------------------------------------

    @property
    def name(self):
        """The workspace name."""
        return self._record.name

    @property
    def subscription_id(self):
        """The subscription id."""
        return self._record.subscription_id

    @property
    def resource_group(self):
        """The resource group name."""
        return self._record.resource_group

    @property
    def location(self):
        """The region, e.g. 'eastus'."""
        return self._record.location

    @property
    def sku(self):
        """The edition ('basic' or 'enterprise')."""
        return self._record.sku

    @property
    def tags(self):
        """The workspace's tags."""
        return dict(self._record.tags)

    @property
    def _workspace_id(self):
        """The workspace's GUID (private in the real SDK too, but Microsoft's own notebooks read it)."""
        return self._record.workspace_id

    @property
    def discovery_url(self):
        """The (simulated) service discovery URL."""
        return f"sim://{self._record.location}/discovery"

    @property
    def service_context(self):
        """Internal service context of the real SDK; not simulated."""
        not_simulated("Workspace.service_context")

    @property
    def private_endpoints(self):
        """Private endpoints are not simulated: a workspace has none."""
        return {}

    @property
    def linked_services(self):
        """Linked (Synapse) services are not simulated: a workspace has none."""
        return {}

    @property
    def images(self):
        """Container images (deprecated in the SDK); the simulator keeps none."""
        return {}

    @property
    def compute_targets(self):
        """Every compute target as {name: ComputeTarget}."""
        from sim.azureml.core.compute import ComputeTarget

        return {target.name: target for target in ComputeTarget.list(self)}

    @property
    def datastores(self):
        """Every datastore as {name: Datastore}."""
        datastore = _owner_module("sim.azureml.core.datastore", "Workspace.datastores")
        return {store.name: store for store in datastore.Datastore._list(self)}

    @property
    def datasets(self):
        """Every registered dataset (latest version) as {name: dataset}."""
        dataset = _owner_module("sim.azureml.core.dataset", "Workspace.datasets")
        return dataset.Dataset.get_all(self)

    @property
    def experiments(self):
        """Every experiment as {name: Experiment}."""
        experiment = _owner_module("sim.azureml.core.experiment", "Workspace.experiments")
        return {exp.name: exp for exp in experiment.Experiment.list(self)}

    @property
    def environments(self):
        """Every registered and curated environment as {name: Environment}."""
        environment = _owner_module("sim.azureml.core.environment", "Workspace.environments")
        return environment.Environment.list(self)

    @property
    def models(self):
        """Every registered model (latest version) as {name: Model}."""
        model = _owner_module("sim.azureml.core.model", "Workspace.models")
        latest: dict = {}
        for item in model.Model.list(self):
            if item.name not in latest or item.version > latest[item.name].version:
                latest[item.name] = item
        return latest

    @property
    def webservices(self):
        """Every deployed web service as {name: Webservice}."""
        webservice = _owner_module("sim.azureml.core.webservice", "Workspace.webservices")
        return {service.name: service for service in webservice.Webservice.list(self)}

    # ---- defaults and connections -----------------------------------------------------------------

    def get_default_datastore(self):
        """The workspace's default datastore (`workspaceblobstore` unless changed)."""
        datastore = _owner_module("sim.azureml.core.datastore", "Workspace.get_default_datastore")
        return datastore.Datastore.get_default(self)

    def set_default_datastore(self, name):
        """Make the named datastore the default."""
        datastore = _owner_module("sim.azureml.core.datastore", "Workspace.set_default_datastore")
        datastore.Datastore.get(self, name).set_as_default()

    def get_default_keyvault(self):
        """The workspace's key vault."""
        from sim.azureml.core.keyvault import Keyvault

        return Keyvault(self)

    def get_default_compute_target(self, type):
        """Deprecated in the SDK: the default compute target of a type ('CPU'/'GPU'), or None."""
        name = {"CPU": self.DEFAULT_CPU_CLUSTER_NAME, "GPU": self.DEFAULT_GPU_CLUSTER_NAME}.get(str(type).upper())
        return self.compute_targets.get(name) if name else None

    def get_mlflow_tracking_uri(self, _with_auth=False):
        """The MLflow tracking URI of the workspace's own store (the real `mlflow` client can open it): its file here,
        or, when the simulated Azure runs as its own service, the `azureml://` URI Azure gives, which MLflow's client
        follows to the service (this process may not see the store's file)."""
        from sim.azureml._common.cloud import in_process

        if in_process():
            return self._record.mlflow_uri
        return f"azureml://{self._record.location}.api.azureml.ms/mlflow/v1.0{self._record.arm_id}"

    def get_run(self, run_id):
        """The run with this id, in whichever experiment it belongs to."""
        run = _owner_module("sim.azureml.core.run", "Workspace.get_run")
        return run.Run.get(self, run_id)

    def get_details(self):
        """The workspace's details as the service returns them (ids of the associated resources too).

        `containerRegistry` is absent until the workspace has a registry (its first image build), as in Azure.
        """
        r = _workspaces.find(self._record.subscription_id, self._record.resource_group, self._record.name) \
            or self._record  # the registry may have been created since this object was made
        details = {
            "id": r.arm_id, "name": r.name, "identity": {"type": "SystemAssigned"}, "location": r.location,
            "type": "Microsoft.MachineLearningServices/workspaces", "tags": dict(r.tags), "sku": _sku_label(r.sku),
            "workspaceid": r.workspace_id, "description": r.description, "friendlyName": r.friendly_name,
            "creationTime": r.creation_time, "containerRegistry": r.container_registry, "keyVault": r.key_vault,
            "applicationInsights": r.application_insights, "storageAccount": r.storage_account,
            "hbiWorkspace": r.hbi_workspace, "provisioningState": "Succeeded", "discoveryUrl": self.discovery_url,
            "notebookInfo": {}, "systemDatastoresAuthMode": "accessKey", "v1LegacyMode": False,
        }
        if not r.container_registry:
            del details["containerRegistry"]
        return details

    # ---- not simulated ----------------------------------------------------------------------------

    def add_private_endpoint(self, private_endpoint_config, private_endpoint_auto_approval=True, location=None,
                             show_output=True, tags=None):
        """Not simulated: private endpoints need a virtual network."""
        not_simulated("Workspace.add_private_endpoint")

    def delete_private_endpoint_connection(self, private_endpoint_connection_name):
        """Not simulated: private endpoints need a virtual network."""
        not_simulated("Workspace.delete_private_endpoint_connection")

    def list_keys(self):
        """Not simulated: the simulated storage account and registry have no keys."""
        not_simulated("Workspace.list_keys")

    def sync_keys(self, no_wait=False):
        """Not simulated: the simulated storage account and registry have no keys."""
        not_simulated("Workspace.sync_keys")

    def diagnose_workspace(self, diagnose_parameters):
        """Not simulated: there is no network set-up to diagnose."""
        not_simulated("Workspace.diagnose_workspace")

    def get_connection(self, name):
        """Not simulated: workspace connections."""
        not_simulated("Workspace.get_connection")

    def set_connection(self, name, category, target, authType, value):
        """Not simulated: workspace connections."""
        not_simulated("Workspace.set_connection")

    def list_connections(self, category=None, target=None):
        """Not simulated: workspace connections."""
        not_simulated("Workspace.list_connections")

    def delete_connection(self, name):
        """Not simulated: workspace connections."""
        not_simulated("Workspace.delete_connection")

    def update_dependencies(self, container_registry=None, force=False):
        """Not simulated: associated resources are fixed at creation."""
        not_simulated("Workspace.update_dependencies")

    @staticmethod
    def setup():
        """Not simulated: create a workspace with Workspace.create instead."""
        not_simulated("Workspace.setup")

    # ---- object protocol --------------------------------------------------------------------------

    def __repr__(self):
        return (f"Workspace.create(name='{self.name}', subscription_id='{self.subscription_id}', "
                f"resource_group='{self.resource_group}')")

    def __eq__(self, other):
        return isinstance(other, Workspace) and other._record.arm_id.lower() == self._record.arm_id.lower()

    def __hash__(self):
        return hash(self._record.arm_id.lower())


# ---- helpers ---------------------------------------------------------------------------------------

def _readable(record):
    """The record, once the caller is allowed to read the workspace (as Azure checks on every GET)."""
    access.authorize(record, WORKSPACE_READ, family=WORKSPACE)  # refused: ProjectSystemException
    return record


def _version() -> str:
    from sim.azureml.core import VERSION

    return VERSION


def _sku_label(sku: str) -> str:
    return "Basic" if sku == "basic" else "Enterprise"


def _owner_module(module_name: str, member: str):
    """Import another owner's facade module, or say clearly that it is not there yet."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            raise UserErrorException(messages.ASSET_MODULE_MISSING.format(what=member, module=module_name)) from exc
        raise


def _print_deployment(record, seconds: float) -> None:
    """The progress lines the real SDK prints while ARM deploys the workspace and its resources."""
    names = {label: rid.rsplit("/", 1)[-1] for label, rid in (
        ("KeyVault", record.key_vault), ("StorageAccount", record.storage_account),
        ("AppInsights", record.application_insights))}
    took = f"Took {seconds:.2f} seconds."
    for label, name in names.items():
        print(f"Deploying {label} with name {name}.")
    print(f"Deployed AppInsights with name {names['AppInsights']}. {took}")
    print(f"Deploying Workspace with name {record.name}.")
    for label in ("KeyVault", "StorageAccount"):
        print(f"Deployed {label} with name {names[label]}. {took}")
    print(f"Deployed Workspace with name {record.name}. {took}")


def _parse_arm_id(arm_id: str) -> tuple[str, str, str]:
    parts = str(arm_id).strip("/").split("/")
    try:
        return parts[1], parts[3], parts[7]
    except IndexError:
        raise UserErrorException(messages.WORKSPACE_ID_INVALID.format(arm_id=arm_id)) from None


def _find_config(start: Path, file_name: str | None) -> Path:
    start = start.expanduser().resolve()
    if start.is_file():
        return start
    names = (file_name,) if file_name else _CONFIG_FILES
    for sub in _CONFIG_DIRS:
        for name in names:
            for folder in (start, *start.parents):
                candidate = folder / sub / name if sub else folder / name
                if candidate.is_file():
                    return candidate
    raise UserErrorException(messages.CONFIG_NOT_FOUND.format(path=start, file_name=file_name or "config.json"))


def _read_config(found: Path) -> tuple[str, str, str]:
    try:
        config = json.loads(found.read_text())
    except (OSError, ValueError) as exc:
        raise UserErrorException(messages.CONFIG_INVALID_JSON.format(path=found, error=exc)) from exc
    scope = config.get("Scope") if isinstance(config, dict) else None
    if scope:
        return _parse_arm_id(scope)
    required = ("subscription_id", "resource_group", "workspace_name")
    missing = [k for k in required if not isinstance(config, dict) or not config.get(k)]
    if missing:
        raise UserErrorException(messages.CONFIG_MISSING_KEYS.format(path=found, keys=", ".join(missing)))
    return config["subscription_id"], config["resource_group"], config["workspace_name"]


