"""Simulated `azureml.core.compute_target`: where the SDK exposes ComputeTargetException (and targets)."""

from sim.azureml.exceptions import ComputeTargetException

__all__ = ["ComputeTargetException"]


def __getattr__(name):
    # ComputeTarget lives in azureml.core.compute; imported on demand to keep this module light.
    if name == "ComputeTarget":
        from sim.azureml.core.compute import ComputeTarget

        return ComputeTarget
    raise AttributeError(f"module 'azureml.core.compute_target' has no attribute '{name}'")
