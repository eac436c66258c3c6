"""Simulated `azureml.core.compute.amlcompute`: Azure ML compute clusters."""

from __future__ import annotations

from sim import messages
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml.core.compute.compute import (
    ComputeTarget,
    ComputeTargetProvisioningConfiguration,
    _cloud,
    _record_of,
)
from sim.azureml.exceptions import ComputeTargetException
from sim.cloud import regions


class ScaleSettings:
    """A cluster's scale settings (node counts and the idle time before scaling down)."""

    def __init__(self, minimum_node_count=0, maximum_node_count=None, idle_seconds_before_scaledown=1800):
        self.minimum_node_count = minimum_node_count
        self.maximum_node_count = maximum_node_count
        self.idle_seconds_before_scaledown = idle_seconds_before_scaledown

    def serialize(self):
        """The service's JSON shape."""
        return {"minNodeCount": self.minimum_node_count, "maxNodeCount": self.maximum_node_count,
                "nodeIdleTimeBeforeScaleDown": f"PT{self.idle_seconds_before_scaledown}S"}


class AmlComputeProvisioningConfiguration(ComputeTargetProvisioningConfiguration):
    """What `AmlCompute.provisioning_configuration(...)` returns; pass it to `ComputeTarget.create`."""

    def __init__(self, vm_size="", vm_priority="dedicated", min_nodes=0, max_nodes=None,
                 idle_seconds_before_scaledown=1800, admin_username=None, admin_user_password=None,
                 admin_user_ssh_key=None, vnet_resourcegroup_name=None, vnet_name=None, subnet_name=None,
                 tags=None, description=None, remote_login_port_public_access="NotSpecified", identity_type=None,
                 identity_id=None, compute_location=None, enable_node_public_ip=True):
        super().__init__(AmlCompute, compute_location)
        self.vm_size = vm_size
        self.vm_priority = vm_priority
        self.scale_settings = ScaleSettings(min_nodes, max_nodes, idle_seconds_before_scaledown)
        self.admin_username = admin_username
        self.admin_user_password = admin_user_password
        self.admin_user_ssh_key = admin_user_ssh_key
        self.vnet_resourcegroup_name = vnet_resourcegroup_name
        self.vnet_name = vnet_name
        self.subnet_name = subnet_name
        self.tags = tags
        self.description = description
        self.remote_login_port_public_access = remote_login_port_public_access
        self.identity_type = identity_type
        self.identity_id = identity_id
        self.compute_location = compute_location
        self.enable_node_public_ip = enable_node_public_ip

    def validate_configuration(self):
        """Raise ComputeTargetException for a configuration the service would refuse."""
        if any([self.admin_user_password, self.admin_user_ssh_key]) and not self.admin_username:
            raise ComputeTargetException(messages.COMPUTE_ADMIN_INVALID)
        if any([self.vnet_name, self.vnet_resourcegroup_name, self.subnet_name]) and \
                not all([self.vnet_name, self.vnet_resourcegroup_name, self.subnet_name]):
            raise ComputeTargetException(messages.COMPUTE_VNET_INCOMPLETE)
        if self.scale_settings.maximum_node_count is None:
            raise ComputeTargetException(messages.COMPUTE_MAX_NODES_REQUIRED)

    def _cloud_arguments(self) -> dict:
        scale = self.scale_settings
        return {"vm_size": self.vm_size, "min_nodes": scale.minimum_node_count,
                "max_nodes": scale.maximum_node_count, "vm_priority": self.vm_priority,
                "idle_seconds_before_scaledown": scale.idle_seconds_before_scaledown,
                "description": self.description, "tags": self.tags, "location": self.compute_location,
                "settings": {"admin_username": self.admin_username,
                             "remote_login_port_public_access": self.remote_login_port_public_access,
                             "enable_node_public_ip": self.enable_node_public_ip}}


