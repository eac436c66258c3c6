"""Workspaces and resource groups of the simulated cloud.

Layout under `dp100.paths.workspaces_dir()`:
`subscriptions/<sub>/resourceGroups/<rg>/resourceGroup.json` and
`subscriptions/<sub>/resourceGroups/<rg>/workspaces/<name>/` (the workspace folder: `workspace.json`,
`state.db`, `mlflow.db`, `mlartifacts/`, `storage/`, `keyvault/`). Azure resource names are
case-insensitive, so folder names are lower-case while the records keep the names as given.

Other cloud modules hook into a workspace's life through `CREATED_HOOKS` / `DELETED_HOOKS` (module,
function) pairs called here, so that default datastores appear with the workspace and scoring servers
stop with it. A module that is not written yet is skipped.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import re
import secrets
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dp100 import paths
from sim import _owner, messages
from sim.cloud import _mlflow_store, access, regions, store
from sim.cloud.errors import MULTIPLE_FOUND, WORKSPACE, Conflict, NotFound, UserError

DEFAULT_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
SKUS = ("basic", "enterprise")
CREATED_HOOKS = (("sim.cloud.datastores", "create_defaults"), ("sim.cloud.services", "on_workspace_created"))
DELETED_HOOKS = (("sim.cloud.services", "on_workspace_deleted"), ("sim.cloud.endpoints.online", "stop_all"),
                 ("sim.cloud.compute", "on_workspace_deleted"))
WORKSPACE_ACTION_WRITE = "Microsoft.MachineLearningServices/workspaces/write"
WORKSPACE_ACTION_DELETE = "Microsoft.MachineLearningServices/workspaces/delete"

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_WS_NAME = re.compile(r"^[a-zA-Z0-9][\w\-]{2,32}$")
_RG_NAME = re.compile(r"^[\w\-.()]{1,90}$")


@dataclass(frozen=True)
class WorkspaceRecord:
    """What the simulated service knows about one workspace (the facade keeps it as `ws._record`)."""

    subscription_id: str
    resource_group: str
    name: str
    location: str
    sku: str
    folder: Path
    workspace_id: str = ""
    friendly_name: str = ""
    description: str = ""
    creation_time: str = ""
    storage_account: str = ""
    key_vault: str = ""
    application_insights: str = ""
    container_registry: str = ""
    hbi_workspace: bool = False
    tags: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def arm_id(self) -> str:
        """The Azure resource id of the workspace."""
        return (f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}/providers/"
                f"Microsoft.MachineLearningServices/workspaces/{self.name}")

    @property
    def state_db(self) -> Path:
        """The workspace's SQLite state file (open it through `sim.cloud.store.engine`)."""
        store.require_state_here("The workspace's state.db")
        return self.folder / "state.db"

    @property
    def mlflow_db(self) -> Path:
        """The workspace's MLflow SQLite store file.

        Its name carries the workspace's id: MLflow caches stores and engines by URI for the life of a
        process, so a workspace deleted and created again under the same name needs a URI of its own.
        """
        store.require_state_here("The workspace's MLflow store")
        return self.folder / (f"mlflow-{self.workspace_id[:8]}.db" if self.workspace_id else "mlflow.db")

    @property
    def mlflow_uri(self) -> str:
        """The MLflow tracking URI of the workspace (`sqlite:///<folder>/mlflow-<id>.db`, already migrated)."""
        return f"sqlite:///{self.mlflow_db}"

    @property
    def artifact_root(self) -> Path:
        """Folder holding MLflow artifacts; create experiments with `artifact_location` under it."""
        store.require_state_here("The workspace's artifacts")
        return self.folder / "mlartifacts"

    @property
    def storage_root(self) -> Path:
        """Folder standing for the workspace's storage account (datastore contents live below it)."""
        store.require_state_here("The workspace's storage")
        return self.folder / "storage"

    @property
    def keyvault_dir(self) -> Path:
        """Folder standing for the workspace's key vault (one 0600 file per secret)."""
        store.require_state_here("The workspace's key vault")
        return self.folder / "keyvault"

    def to_json(self) -> dict:
        """A JSON-able dict of every field (the folder as a string)."""
        data = dataclasses.asdict(self)
        data["folder"] = str(self.folder)
        return data


