"""How the SDK v1 face reaches `sim.cloud`: straight to the module, or through the simulated Azure service.

The face names each `sim.cloud` module it uses once, at its import line (`v1_service` is this function):

    _cloud = cloud(sim.cloud.keyvault)          # then _cloud.set_secret(record, name, value, ...)

Where a call runs is `sim.service.routed`'s choice (in this process in "inprocess" mode, in the service process in
"process" mode); either way a `CloudError` leaving it becomes the SDK's own exception (`service_errors.v1_errors`),
so a learner sees the same error in both modes.
"""

from __future__ import annotations

from sim.azureml._common.service_errors import v1_errors
from sim.service.routed import NotRouted, RoutedModule, in_process, routed

__all__ = ["NotRouted", "cloud", "in_process"]


def cloud(module) -> RoutedModule:
    """`module` (a `sim.cloud` module) as the v1 face calls it: in this process or through the service, its
    errors raised as the SDK's exceptions."""
    return routed(module, errors=v1_errors)
