"""Compute of the simulated cloud: Azure ML compute clusters (AmlCompute) and compute instances.

A compute record moves through the real state names. Provisioning is immediate by default; set
`DP100_SIM_COMPUTE_DELAY` (seconds) or call `set_provisioning_delay` for a realistic wait, during which
the record reads `Creating`. Sizes come from `sim.cloud.regions`: a size the workspace's region does not
offer fails as Azure does, and each subscription has a dedicated-core quota per VM family and region
(a cluster reserves `max_nodes` x cores, an instance its cores). Compute instance names are unique
per region, as in Azure.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa

from sim import messages
from sim.cloud import access, regions, store
from sim.cloud.errors import COMPUTE, CloudError, Conflict, NotFound, UserError

DELAY_ENV = "DP100_SIM_COMPUTE_DELAY"
AML_COMPUTE = "AmlCompute"
COMPUTE_INSTANCE = "ComputeInstance"
WRITE = "Microsoft.MachineLearningServices/workspaces/computes/write"
DELETE = "Microsoft.MachineLearningServices/workspaces/computes/delete"
START = "Microsoft.MachineLearningServices/workspaces/computes/start/action"
STOP = "Microsoft.MachineLearningServices/workspaces/computes/stop/action"
RESTART = "Microsoft.MachineLearningServices/workspaces/computes/restart/action"
_COMPUTE_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]{2,23}$")  # the service's rule for clusters and instances

_metadata = sa.MetaData()
_computes = sa.Table(
    "computes", _metadata,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("type", sa.String, nullable=False),
    sa.Column("vm_size", sa.String, nullable=False),
    sa.Column("vm_priority", sa.String, nullable=False),
    sa.Column("min_nodes", sa.Integer, nullable=False),
    sa.Column("max_nodes", sa.Integer, nullable=False),
    sa.Column("idle_seconds_before_scaledown", sa.Integer, nullable=False),
    sa.Column("location", sa.String, nullable=False),
    sa.Column("description", sa.String),
    sa.Column("tags", sa.Text, nullable=False, default="{}"),
    sa.Column("settings", sa.Text, nullable=False, default="{}"),
    sa.Column("power_state", sa.String, nullable=False, default="Running"),
    sa.Column("created_on", sa.Float, nullable=False),
    sa.Column("ready_at", sa.Float, nullable=False),
    sa.Column("modified_on", sa.Float, nullable=False),
)


@dataclass(frozen=True)
class ComputeRecord:
    """One compute resource of a workspace, as the service knows it."""

    name: str
    type: str
    vm_size: str
    vm_priority: str
    min_nodes: int
    max_nodes: int
    idle_seconds_before_scaledown: int
    location: str
    description: str | None
    created_on: float
    modified_on: float
    ready_at: float
    power_state: str
    tags: dict = field(default_factory=dict, compare=False, hash=False)
    settings: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def provisioning_state(self) -> str:
        """'Creating' until the (optional) provisioning delay has passed, then 'Succeeded'."""
        return "Creating" if time.time() < self.ready_at else "Succeeded"

    @property
    def state(self) -> str:
        """An instance's state: Creating, Running, Stopping, Stopped, Starting, Restarting (clusters report
        their provisioning state). Transitions last as long as the provisioning delay."""
        if self.provisioning_state == "Creating":
            return "Creating"
        if self.type != COMPUTE_INSTANCE:
            return self.provisioning_state
        if time.time() < float(self.settings.get("power_ready_at", 0)):
            return self.settings.get("power_transition", self.power_state)
        return self.power_state

    @property
    def size(self) -> regions.VmSize:
        """The catalog entry of the VM size."""
        return regions.find_vm_size(self.vm_size)

    @property
    def reserved_cores(self) -> int:
        """Cores this compute counts against its family's quota."""
        nodes = self.max_nodes if self.type == AML_COMPUTE else 1
        return nodes * self.size.cores

    def created_iso(self) -> str:
        """Creation time in ISO 8601 (UTC)."""
        return datetime.fromtimestamp(self.created_on, UTC).isoformat()

    def modified_iso(self) -> str:
        """Last change time in ISO 8601 (UTC)."""
        return datetime.fromtimestamp(self.modified_on, UTC).isoformat()


_provisioning_delay: float | None = None


def set_provisioning_delay(seconds: float | None) -> None:
    """Make new computes stay `Creating` for `seconds` (None: back to `DP100_SIM_COMPUTE_DELAY`, default 0)."""
    global _provisioning_delay
    _provisioning_delay = seconds


