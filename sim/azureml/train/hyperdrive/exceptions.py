"""Simulated `azureml.train.hyperdrive.exceptions`: the errors HyperDrive raises."""

from __future__ import annotations

from sim.azureml.exceptions import AzureMLException


class HyperDriveException(AzureMLException):
    """The base class of HyperDrive's errors."""


class HyperDriveConfigException(HyperDriveException):
    """A HyperDrive configuration (search space, sampling, policy or limits) is not valid."""


class HyperDriveNotImplementedException(HyperDriveException):
    """An operation HyperDrive does not support (e.g. failing a HyperDrive run by hand)."""


class HyperDriveRehydrateException(HyperDriveException):
    """A run could not be rebuilt as a HyperDriveRun (it is not a HyperDrive run)."""


__all__ = ["HyperDriveConfigException", "HyperDriveException", "HyperDriveNotImplementedException",
           "HyperDriveRehydrateException"]
