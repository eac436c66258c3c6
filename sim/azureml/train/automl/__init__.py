"""Simulated `azureml.train.automl` (SDK v1): `AutoMLConfig`, submitted with `Experiment.submit` to the service's
AutoML engine (`sim.cloud.automl`), which returns an `AutoMLRun` (`azureml.train.automl.run`)."""

from sim.azureml.train.automl import run, utilities
from sim.azureml.train.automl.automlconfig import AutoMLConfig

__all__ = ["AutoMLConfig", "run", "utilities"]