def provisioning_delay() -> float:
    """Seconds a new compute takes to provision."""
    if _provisioning_delay is not None:
        return float(_provisioning_delay)
    try:
        return max(0.0, float(os.environ.get(DELAY_ENV, "0") or 0))
    except ValueError:
        return 0.0


def _engine(record):
    eng = store.engine(record)
    store.ensure(_metadata, eng)
    return eng


def _from_row(row) -> ComputeRecord:
    data = dict(row._mapping)
    data["tags"] = json.loads(data["tags"] or "{}")
    data["settings"] = json.loads(data["settings"] or "{}")
    return ComputeRecord(**data)


def _error(kind: type[CloudError], template: str, code: str | None = None, **values) -> CloudError:
    return kind(COMPUTE, template.format(**values), code=code)


# ---- reads -------------------------------------------------------------------------------------------

def find(record, name: str) -> ComputeRecord | None:
    """The compute of that name (case-insensitive), or None."""
    query = sa.select(_computes).where(sa.func.lower(_computes.c.name) == str(name).lower())
    with _engine(record).connect() as conn:
        row = conn.execute(query).first()
    return _from_row(row) if row else None


def get(record, name: str) -> ComputeRecord:
    """The compute of that name.

    Raises:
        NotFound: no compute of that name in the workspace.
    """
    found = find(record, name)
    if found is None:
        raise _error(NotFound, messages.COMPUTE_NOT_FOUND, name=name)
    return found


def busy_nodes(record, name: str) -> int:
    """Nodes of a cluster running jobs now (from the runs service; 0 when it is not part of the build)."""
    try:
        from sim.cloud.runs import state
    except ModuleNotFoundError:
        return 0
    counter = getattr(state, "count_active_on", None)
    return int(counter(record, name)) if counter else 0


def node_counts(record, found: ComputeRecord) -> tuple[int, int]:
    """(current nodes, nodes running jobs) of a cluster: min_nodes stay up, each running job holds one more node
    up to max_nodes (scale-up is instant); a cluster still provisioning has none."""
    if found.provisioning_state != "Succeeded":
        return 0, 0
    busy = min(busy_nodes(record, found.name), found.max_nodes)
    return max(found.min_nodes, busy), busy


def list_computes(record) -> list[ComputeRecord]:
    """Every compute of the workspace, by name."""
    with _engine(record).connect() as conn:
        rows = conn.execute(sa.select(_computes).order_by(_computes.c.name)).all()
    return [_from_row(row) for row in rows]


# ---- validation, quota -------------------------------------------------------------------------------

def _check_name(name, compute_type: str) -> str:
    if not isinstance(name, str) or not _COMPUTE_NAME.match(name):
        raise _error(UserError, messages.COMPUTE_NAME_INVALID, name=name)
    return name


def _check_size(vm_size, location: str) -> regions.VmSize:
    if not vm_size:
        raise _error(UserError, messages.COMPUTE_VM_SIZE_REQUIRED)
    size = regions.find_vm_size(vm_size)
    if size is None:
        raise _error(UserError, messages.VM_SIZE_UNKNOWN, vm_size=vm_size, location=location)
    if not regions.family_in_region(size.family, location):
        raise _error(UserError, messages.VM_SIZE_NOT_IN_REGION, vm_size=vm_size, family=size.family, location=location)
    return size


def _check_nodes(min_nodes, max_nodes, idle_seconds, vm_priority) -> None:
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (min_nodes, max_nodes)) or \
            min_nodes < 0 or max_nodes < 1 or max_nodes < min_nodes:
        raise _error(UserError, messages.COMPUTE_NODES_INVALID, min_nodes=min_nodes, max_nodes=max_nodes)
    if not isinstance(idle_seconds, int) or isinstance(idle_seconds, bool) or idle_seconds < 0:
        raise _error(UserError, messages.COMPUTE_IDLE_INVALID, value=idle_seconds)
    if vm_priority not in ("dedicated", "lowpriority"):
        raise _error(UserError, messages.COMPUTE_PRIORITY_INVALID, value=vm_priority)


def _computes_in_region(record) -> list[tuple[object, ComputeRecord]]:
    """(workspace record, compute) for every compute of the subscription in the workspace's region."""
    from sim.cloud import workspaces

    found = []
    for other in workspaces.list_workspaces(record.subscription_id):
        if other.location == record.location and other.state_db.exists():
            found.extend((other, c) for c in list_computes(other))
    return found


def _quota_file(record):
    from sim.cloud import workspaces

    return workspaces._subscription_dir(record.subscription_id) / "quotas.json"


