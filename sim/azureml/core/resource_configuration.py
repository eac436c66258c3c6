"""Simulated `azureml.core.resource_configuration`: the resources a registered model needs when deployed."""

from __future__ import annotations


class ResourceConfiguration:
    """CPU cores, memory (GB) and GPUs a model needs (recorded with the model; used by no-code deployment).

    Args:
        cpu: CPU cores.
        memory_in_gb: memory in GB.
        gpu: GPUs.
    """

    def __init__(self, cpu=None, memory_in_gb=None, gpu=None):
        self.cpu, self.memory_in_gb, self.gpu = cpu, memory_in_gb, gpu

    def serialize(self):
        """As the service stores it: {'cpu', 'memoryInGB', 'gpu'}."""
        return {"cpu": self.cpu, "memoryInGB": self.memory_in_gb, "gpu": self.gpu}

    @staticmethod
    def deserialize(payload):
        """A ResourceConfiguration from `serialize()`'s dictionary (None for None)."""
        if payload is None:
            return None
        return ResourceConfiguration(payload.get("cpu"), payload.get("memoryInGB"), payload.get("gpu"))

    def __eq__(self, other):
        return isinstance(other, ResourceConfiguration) and self.serialize() == other.serialize()

    def __repr__(self):
        return f"ResourceConfiguration(cpu={self.cpu}, memory_in_gb={self.memory_in_gb}, gpu={self.gpu})"


__all__ = ["ResourceConfiguration"]
