"""Simulated `azureml.core.compute`: compute clusters and compute instances.

AmlCompute and ComputeInstance are simulated; the other compute types import but raise a clear
"not simulated" error when used.
"""

from sim.azureml.core.compute._unsimulated import (
    AdlaCompute,
    AksCompute,
    BatchCompute,
    DatabricksCompute,
    DataFactoryCompute,
    DsvmCompute,
    HDInsightCompute,
    KubernetesCompute,
    KustoCompute,
    RemoteCompute,
    SynapseCompute,
)
from sim.azureml.core.compute.amlcompute import AmlCompute
from sim.azureml.core.compute.compute import ComputeTarget
from sim.azureml.core.compute.computeinstance import ComputeInstance

__all__ = ["AdlaCompute", "AksCompute", "AmlCompute", "BatchCompute", "ComputeInstance", "ComputeTarget",
           "DataFactoryCompute", "DatabricksCompute", "DsvmCompute", "HDInsightCompute", "KubernetesCompute",
           "KustoCompute", "RemoteCompute", "SynapseCompute"]