# ---- paths -------------------------------------------------------------------------------------------

def cloud_root() -> Path:
    """The simulated cloud's root folder, without creating it (reads must stay cheap and side-effect free;
    `paths.workspaces_dir()` creates and probes the folder, which only writes need)."""
    store.require_state_here("Finding workspaces")
    return paths.home() / "cloud"


def _subscription_dir(subscription_id: str) -> Path:
    return cloud_root() / "subscriptions" / subscription_id.lower()


def _resource_group_dir(subscription_id: str, resource_group: str) -> Path:
    return _subscription_dir(subscription_id) / "resourceGroups" / resource_group.lower()


def _workspace_dir(subscription_id: str, resource_group: str, name: str) -> Path:
    return _resource_group_dir(subscription_id, resource_group) / "workspaces" / name.lower()


# ---- validation --------------------------------------------------------------------------------------

def validate_workspace_name(name) -> str:
    """Return `name` or raise UserError for an invalid workspace name."""
    if not isinstance(name, str) or not _WS_NAME.match(name):
        raise UserError(WORKSPACE, messages.WORKSPACE_NAME_INVALID.format(name=name))
    return name


def validate_subscription_id(subscription_id) -> str:
    """Return the subscription id or raise when it is missing or not a GUID."""
    if not subscription_id:
        raise UserError(WORKSPACE, messages.SUBSCRIPTION_REQUIRED)
    if not isinstance(subscription_id, str) or not _GUID.match(subscription_id):
        raise UserError(WORKSPACE, messages.SUBSCRIPTION_ID_INVALID.format(subscription_id=subscription_id))
    return subscription_id


def validate_resource_group_name(name) -> str:
    """Return `name` or raise when it breaks Azure's resource group naming rules."""
    if not isinstance(name, str) or not _RG_NAME.match(name) or name.endswith("."):
        raise UserError(WORKSPACE, messages.RESOURCE_GROUP_NAME_INVALID.format(name=name))
    return name


def validate_location(location) -> str:
    """Return the normalized region name or raise Azure's LocationNotAvailableForResourceType error."""
    if not isinstance(location, str) or not regions.is_region(location):
        raise UserError(WORKSPACE, messages.LOCATION_INVALID.format(
            location=location, available=",".join(regions.region_names())), code="LocationNotAvailableForResourceType")
    return regions.normalize_region(location)


# ---- resource groups ---------------------------------------------------------------------------------

def get_resource_group(subscription_id: str, resource_group: str) -> dict | None:
    """The resource group's record (`name`, `location`, `id`), or None when it does not exist."""
    marker = _resource_group_dir(subscription_id, resource_group) / "resourceGroup.json"
    return json.loads(marker.read_text()) if marker.exists() else None


def create_resource_group(subscription_id: str, resource_group: str, location: str) -> dict:
    """Create (or return the existing) resource group in a region."""
    validate_subscription_id(subscription_id)
    validate_resource_group_name(resource_group)
    existing = get_resource_group(subscription_id, resource_group)
    if existing:
        return existing
    region = validate_location(location)
    paths.workspaces_dir()  # creates (and proves writable) the cloud root on the first write
    folder = _resource_group_dir(subscription_id, resource_group)
    folder.mkdir(parents=True, exist_ok=True)
    record = {"id": f"/subscriptions/{subscription_id}/resourceGroups/{resource_group}",
              "name": resource_group, "location": region, "properties": {"provisioningState": "Succeeded"}}
    if not _write_json(folder / "resourceGroup.json", record, replace=False):
        return get_resource_group(subscription_id, resource_group)  # a concurrent creator won: its record stands
    return record


def list_resource_groups(subscription_id: str) -> list[dict]:
    """Every resource group of a subscription."""
    root = _subscription_dir(subscription_id) / "resourceGroups"
    return [json.loads(p.read_text()) for p in sorted(root.glob("*/resourceGroup.json"))]


# ---- workspaces --------------------------------------------------------------------------------------

