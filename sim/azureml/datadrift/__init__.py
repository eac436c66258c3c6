"""`azureml.datadrift` (the azureml-datadrift package): dataset monitors that measure data drift.

`DataDriftDetector.create_from_datasets(ws, name, baseline, target, ...)` records a monitor in the simulated
service (`sim.cloud.datadrift`); `backfill`/`run` start drift runs on its compute cluster, and `get_output`/`show`
read what they found.
"""

from sim.azureml.datadrift._datadiff import Metric, MetricType
from sim.azureml.datadrift.alert_configuration import AlertConfiguration
from sim.azureml.datadrift.datadriftdetector import DataDriftDetector

__all__ = ["AlertConfiguration", "DataDriftDetector", "Metric", "MetricType"]
