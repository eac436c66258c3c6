"""Compute types the real `azureml.core.compute` exports but the simulator does not provision.

They exist so imports work; getting, creating or attaching one raises a clear "not simulated" error.
"""

from __future__ import annotations

from sim.azureml._common.not_simulated import not_simulated
from sim.azureml.core.compute.compute import ComputeTarget


class _UnsimulatedCompute(ComputeTarget):
    """A compute type that is not simulated: every entry point says so."""

    __sim_not_simulated__ = True  # the coverage page lists all its members as not simulated

    def __new__(cls, workspace, name):
        not_simulated(cls.__name__)

    @classmethod
    def attach_configuration(cls, *args, **kwargs):
        """Not simulated (the error names the compute class, e.g. AksCompute)."""
        not_simulated(f"{cls.__name__}.attach_configuration ({cls._compute_type} compute)")

    @classmethod
    def provisioning_configuration(cls, *args, **kwargs):
        """Not simulated (the error names the compute class, e.g. AksCompute)."""
        not_simulated(f"{cls.__name__}.provisioning_configuration ({cls._compute_type} compute)")


def _make(name: str, compute_type: str):
    return type(name, (_UnsimulatedCompute,), {"_compute_type": compute_type, "__module__": __name__,
                                               "__doc__": f"{name}: not simulated (raises a clear error)."})


AdlaCompute = _make("AdlaCompute", "ADLA")
AksCompute = _make("AksCompute", "AKS")
BatchCompute = _make("BatchCompute", "Batch")
DataFactoryCompute = _make("DataFactoryCompute", "DataFactory")
DatabricksCompute = _make("DatabricksCompute", "Databricks")
DsvmCompute = _make("DsvmCompute", "VirtualMachine")
HDInsightCompute = _make("HDInsightCompute", "HDInsight")
KubernetesCompute = _make("KubernetesCompute", "Kubernetes")
KustoCompute = _make("KustoCompute", "Kusto")
RemoteCompute = _make("RemoteCompute", "VirtualMachine")
SynapseCompute = _make("SynapseCompute", "SynapseSpark")
