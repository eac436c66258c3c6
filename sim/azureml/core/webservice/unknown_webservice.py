"""Simulated `azureml.core.webservice.unknown_webservice`: a service of a type the SDK does not know."""

from __future__ import annotations

from sim import messages
from sim.azureml.core.webservice.webservice import Webservice
from sim.azureml.exceptions import WebserviceException


class UnknownWebservice(Webservice):
    """A service whose compute type has no dedicated class; it can be called and deleted."""

    _webservice_type = "Unknown"

    def _initialize(self, workspace, record):
        super()._initialize(workspace, record)
        self.scoring_uri = record.scoring_uri

    def run(self, input):
        """POST `input` to the scoring URI and return the decoded JSON answer."""
        return self._post(input)

    def update(self, *args):
        """Services of unknown type cannot be updated."""
        raise WebserviceException(messages.NOT_SIMULATED.format(member="UnknownWebservice.update"))
