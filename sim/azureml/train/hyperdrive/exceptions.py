"""Simulated `azureml.train.hyperdrive.exceptions`: the errors HyperDrive raises."""

from __future__ import annotations

from contextlib import contextmanager

from sim.azureml.exceptions import AzureMLException


class HyperDriveException(AzureMLException):
    """The base class of HyperDrive's errors."""


class HyperDriveConfigException(HyperDriveException):
    """A HyperDrive configuration (search space, sampling, policy or limits) is not valid."""


class HyperDriveNotImplementedException(HyperDriveException):
    """An operation HyperDrive does not support (e.g. failing a HyperDrive run by hand)."""


class HyperDriveRehydrateException(HyperDriveException):
    """A run could not be rebuilt as a HyperDriveRun (it is not a HyperDrive run)."""


@contextmanager
def config_errors():
    """Raise what the sweep engine refuses in a configuration as the SDK does: HyperDriveConfigException."""
    from sim.cloud.errors import CloudError

    try:
        yield
    except CloudError as error:
        raise HyperDriveConfigException(error.message) from None


__all__ = ["HyperDriveConfigException", "HyperDriveException", "HyperDriveNotImplementedException",
           "HyperDriveRehydrateException"]