def _resource_name(workspace_name: str, kind: str) -> str:
    letters = "".join(ch for ch in workspace_name.lower() if ch.isalpha())
    return (letters[:8] + kind + secrets.token_hex(10))[:24]


def _providers(subscription_id: str, resource_group: str) -> str:
    return f"/subscriptions/{subscription_id}/resourceGroups/{resource_group}/providers"


def _associated_ids(subscription_id: str, resource_group: str, name: str, given: dict | None = None) -> dict:
    """The associated resources' ids: those given, else new ones named after the workspace.

    The container registry is the exception, as in Azure: a new workspace has none (unless one is given)
    until its first image build (`ensure_container_registry`).
    """
    base = _providers(subscription_id, resource_group)
    generated = {
        "storage_account": f"{base}/Microsoft.Storage/storageAccounts/{_resource_name(name, 'storage')}",
        "key_vault": f"{base}/Microsoft.KeyVault/vaults/{_resource_name(name, 'keyvault')}",
        "application_insights": f"{base}/microsoft.insights/components/{_resource_name(name, 'insights')}",
        "container_registry": "",
    }
    return {field: (given or {}).get(field) or default for field, default in generated.items()}


def _read_record(folder: Path) -> WorkspaceRecord | None:
    meta = folder / "workspace.json"
    if not meta.exists():
        return None
    data = json.loads(meta.read_text())
    data["folder"] = folder
    return WorkspaceRecord(**data)


def _run_hooks(hooks, record: WorkspaceRecord) -> None:
    """Call each (module, function) hook that exists with the record; missing modules are skipped."""
    for module_name, function_name in hooks:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        func = getattr(module, function_name, None)
        if func is not None:
            func(record)


def create(subscription_id: str | None, resource_group: str | None, name: str, location: str | None = None,
           sku: str = "basic", create_resource_group: bool = True, exist_ok: bool = False,
           friendly_name: str | None = None, tags: dict | None = None, description: str = "",
           hbi_workspace: bool = False, associated: dict | None = None) -> WorkspaceRecord:
    """Create a workspace with its MLflow store, storage, key vault and insights (a registry only when given).

    Args:
        subscription_id: the subscription GUID (the default simulated subscription when None).
        resource_group: the resource group (derived from the workspace name when None, as the SDK does).
        name: the workspace name (3-33 characters).
        location: the region; None uses the resource group's region.
        sku: 'basic' or 'enterprise'.
        create_resource_group: create the resource group when it does not exist.
        exist_ok: return the existing workspace instead of failing when the name is taken.
        friendly_name: display name (defaults to the name).
        tags: resource tags.
        description: free text.
        hbi_workspace: whether the workspace holds high-business-impact data.
        associated: ARM ids to use for some of `storage_account`, `key_vault`, `application_insights` and
            `container_registry` (as an ARM template names them); the others are named after the workspace.

    Returns:
        The new (or, with exist_ok, the existing) WorkspaceRecord.

    Raises:
        UserError: a name, id or sku is invalid, or the region is unknown (LocationNotAvailableForResourceType).
        Conflict: the workspace exists.
        NotFound: the resource group is missing (ResourceGroupNotFound).
    """
    validate_workspace_name(name)
    subscription_id = validate_subscription_id(subscription_id or DEFAULT_SUBSCRIPTION_ID)
    resource_group = validate_resource_group_name(resource_group or _resource_name(name, "resource_group"))
    if str(sku).lower() not in SKUS:
        raise UserError(WORKSPACE, messages.SKU_INVALID.format(sku=sku))
    existing = find(subscription_id, resource_group, name)
    if existing is not None:
        if exist_ok:
            return existing
        raise Conflict(WORKSPACE, messages.WORKSPACE_EXISTS.format(name=name, resource_group=resource_group))
    group = _ensure_resource_group(subscription_id, resource_group, location, create_resource_group)
    region = validate_location(location) if location else group["location"]
    access.authorize_at(group["id"], WORKSPACE_ACTION_WRITE)
    record = WorkspaceRecord(
        subscription_id=subscription_id, resource_group=resource_group, name=name, location=region,
        sku=str(sku).lower(), folder=_workspace_dir(subscription_id, resource_group, name),
        workspace_id=str(uuid.uuid4()), friendly_name=friendly_name or name, description=description or "",
        creation_time=datetime.now(UTC).isoformat(), hbi_workspace=bool(hbi_workspace),
        tags=dict(tags or {}), **_associated_ids(subscription_id, resource_group, name, associated))
    _materialize(record)
    return record


