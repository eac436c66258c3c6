"""Simulated `azureml.widgets`: `RunDetails`, a run's status, metrics and files as text or HTML."""

from sim.azureml.widgets.run_details import RunDetails

__all__ = ["RunDetails"]