class AmlComputeStatus:
    """A cluster's current status, as `AmlCompute.get_status()` returns it."""

    def __init__(self, allocation_state, allocation_state_transition_time, creation_time, current_node_count,
                 errors, modified_time, node_state_counts, provisioning_state, provisioning_state_transition_time,
                 scale_settings, target_node_count, vm_priority, vm_size):
        self.allocation_state = allocation_state
        self.allocation_state_transition_time = allocation_state_transition_time
        self.creation_time = creation_time
        self.current_node_count = current_node_count
        self.errors = errors
        self.modified_time = modified_time
        self.node_state_counts = node_state_counts
        self.provisioning_state = provisioning_state
        self.provisioning_state_transition_time = provisioning_state_transition_time
        self.scale_settings = scale_settings
        self.target_node_count = target_node_count
        self.vm_priority = vm_priority
        self.vm_size = vm_size

    def serialize(self):
        """The service's JSON shape of the status."""
        return {"currentNodeCount": self.current_node_count, "targetNodeCount": self.target_node_count,
                "nodeStateCounts": self.node_state_counts.serialize(), "allocationState": self.allocation_state,
                "allocationStateTransitionTime": self.allocation_state_transition_time, "errors": self.errors,
                "creationTime": self.creation_time, "modifiedTime": self.modified_time,
                "provisioningState": self.provisioning_state,
                "provisioningStateTransitionTime": self.provisioning_state_transition_time,
                "scaleSettings": self.scale_settings.serialize(), "vmPriority": self.vm_priority,
                "vmSize": self.vm_size}

    @staticmethod
    def deserialize(object_dict):
        """Rebuild a status from its serialized dict."""
        scale = object_dict.get("scaleSettings") or {}
        idle = str(scale.get("nodeIdleTimeBeforeScaleDown", "PT1800S")).strip("PTS") or "1800"
        counts = object_dict.get("nodeStateCounts") or {}
        return AmlComputeStatus(
            object_dict.get("allocationState"), object_dict.get("allocationStateTransitionTime"),
            object_dict.get("creationTime"), object_dict.get("currentNodeCount"), object_dict.get("errors"),
            object_dict.get("modifiedTime"), AmlComputeNodeStateCounts(**{
                k: counts.get(c, 0) for k, c in AmlComputeNodeStateCounts._KEYS.items()}),
            object_dict.get("provisioningState"), object_dict.get("provisioningStateTransitionTime"),
            ScaleSettings(scale.get("minNodeCount", 0), scale.get("maxNodeCount"), int(idle)),
            object_dict.get("targetNodeCount"), object_dict.get("vmPriority"), object_dict.get("vmSize"))

    def __repr__(self):
        return repr(self.serialize())


class AmlComputeNodeStateCounts:
    """How many nodes of a cluster are in each state."""

    _KEYS = {"idle_node_count": "idleNodeCount", "leaving_node_count": "leavingNodeCount",
             "preempted_node_count": "preemptedNodeCount", "preparing_node_count": "preparingNodeCount",
             "running_node_count": "runningNodeCount", "unusable_node_count": "unusableNodeCount"}

    def __init__(self, idle_node_count=0, leaving_node_count=0, preempted_node_count=0, preparing_node_count=0,
                 running_node_count=0, unusable_node_count=0):
        self.idle_node_count = idle_node_count
        self.leaving_node_count = leaving_node_count
        self.preempted_node_count = preempted_node_count
        self.preparing_node_count = preparing_node_count
        self.running_node_count = running_node_count
        self.unusable_node_count = unusable_node_count

    def serialize(self):
        """The service's JSON shape."""
        return {camel: getattr(self, snake) for snake, camel in self._KEYS.items()}


