"""Simulated `azureml.core.compute.computeinstance`: compute instances (one VM per learner)."""

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
from sim.cloud import access, regions


class ComputeInstanceProvisioningConfiguration(ComputeTargetProvisioningConfiguration):
    """What `ComputeInstance.provisioning_configuration(...)` returns."""

    def __init__(self, vm_size="", ssh_public_access=False, admin_user_ssh_public_key=None,
                 vnet_resourcegroup_name=None, vnet_name=None, subnet_name=None, tags=None, description=None,
                 assigned_user_object_id=None, assigned_user_tenant_id=None):
        super().__init__(ComputeInstance, None)
        self.vm_size = vm_size
        self.ssh_public_access = ssh_public_access
        self.admin_user_ssh_public_key = admin_user_ssh_public_key
        self.vnet_resourcegroup_name = vnet_resourcegroup_name
        self.vnet_name = vnet_name
        self.subnet_name = subnet_name
        self.tags = tags
        self.description = description
        self.assigned_user_object_id = assigned_user_object_id
        self.assigned_user_tenant_id = assigned_user_tenant_id

    def validate_configuration(self):
        """Raise ComputeTargetException for a configuration the service would refuse."""
        if any([self.vnet_name, self.vnet_resourcegroup_name, self.subnet_name]) and \
                not all([self.vnet_name, self.vnet_resourcegroup_name, self.subnet_name]):
            raise ComputeTargetException(messages.COMPUTE_VNET_INCOMPLETE)
        if self.ssh_public_access and not self.admin_user_ssh_public_key:
            raise ComputeTargetException(messages.COMPUTE_SSH_KEY_REQUIRED)

    def _cloud_arguments(self) -> dict:
        return {"vm_size": self.vm_size or "STANDARD_DS3_V2", "description": self.description, "tags": self.tags,
                "settings": {"ssh_public_access": bool(self.ssh_public_access),
                             "assigned_user_object_id": self.assigned_user_object_id
                             or access.current_caller().object_id}}


class ComputeInstanceStatus:
    """A compute instance's status: state (Creating, Running, Stopped...), size, errors."""

    def __init__(self, creation_time, created_by, errors, modified_time, state, vm_size):
        self.creation_time = creation_time
        self.created_by = created_by
        self.errors = errors
        self.modified_time = modified_time
        self.state = state
        self.vm_size = vm_size

    def serialize(self):
        """The service's JSON shape."""
        return {"creationTime": self.creation_time, "createdBy": self.created_by, "errors": self.errors,
                "modifiedTime": self.modified_time, "state": self.state, "vmSize": self.vm_size}

    def __repr__(self):
        return repr(self.serialize())


class ComputeInstance(ComputeTarget):
    """A compute instance: a managed VM for notebooks and development."""

    _compute_type = _cloud.COMPUTE_INSTANCE

    def _load(self, workspace, found) -> None:
        super()._load(workspace, found)
        self.vm_size = found.vm_size
        self.ssh_public_access = found.settings.get("ssh_public_access", False)
        self.admin_username = "azureuser"
        self.admin_user_ssh_public_key = None
        self.ssh_port = 50000 if self.ssh_public_access else None
        self.assigned_user_object_id = found.settings.get("assigned_user_object_id")
        self.assigned_user_tenant_id = None
        self.applications = [{"displayName": name, "endpointUri": f"sim://{found.name}/{name.lower()}"}
                             for name in ("Jupyter", "JupyterLab", "RStudio")]
        self.public_ip_address = None
        self.private_ip_address = "10.0.0.4"
        self.instance_location = found.location
        self.instance_resource_id = self.id
        self.vnet_name = self.vnet_resourcegroup_name = self.subnet_name = self.subnet_id = None
        self.errors = None
        self.status = ComputeInstanceStatus(found.created_iso(), access.current_caller().principal, None,
                                            found.modified_iso(), found.state, found.vm_size)

    def _properties(self) -> dict:
        return {"properties": {"vmSize": self.vm_size, "state": self.status.state,
                               "sshSettings": {"sshPublicAccess": "Enabled" if self.ssh_public_access
                                               else "Disabled", "adminUserName": self.admin_username}}}

    @staticmethod
    def provisioning_configuration(vm_size="", ssh_public_access=False, admin_user_ssh_public_key=None,
                                   vnet_resourcegroup_name=None, vnet_name=None, subnet_name=None, tags=None,
                                   description=None, assigned_user_object_id=None, assigned_user_tenant_id=None):
        """Describe a compute instance to create (size default STANDARD_DS3_V2, as the service's).

        Returns:
            ComputeInstanceProvisioningConfiguration: pass it to `ComputeTarget.create(ws, name, config)`.
        """
        config = ComputeInstanceProvisioningConfiguration(
            vm_size, ssh_public_access, admin_user_ssh_public_key, vnet_resourcegroup_name, vnet_name,
            subnet_name, tags, description, assigned_user_object_id, assigned_user_tenant_id)
        config.validate_configuration()
        return config

    def get_status(self):
        """The instance's status (its `state` is Creating, Running or Stopped)."""
        self.refresh_state()
        return self.status

    def get(self):
        """The instance itself, refreshed from the service."""
        self.refresh_state()
        return self

    def _power(self, operation, wait_for_completion, show_output):
        record = self.workspace._record
        self._load(self.workspace, _cloud.set_power_state(record, self.name, operation))
        if wait_for_completion or show_output:
            self._load(self.workspace, _cloud.wait_until_settled(record, self.name, 25 * 60))
        if show_output:
            print(f"{self.status.state}\n{operation.capitalize()} operation finished, operation \"Succeeded\"")

    def start(self, wait_for_completion=False, show_output=False):
        """Start a stopped instance."""
        self._power("start", wait_for_completion, show_output)

    def stop(self, wait_for_completion=False, show_output=False):
        """Stop a running instance (it keeps its disk; a stopped instance costs nothing but storage)."""
        self._power("stop", wait_for_completion, show_output)

    def restart(self, wait_for_completion=False, show_output=False):
        """Restart a running instance."""
        self._power("restart", wait_for_completion, show_output)

    def delete(self, wait_for_completion=False, show_output=False):
        """Delete the instance."""
        super().delete()
        if show_output:
            print('Deleting\nDelete operation finished, operation "Succeeded"')

    def wait_for_completion(self, show_output=False, is_delete_operation=False):
        """Wait until provisioning (or a start/stop/restart) finishes."""
        self._wait_provisioned(show_output, timeout_seconds=25 * 60)
        self._load(self.workspace, _cloud.wait_until_settled(self.workspace._record, self.name, 25 * 60))

    @staticmethod
    def supported_vmsizes(workspace, location=None):
        """The VM sizes offered in the workspace's region (or `location`)."""
        region = location or _record_of(workspace).location
        return [size.as_supported_vmsize() for size in regions.sizes_in_region(region)]

    def get_active_runs(self, type=None, tags=None, properties=None, status=None):
        """Not simulated: list runs with Experiment.get_runs."""
        not_simulated("ComputeInstance.get_active_runs")

    def update_sso_settings(self, value):
        """Not simulated: single sign-on settings."""
        not_simulated("ComputeInstance.update_sso_settings")

    @classmethod
    def get_docs_url(cls):
        """Where Microsoft documents compute instances."""
        return "https://learn.microsoft.com/azure/machine-learning/concept-compute-instance"

    def __str__(self):
        return self.__repr__()