def quota_limit(record, family: str, low_priority: bool = False) -> int:
    """The subscription's core limit for a VM family in the workspace's region."""
    path = _quota_file(record)
    overrides = json.loads(path.read_text()) if path.exists() else {}
    key = f"{record.location}/{'lowPriority' if low_priority else family}"
    default = regions.DEFAULT_LOW_PRIORITY_QUOTA if low_priority else regions.default_quota(family)
    return int(overrides.get(key, default))


def set_quota_limit(record, family: str, limit: int) -> None:
    """Change the subscription's core limit for a family in the workspace's region."""
    access.authorize(record, WRITE, family=COMPUTE)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise _error(UserError, messages.QUOTA_LIMIT_INVALID, limit=limit)
    path = _quota_file(record)
    overrides = json.loads(path.read_text()) if path.exists() else {}
    overrides[f"{record.location}/{family}"] = limit
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(overrides, indent=2))


def core_usage(record, family: str, low_priority: bool = False) -> int:
    """Cores of a family (or all low-priority cores) reserved in the workspace's region."""
    return sum(c.reserved_cores for _, c in _computes_in_region(record)
               if (c.vm_priority == "lowpriority") == low_priority and (low_priority or c.size.family == family))


def usages(record) -> list[dict]:
    """Per-family usage and limit in the workspace's region (families in use or offered there)."""
    families = sorted({s.family for s in regions.sizes_in_region(record.location)})
    return [{"family": f, "current": core_usage(record, f), "limit": quota_limit(record, f), "unit": "Count"}
            for f in families]


def _check_quota(record, size: regions.VmSize, nodes: int, vm_priority: str) -> None:
    low = vm_priority == "lowpriority"
    family = "lowPriority" if low else size.family
    limit, usage, required = quota_limit(record, family, low), core_usage(record, size.family, low), nodes * size.cores
    if usage + required > limit:
        raise _error(UserError, messages.QUOTA_EXCEEDED, code="QuotaExceeded", family=family,
                     location=record.location, limit=limit, usage=usage, required=required, needed=usage + required)


# ---- writes ------------------------------------------------------------------------------------------

def create_cluster(record, name: str, vm_size: str, min_nodes: int = 0, max_nodes: int | None = None,
                   vm_priority: str = "dedicated", idle_seconds_before_scaledown: int = 1800,
                   description: str | None = None, tags: dict | None = None, settings: dict | None = None,
                   location: str | None = None) -> ComputeRecord:
    """Create an Azure ML compute cluster (AmlCompute).

    Raises:
        CloudError (family COMPUTE): bad name/size/nodes, size not offered in the region, quota exceeded
            (UserError), name taken (Conflict), or the caller may not write computes (Forbidden).
    """
    _check_name(name, AML_COMPUTE)
    if max_nodes is None:
        raise _error(UserError, messages.COMPUTE_MAX_NODES_REQUIRED)
    _check_nodes(min_nodes, max_nodes, idle_seconds_before_scaledown, vm_priority)
    return _create(record, name, AML_COMPUTE, vm_size, vm_priority, min_nodes, max_nodes,
                   idle_seconds_before_scaledown, description, tags, settings, location)


def create_instance(record, name: str, vm_size: str, description: str | None = None, tags: dict | None = None,
                    settings: dict | None = None) -> ComputeRecord:
    """Create a compute instance (one dedicated VM, Running once provisioned).

    Raises:
        CloudError: as for clusters; Conflict when another instance in the region has the name.
    """
    _check_name(name, COMPUTE_INSTANCE)
    for other_ws, other in _computes_in_region(record):
        if other.type == COMPUTE_INSTANCE and other.name.lower() == name.lower() and other_ws != record:
            raise _error(Conflict, messages.COMPUTE_INSTANCE_NAME_TAKEN, name=name, location=record.location,
                         workspace=other_ws.name)
    return _create(record, name, COMPUTE_INSTANCE, vm_size, "dedicated", 1, 1, 0, description, tags, settings,
                   None)


def _create(record, name, compute_type, vm_size, vm_priority, min_nodes, max_nodes, idle, description, tags,
            settings, location) -> ComputeRecord:
    region = regions.normalize_region(location) if location else record.location
    access.authorize(record, WRITE, scope=f"{record.arm_id}/computes/{name}", family=COMPUTE)
    existing = find(record, name)
    if existing is not None:
        raise _error(Conflict, messages.COMPUTE_EXISTS, name=existing.name, type=existing.type)
    size = _check_size(vm_size, region)
    _check_quota(record, size, max_nodes if compute_type == AML_COMPUTE else 1, vm_priority)
    now = time.time()
    row = {"name": name, "type": compute_type, "vm_size": size.name, "vm_priority": vm_priority,
           "min_nodes": min_nodes, "max_nodes": max_nodes, "idle_seconds_before_scaledown": idle,
           "location": region, "description": description, "tags": json.dumps(tags or {}),
           "settings": json.dumps(settings or {}), "power_state": "Running", "created_on": now,
           "ready_at": now + provisioning_delay(), "modified_on": now}
    with _engine(record).begin() as conn:
        conn.execute(sa.insert(_computes).values(**row))
    return get(record, name)