class AmlCompute(ComputeTarget):
    """An Azure Machine Learning compute cluster: nodes scale between min_nodes and max_nodes."""

    _compute_type = _cloud.AML_COMPUTE

    def _load(self, workspace, found) -> None:
        super()._load(workspace, found)
        self.vm_size = found.vm_size
        self.vm_priority = found.vm_priority
        self.scale_settings = ScaleSettings(found.min_nodes, found.max_nodes, found.idle_seconds_before_scaledown)
        self.admin_username = found.settings.get("admin_username")
        self.admin_user_password = None
        self.admin_user_ssh_key = None
        self.remote_login_port_public_access = found.settings.get("remote_login_port_public_access",
                                                                  "NotSpecified")
        self.vnet_name = self.vnet_resourcegroup_name = self.subnet_name = None
        self.identity_type = self.identity_id = None
        self.status = self._status(found)

    def _status(self, found) -> AmlComputeStatus:
        nodes, busy = _cloud.node_counts(self.workspace._record, found)
        counts = AmlComputeNodeStateCounts(idle_node_count=nodes - busy, running_node_count=busy)
        return AmlComputeStatus(
            allocation_state="Steady", allocation_state_transition_time=found.modified_iso(),
            creation_time=found.created_iso(), current_node_count=nodes, errors=None,
            modified_time=found.modified_iso(), node_state_counts=counts,
            provisioning_state=found.provisioning_state, provisioning_state_transition_time=None,
            scale_settings=ScaleSettings(found.min_nodes, found.max_nodes, found.idle_seconds_before_scaledown),
            target_node_count=nodes, vm_priority=found.vm_priority.capitalize(), vm_size=found.vm_size)

    def _properties(self) -> dict:
        return {"properties": {"vmSize": self.vm_size, "vmPriority": self.vm_priority.capitalize(),
                               "scaleSettings": self.scale_settings.serialize()},
                "status": self.status.serialize()}

    @staticmethod
    def provisioning_configuration(vm_size="", vm_priority="dedicated", min_nodes=0, max_nodes=None,
                                   idle_seconds_before_scaledown=1800, admin_username=None,
                                   admin_user_password=None, admin_user_ssh_key=None, vnet_resourcegroup_name=None,
                                   vnet_name=None, subnet_name=None, tags=None, description=None,
                                   remote_login_port_public_access="NotSpecified", identity_type=None,
                                   identity_id=None, location=None, enable_node_public_ip=True):
        """Describe a cluster to create: VM size, priority, node counts, idle time, location.

        Returns:
            AmlComputeProvisioningConfiguration: pass it to `ComputeTarget.create(ws, name, config)`.
        """
        config = AmlComputeProvisioningConfiguration(
            vm_size, vm_priority, min_nodes, max_nodes, idle_seconds_before_scaledown, admin_username,
            admin_user_password, admin_user_ssh_key, vnet_resourcegroup_name, vnet_name, subnet_name, tags,
            description, remote_login_port_public_access, identity_type, identity_id, location,
            enable_node_public_ip)
        config.validate_configuration()
        return config

    def get_status(self):
        """The cluster's current status (allocation_state, current_node_count, provisioning_state...)."""
        self.refresh_state()
        return self.status

    def get(self):
        """The cluster's details as the service returns them."""
        self.refresh_state()
        return self.serialize()

    def wait_for_completion(self, show_output=False, min_node_count=None, timeout_in_minutes=25,
                            is_delete_operation=False):
        """Wait for provisioning to finish (and for `min_node_count` nodes, which are there at once)."""
        self._wait_provisioned(show_output, timeout_seconds=timeout_in_minutes * 60)
        if show_output:
            print(self.provisioning_state)
            print("AmlCompute wait for completion finished\n")
            print("Minimum number of nodes requested have been provisioned")

    def update(self, min_nodes=None, max_nodes=None, idle_seconds_before_scaledown=None):
        """Change the node counts or idle time of the cluster."""
        found = _cloud.update_cluster(self.workspace._record, self.name, min_nodes, max_nodes,
                                      idle_seconds_before_scaledown)
        self._load(self.workspace, found)

    def list_nodes(self):
        """The cluster's current nodes as dicts (running ones first, then idle ones)."""
        self.refresh_state()
        running = self.status.node_state_counts.running_node_count
        return [{"nodeId": f"tvmps_{self.name}_{i:03d}_d", "nodeState": "running" if i < running else "idle",
                 "port": 50000 + i, "privateIpAddress": f"10.0.0.{4 + i}", "publicIpAddress": None}
                for i in range(self.status.current_node_count)]

    def get_active_runs(self, type=None, tags=None, properties=None, status=None):
        """Not simulated: the runs on a cluster are listed with Experiment.get_runs."""
        not_simulated("AmlCompute.get_active_runs")

    @staticmethod
    def supported_vmsizes(workspace, location=None):
        """The VM sizes offered in the workspace's region (or `location`), with cores, memory and GPUs."""
        region = location or _record_of(workspace).location
        return [size.as_supported_vmsize() for size in regions.sizes_in_region(region)]

    @staticmethod
    def list_usages(workspace, show_all=False, location=None):
        """Core usage and limit per VM family in the workspace's region."""
        rows = _cloud.usages(_record_of(workspace))
        return [{"name": {"value": r["family"], "localizedValue": r["family"]}, "currentValue": r["current"],
                 "limit": r["limit"], "unit": r["unit"]} for r in rows if show_all or r["current"]]

    @staticmethod
    def list_quotas(workspace, location=None):
        """The dedicated-core quota per VM family in the workspace's region."""
        return [{"name": {"value": r["family"]}, "limit": r["limit"], "unit": r["unit"]}
                for r in _cloud.usages(_record_of(workspace))]

    @staticmethod
    def update_quotas(workspace, vm_family, limit=None, location=None):
        """Change the core quota of a VM family (the simulated subscription grants any request)."""
        _cloud.set_quota_limit(_record_of(workspace), vm_family, limit)

    def add_identity(self, identity_type, identity_id=None):
        """Not simulated: managed identities."""
        not_simulated("AmlCompute.add_identity")

    def remove_identity(self, identity_id=None):
        """Not simulated: managed identities."""
        not_simulated("AmlCompute.remove_identity")
