"""Simulated `azureml.core.compute.compute`: the ComputeTarget base class.

`ComputeTarget(workspace, name)` returns the object of the target's own type (AmlCompute,
ComputeInstance), as the real SDK does, and raises ComputeTargetException when there is none.
"""

from __future__ import annotations

from abc import ABC

import sim.cloud.compute
from sim import messages
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml._common.service_errors import v1_service
from sim.azureml.exceptions import ComputeTargetException

_cloud = v1_service(sim.cloud.compute)


def _record_of(workspace):
    record = getattr(workspace, "_record", None)
    if record is None:
        raise ComputeTargetException(messages.WORKSPACE_ARG_TYPE.format(
            argument="workspace", type_name=type(workspace).__name__))
    return record


def _class_for(compute_type: str):
    from sim.azureml.core.compute.amlcompute import AmlCompute
    from sim.azureml.core.compute.computeinstance import ComputeInstance

    return {_cloud.AML_COMPUTE: AmlCompute, _cloud.COMPUTE_INSTANCE: ComputeInstance}[compute_type]


class ComputeTargetProvisioningConfiguration:
    """Base of the provisioning configurations `ComputeTarget.create` accepts."""

    def __init__(self, type, location):
        self.type = type
        self.location = location

    def validate_configuration(self):
        """Raise ComputeTargetException when the configuration is inconsistent."""


class ComputeTarget(ABC):  # noqa: B024 - abstract in the real SDK too, with no abstract methods
    """A compute target of a workspace: get one by name, create, list, delete.

    Args:
        workspace: the Workspace holding the compute.
        name: the compute's name.
    """

    _compute_type: str | None = None

    def __new__(cls, workspace, name):
        found = _cloud.get(_record_of(workspace), name)
        target_cls = _class_for(found.type)
        if cls is not ComputeTarget and target_cls is not cls:
            raise ComputeTargetException(messages.COMPUTE_TYPE_MISMATCH.format(
                name=name, actual=found.type, expected=cls._compute_type))
        return super().__new__(target_cls)

    def __init__(self, workspace, name):
        self._load(workspace, _cloud.get(_record_of(workspace), name))

    @classmethod
    def _from_cloud(cls, workspace, found) -> ComputeTarget:
        target = object.__new__(_class_for(found.type))
        target._load(workspace, found)
        return target

    def _load(self, workspace, found) -> None:
        """Copy the service's view of the compute into the SDK's attributes."""
        record = workspace._record
        self.workspace = workspace
        self.name = found.name
        self.type = found.type
        self.location = found.location
        self.cluster_location = found.location
        self.id = f"{record.arm_id}/computes/{found.name}"
        self.cluster_resource_id = self.id
        self.provisioning_state = found.provisioning_state
        self.provisioning_errors = None
        self.created_on = found.created_iso()
        self.modified_on = found.modified_iso()
        self.description = found.description
        self.tags = dict(found.tags)
        self.is_attached = False
        self._found = found

    # ---- lifecycle --------------------------------------------------------------------------------

    @staticmethod
    def create(workspace, name, provisioning_configuration):
        """Provision a new compute from a provisioning configuration.

        Raises:
            ComputeTargetException: invalid configuration, size not offered, quota exceeded, name taken.
        """
        from sim.azureml.core.compute.amlcompute import AmlComputeProvisioningConfiguration
        from sim.azureml.core.compute.computeinstance import ComputeInstanceProvisioningConfiguration

        record = _record_of(workspace)
        config = provisioning_configuration
        if isinstance(config, AmlComputeProvisioningConfiguration):
            config.validate_configuration()
            found = _cloud.create_cluster(record, name, **config._cloud_arguments())
        elif isinstance(config, ComputeInstanceProvisioningConfiguration):
            config.validate_configuration()
            found = _cloud.create_instance(record, name, **config._cloud_arguments())
        else:
            raise ComputeTargetException(messages.COMPUTE_CONFIG_TYPE.format(type_name=type(config).__name__))
        return ComputeTarget._from_cloud(workspace, found)

    @staticmethod
    def list(workspace):
        """Every compute target of the workspace, each as its own type."""
        return [ComputeTarget._from_cloud(workspace, c) for c in _cloud.list_computes(_record_of(workspace))]

    def refresh_state(self):
        """Read the compute's current state from the service."""
        self._load(self.workspace, _cloud.get(self.workspace._record, self.name))

    def get_status(self):
        """The provisioning state (subclasses return a richer status object)."""
        self.refresh_state()
        return self.provisioning_state

    def wait_for_completion(self, show_output=False, is_delete_operation=False):
        """Wait until provisioning finishes, printing the state as it changes when show_output."""
        self._wait_provisioned(show_output, timeout_seconds=25 * 60)

    def _wait_provisioned(self, show_output, timeout_seconds):
        state = self.provisioning_state
        if show_output:
            print(state, end="", flush=True)

        def tick(_current):
            if show_output:
                print(".", end="", flush=True)

        found = _cloud.wait_until_provisioned(self.workspace._record, self.name, timeout_seconds, on_poll=tick)
        self._load(self.workspace, found)
        if show_output:
            if self.provisioning_state != state:
                print(f"\n{self.provisioning_state}", end="")
            print(f'Provisioning operation finished, operation "{self.provisioning_state}"')

    def delete(self):
        """Delete the compute from the workspace."""
        _cloud.delete(self.workspace._record, self.name)
        self.provisioning_state = "Deleting"

    def serialize(self):
        """The compute as a JSON-able dict (the shape the service returns)."""
        return {"id": self.id, "name": self.name, "location": self.location, "tags": self.tags,
                "properties": {"computeType": self.type, "computeLocation": self.cluster_location,
                               "description": self.description, "provisioningState": self.provisioning_state,
                               "createdOn": self.created_on, "modifiedOn": self.modified_on,
                               "isAttachedCompute": self.is_attached, **self._properties()}}

    def _properties(self) -> dict:
        return {}

    @staticmethod
    def deserialize(workspace, object_dict):
        """The compute target named in a serialized dict (it must exist in the workspace)."""
        return ComputeTarget(workspace, object_dict["name"])

    @staticmethod
    def attach(workspace, name, attach_configuration):
        """Not simulated: attaching external compute (VMs, Databricks, HDInsight...)."""
        not_simulated("ComputeTarget.attach")

    def detach(self):
        """Not simulated: only attached compute can be detached, and none is simulated."""
        not_simulated(f"{type(self).__name__}.detach")

    def __repr__(self):
        return (f"{type(self).__name__}(workspace={self.workspace!r}, name={self.name}, id={self.id}, "
                f"type={self.type}, provisioning_state={self.provisioning_state}, location={self.location}, "
                f"tags={self.tags})")

    def __eq__(self, other):
        return isinstance(other, ComputeTarget) and (other.workspace, other.name.lower()) == (
            self.workspace, self.name.lower())

    def __hash__(self):
        return hash((self.workspace, self.name.lower()))