def update_cluster(record, name: str, min_nodes=None, max_nodes=None, idle_seconds_before_scaledown=None):
    """Change a cluster's scale settings (quota is checked for a larger max_nodes)."""
    current = get(record, name)
    if current.type != AML_COMPUTE:
        raise _error(UserError, messages.COMPUTE_NOT_INSTANCE_OP, operation="update", name=name, type=current.type)
    access.authorize(record, WRITE, scope=f"{record.arm_id}/computes/{name}", family=COMPUTE)
    new_min = current.min_nodes if min_nodes is None else min_nodes
    new_max = current.max_nodes if max_nodes is None else max_nodes
    idle = current.idle_seconds_before_scaledown if idle_seconds_before_scaledown is None else \
        idle_seconds_before_scaledown
    _check_nodes(new_min, new_max, idle, current.vm_priority)
    if new_max > current.max_nodes:
        _check_quota(record, current.size, new_max - current.max_nodes, current.vm_priority)
    return _update(record, current.name, min_nodes=new_min, max_nodes=new_max,
                   idle_seconds_before_scaledown=idle)


def _update(record, name: str, **values) -> ComputeRecord:
    values["modified_on"] = time.time()
    with _engine(record).begin() as conn:
        conn.execute(sa.update(_computes).where(_computes.c.name == name).values(**values))
    return get(record, name)


def set_power_state(record, name: str, operation: str) -> ComputeRecord:
    """Start, stop or restart a compute instance.

    Raises:
        UserError: not an instance; Conflict: the operation makes no sense in its current state.
    """
    current = get(record, name)
    if current.type != COMPUTE_INSTANCE:
        raise _error(UserError, messages.COMPUTE_NOT_INSTANCE_OP, operation=operation, name=name, type=current.type)
    action = {"start": START, "stop": STOP, "restart": RESTART}[operation]
    access.authorize(record, action, scope=f"{record.arm_id}/computes/{name}", family=COMPUTE)
    wanted_before = {"start": "Stopped", "stop": "Running", "restart": "Running"}[operation]
    if current.state != wanted_before:
        raise _error(Conflict, messages.COMPUTE_STATE_CONFLICT, name=name, state=current.state,
                     operation={"start": "started", "stop": "stopped", "restart": "restarted"}[operation])
    transition = {"start": "Starting", "stop": "Stopping", "restart": "Restarting"}[operation]
    settings = {**current.settings, "power_transition": transition,
                "power_ready_at": time.time() + provisioning_delay()}
    return _update(record, current.name, power_state="Stopped" if operation == "stop" else "Running",
                   settings=json.dumps(settings))


def delete(record, name: str) -> None:
    """Delete a compute (its quota is released at once).

    Raises:
        NotFound: no such compute; Forbidden: the caller may not delete computes.
    """
    current = get(record, name)
    access.authorize(record, DELETE, scope=f"{record.arm_id}/computes/{name}", family=COMPUTE)
    with _engine(record).begin() as conn:
        conn.execute(sa.delete(_computes).where(_computes.c.name == current.name))


TRANSITIONAL_STATES = frozenset({"Creating", "Starting", "Stopping", "Restarting"})


def wait_until_provisioned(record, name: str, timeout_seconds: float, on_poll=None) -> ComputeRecord:
    """Block until the compute leaves `Creating` (or the timeout passes); returns the latest record."""
    return _wait(record, name, timeout_seconds, on_poll, lambda c: c.provisioning_state == "Creating")


def wait_until_settled(record, name: str, timeout_seconds: float, on_poll=None) -> ComputeRecord:
    """Block until an instance leaves Creating/Starting/Stopping/Restarting (or the timeout passes)."""
    return _wait(record, name, timeout_seconds, on_poll, lambda c: c.state in TRANSITIONAL_STATES)


def _wait(record, name, timeout_seconds, on_poll, busy) -> ComputeRecord:
    deadline = time.monotonic() + timeout_seconds
    current = get(record, name)
    while busy(current) and time.monotonic() < deadline:
        if on_poll:
            on_poll(current)
        time.sleep(0.05)
        current = get(record, name)
    return current
