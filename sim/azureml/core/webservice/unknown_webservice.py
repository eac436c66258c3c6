"""Simulated `azureml.core.webservice.unknown_webservice`: a service of a type the SDK has no class for.

`Webservice(ws, name)` and `Webservice.list` return one for a service whose compute type (e.g. IOT or MIR)
matches no imported Webservice subclass. As in the SDK, it can be read, its logs fetched and it can be
deleted, but calling or updating it needs the class of its own type.
"""

from __future__ import annotations

from sim.azureml.core.webservice.webservice import Webservice


class UnknownWebservice(Webservice):
    """A service whose compute type has no dedicated class: readable and deletable, not callable."""

    _webservice_type = "Unknown"

    def _initialize(self, workspace, record):
        super()._initialize(workspace, record)
        self.scoring_uri = record.scoring_uri

    def _refuse(self, action: str):
        raise NotImplementedError(
            f"Cannot {action} the service '{self.name}': its compute type {self.compute_type} has no Webservice "
            "class in this SDK, so use the tools of that service type (or redeploy it with Model.deploy).")

    def run(self, input):
        """Not possible for a service of unknown type (the SDK raises NotImplementedError too)."""
        self._refuse("run")

    def update(self, *args):
        """Not possible for a service of unknown type (the SDK raises NotImplementedError too)."""
        self._refuse("update")

    def get_token(self):
        """Token authentication is not available for a service of unknown type."""
        self._refuse("get a token for")
