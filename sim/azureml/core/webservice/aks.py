"""Simulated `azureml.core.webservice.aks`: Azure Kubernetes Service deployment is not simulated.

The classes exist so imports in lab code work; creating an AKS deployment configuration says clearly that
AKS is not simulated and points to ACI or local deployment.
"""

from __future__ import annotations

from sim import messages
from sim.azureml.core.webservice.webservice import Webservice
from sim.azureml.exceptions import WebserviceException


def _not_simulated(member: str) -> WebserviceException:
    return WebserviceException(messages.SERVICE_TARGET_NOT_SIMULATED.format(what=f"AKS ({member})"))


class AksWebservice(Webservice):
    """A service on Azure Kubernetes Service (not simulated)."""

    _webservice_type = "AKS"

    @staticmethod
    def deploy_configuration(*args, **kwargs):
        """Not simulated: AKS deployments."""
        raise _not_simulated("AksWebservice.deploy_configuration")

    def run(self, input_data):
        """Not simulated: AKS deployments."""
        raise _not_simulated("AksWebservice.run")

    def update(self, *args, **kwargs):
        """Not simulated: AKS deployments."""
        raise _not_simulated("AksWebservice.update")


class AksEndpoint(AksWebservice):
    """An AKS endpoint with versions (not simulated)."""

    _webservice_type = "AKSENDPOINT"

    @staticmethod
    def deploy_configuration(*args, **kwargs):
        """Not simulated: AKS endpoints."""
        raise _not_simulated("AksEndpoint.deploy_configuration")
