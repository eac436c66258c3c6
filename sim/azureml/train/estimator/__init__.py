"""Simulated `azureml.train.estimator` (SDK v1, deprecated since 1.19): `Estimator` over ScriptRunConfig."""

from sim.azureml.train.estimator._estimator import Estimator

__all__ = ["Estimator"]
