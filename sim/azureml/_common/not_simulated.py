"""The one error every unsimulated SDK member raises, so nothing silently does nothing."""

from __future__ import annotations

from typing import NoReturn

from sim import messages
from sim.azureml.exceptions import UserErrorException


class NotSimulatedError(UserErrorException, NotImplementedError):
    """An SDK member that exists in the real azureml SDK but is not simulated here.

    It is a UserErrorException (as the SDK's own errors are) and a NotImplementedError (what it means).
    """


def not_simulated(member: str) -> NoReturn:
    """Raise NotSimulatedError naming `member` (e.g. "Workspace.add_private_endpoint")."""
    raise NotSimulatedError(messages.NOT_SIMULATED.format(member=member))