def warm_up() -> None:
    """Prepare what the first `create` needs (MLflow's migrations, ~2 s), e.g. in the background at start-up."""
    _mlflow_store.warm_up(paths.workspaces_dir())


def _ensure_resource_group(subscription_id, resource_group, location, create_if_missing) -> dict:
    group = get_resource_group(subscription_id, resource_group)
    if group is not None:
        return group
    if not create_if_missing:
        raise NotFound(WORKSPACE, messages.RESOURCE_GROUP_NOT_FOUND.format(
            resource_group=resource_group, subscription_id=subscription_id), code="ResourceGroupNotFound")
    if not location:
        raise UserError(WORKSPACE, messages.LOCATION_REQUIRED, code="LocationRequired")
    return create_resource_group(subscription_id, resource_group, location)


def _materialize(record: WorkspaceRecord) -> None:
    """Build the workspace folder in a scratch place, then rename it in (no half-made workspace)."""
    _remove_abandoned_scratch(record.folder.parent)
    # The scratch folder is named after its creating process, so one whose creator was killed can be told apart.
    creator = _owner.token().replace(":", "-")
    scratch = record.folder.with_name(f".{record.folder.name}.creating-{creator}-{secrets.token_hex(4)}")
    scratch.mkdir(parents=True)
    try:
        _mlflow_store.create_store(paths.workspaces_dir(), scratch / record.mlflow_db.name,
                                   (record.artifact_root / "0").as_uri())
        for sub in ("storage", "keyvault", "mlartifacts"):
            (scratch / sub).mkdir()
        (scratch / "keyvault").chmod(0o700)
        (scratch / "workspace.json").write_text(json.dumps(_record_fields(record), indent=2))
        scratch.rename(record.folder)
    except OSError as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        if record.folder.exists():  # another process created the same workspace a moment earlier
            raise Conflict(WORKSPACE, messages.WORKSPACE_EXISTS.format(
                name=record.name, resource_group=record.resource_group)) from exc
        raise
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    access.grant_creator_owner(record)
    _run_hooks(CREATED_HOOKS, record)


def _remove_abandoned_scratch(workspaces_folder: Path) -> None:
    """Remove the scratch folders of creations whose process was killed before renaming them in."""
    for scratch in workspaces_folder.glob(".*.creating-*") if workspaces_folder.is_dir() else ():
        pid, started = (scratch.name.rsplit(".creating-", 1)[1].split("-") + ["", ""])[:2]
        if pid.isdigit() and not _owner.alive(f"{pid}:{started}"):
            shutil.rmtree(scratch, ignore_errors=True)


def _record_fields(record: WorkspaceRecord) -> dict:
    data = record.to_json()
    data.pop("folder")
    return data


def find(subscription_id: str, resource_group: str, name: str) -> WorkspaceRecord | None:
    """The workspace's record, or None when it does not exist."""
    return _read_record(_workspace_dir(subscription_id, resource_group, name))


def get(subscription_id: str, resource_group: str, name: str) -> WorkspaceRecord:
    """The workspace's record.

    Raises:
        NotFound: no such workspace (the SDK's "Workspace not found." case).
    """
    record = find(subscription_id, resource_group, name) if subscription_id and resource_group else None
    if record is None:
        raise NotFound(WORKSPACE, messages.WORKSPACE_NOT_FOUND.format(
            name=name, resource_group=resource_group, subscription_id=subscription_id))
    return record


