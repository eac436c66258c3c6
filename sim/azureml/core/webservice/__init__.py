"""Simulated `azureml.core.webservice`: deploying models as web services (ACI and local are simulated)."""

from sim.azureml.core.webservice.aci import AciWebservice
from sim.azureml.core.webservice.aks import AksEndpoint, AksWebservice
from sim.azureml.core.webservice.local import LocalWebservice
from sim.azureml.core.webservice.unknown_webservice import UnknownWebservice
from sim.azureml.core.webservice.webservice import Webservice

__all__ = ["AciWebservice", "AksEndpoint", "AksWebservice", "LocalWebservice", "UnknownWebservice", "Webservice"]