def get_by_name(name: str, subscription_id: str | None = None,
                resource_group: str | None = None) -> WorkspaceRecord:
    """Find a workspace by name, narrowing by subscription and resource group when given.

    Raises:
        NotFound: no workspace has that name.
        Conflict: several workspaces have that name (code MultipleResourcesFound).
    """
    if subscription_id and resource_group:
        return get(subscription_id, resource_group, name)
    matches = [r for r in list_workspaces(subscription_id, resource_group) if r.name.lower() == name.lower()]
    if not matches:
        raise NotFound(WORKSPACE, messages.WORKSPACE_NOT_FOUND_ANYWHERE.format(name=name))
    if len(matches) > 1:
        raise Conflict(WORKSPACE, messages.WORKSPACE_FOUND_MULTIPLE.format(name=name), code=MULTIPLE_FOUND)
    return matches[0]


def list_subscriptions() -> list[str]:
    """Every subscription id that holds at least one resource group, plus the default one."""
    root = cloud_root() / "subscriptions"
    found = sorted(p.name for p in root.glob("*") if p.is_dir()) if root.exists() else []
    return found if DEFAULT_SUBSCRIPTION_ID in found else [DEFAULT_SUBSCRIPTION_ID, *found]


def list_workspaces(subscription_id: str | None = None, resource_group: str | None = None) -> list[WorkspaceRecord]:
    """Every workspace, optionally only those of one subscription and/or resource group, by name."""
    subs = [subscription_id] if subscription_id else list_subscriptions()
    records = []
    for sub in subs:
        root = _subscription_dir(sub) / "resourceGroups"
        pattern = f"{resource_group.lower()}/workspaces/*" if resource_group else "*/workspaces/*"
        for folder in root.glob(pattern):
            record = _read_record(folder) if not folder.name.startswith(".") else None
            if record is not None:
                records.append(record)
    return sorted(records, key=lambda r: (r.name.lower(), r.resource_group.lower()))


def delete(record: WorkspaceRecord) -> None:
    """Delete a workspace and everything in it (its services stop first)."""
    access.authorize(record, WORKSPACE_ACTION_DELETE)
    _run_hooks(DELETED_HOOKS, record)
    store.dispose(record.state_db)
    trash = record.folder.with_name(f".{record.folder.name}.deleting-{secrets.token_hex(4)}")
    record.folder.rename(trash)
    shutil.rmtree(trash, ignore_errors=True)


def ensure_container_registry(record: WorkspaceRecord) -> WorkspaceRecord:
    """The workspace with a container registry: the one it has, else a new one (its first image build).

    Azure creates a workspace's registry the first time an environment image has to be built; the
    environments package calls this when a job or deployment needs such a build.
    """
    current = find(record.subscription_id, record.resource_group, record.name) or record
    if current.container_registry:
        return current
    registry = (f"{_providers(record.subscription_id, record.resource_group)}/Microsoft.ContainerRegistry/"
                f"registries/{_resource_name(record.name, 'acr')}")
    new = dataclasses.replace(current, container_registry=registry)
    _write_record(new)
    return new


def _write_record(record: WorkspaceRecord) -> None:
    """Replace workspace.json in one step."""
    _write_json(record.folder / "workspace.json", _record_fields(record))


def _write_json(path: Path, data: dict, replace: bool = True) -> bool:
    """Write a JSON file in one step, so a reader in another thread or process never sees half of it.

    With `replace=False` the first writer wins: returns False (and writes nothing) when the file already exists.
    """
    scratch = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    scratch.write_text(json.dumps(data, indent=2))
    if replace:
        scratch.replace(path)
        return True
    try:
        os.link(scratch, path)
        return True
    except FileExistsError:
        return False
    finally:
        scratch.unlink()


def update(record: WorkspaceRecord, **changes) -> WorkspaceRecord:
    """Change descriptive fields (friendly_name, description, tags) and return the new record."""
    access.authorize(record, WORKSPACE_ACTION_WRITE)
    allowed = {"friendly_name", "description", "tags"}
    unknown = set(changes) - allowed
    if unknown:
        raise UserError(WORKSPACE, messages.WORKSPACE_FIELDS_NOT_UPDATABLE.format(fields=sorted(unknown),
                                                                                 allowed=sorted(allowed)))
    current = find(record.subscription_id, record.resource_group, record.name) or record
    new = dataclasses.replace(current, **changes)  # from the stored record: a registry made since is kept
    _write_record(new)
    return new
